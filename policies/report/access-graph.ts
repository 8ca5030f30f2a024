/**
 * A small Mermaid graph of who reaches a privileged role and how (GitHub renders Mermaid in PR comments).
 * Principals with equal paths are merged into one node with a count, and at most MAX_EDGES edges are
 * drawn, so the graph stays within the report's size budget whatever the organisation's size.
 */
import { AccessPath } from '../../model/access-paths';

const MAX_EDGES = 12;

function label(s: string): string {
  return s.replace(/["\[\]{}()<>|#;`]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
}

export function accessGraph(role: string, paths: readonly AccessPath[], requiredPeople: number): string {
  const groups = new Map<string, { principals: string[]; path: AccessPath }>();
  for (const p of paths) {
    const how = p.steps.map((s) => s.kind).join('>') + `#${p.people}#` + p.steps.map((s) => s.resource).join('>');
    const g = groups.get(how);
    if (g) g.principals.push(p.principal);
    else groups.set(how, { principals: [p.principal], path: p });
  }
  const lines = ['```mermaid', 'flowchart LR', `  R["${label(role)}"]`];
  let n = 0;
  for (const g of [...groups.values()].sort((a, b) => a.path.people - b.path.people).slice(0, MAX_EDGES)) {
    const who = g.principals.length === 1 ? g.principals[0]! : `${g.principals[0]} and ${g.principals.length - 1} more`;
    const via = g.path.steps.map((s) => s.resource.split('/')[1] ?? s.resource).filter((x, i, a) => a.indexOf(x) === i).slice(0, 3).join(', ');
    const node = `P${n++}`;
    const edge = g.path.people < 2 ? '==>' : '-->';
    lines.push(`  ${node}["${label(who)}"] ${edge}|"${g.path.people} ${g.path.people === 1 ? 'person' : 'people'}: ${label(via)}"| R`);
    if (g.path.people < requiredPeople) lines.push(`  style ${node} stroke:#d00,stroke-width:2px`);
  }
  if (groups.size > MAX_EDGES) lines.push(`  M["${groups.size - MAX_EDGES} more ways"] -.-> R`);
  if (groups.size === 0) lines.push(`  N["nobody"] -.-x R`);
  lines.push('```');
  return lines.join('\n');
}

/** Graphs drawn in a review report; the other privileged roles get one line each. */
const MAX_GRAPHS = 8;

interface Budget {
  tryAdd(text: string, reserve?: number): boolean;
}

/**
 * The review report's section "Who can obtain each privileged role": weakest roles first, a graph for
 * each of the first MAX_GRAPHS, one line for the rest, all within the budget. Returns what was cut.
 */
export function appendAccessSection(b: Budget, access: readonly { role: string; minPeople: number | null; requiredPeople: number; paths: readonly AccessPath[] }[], reserve: number): string[] {
  if (access.length === 0) return [];
  const sorted = [...access].sort((x, y) => (x.minPeople ?? Infinity) - (y.minPeople ?? Infinity) || (x.role < y.role ? -1 : 1));
  if (!b.tryAdd(`\n### Who can obtain each privileged role (${access.length})\n\n`, reserve)) return [`${access.length} privileged-role graphs`];
  const words = (a: (typeof access)[number]) =>
    a.minPeople === null ? 'nobody can obtain it' : a.minPeople < 2 ? `❌ one person alone (the policy wants ${a.requiredPeople})` : `${a.minPeople < a.requiredPeople ? '⚠️ ' : ''}at least ${a.minPeople} people (the policy wants ${a.requiredPeople})`;
  let i = 0;
  for (; i < sorted.length; i++) {
    const a = sorted[i]!;
    const text = i < MAX_GRAPHS ? `<details${(a.minPeople ?? Infinity) < a.requiredPeople ? ' open' : ''}><summary><code>${a.role}</code>: ${words(a)}</summary>\n\n${accessGraph(a.role, a.paths, a.requiredPeople)}\n\n</details>\n` : `- \`${a.role}\`: ${words(a)}\n`;
    if (!b.tryAdd(text, reserve)) break;
  }
  return i < sorted.length ? [`${sorted.length - i} privileged roles`] : [];
}
