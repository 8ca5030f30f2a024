/** Text, JSON and markdown for `dualauth access` (markdown adds the Mermaid graph of policies/report/access-graph.ts). */
import { pathInWords } from '../model/access-paths';
import { AccessQueryResult } from './access-query';
import { accessGraph } from './report/access-graph';

const LIST_MAX = 20;

function list(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, LIST_MAX).join(', ');
  return names.length > LIST_MAX ? `${shown} and ${names.length - LIST_MAX} more` : shown;
}

function verdict(r: AccessQueryResult): string {
  const who = r.user ? `${r.user} ` : '';
  if (r.minPeople === null) return `${who ? `${who}cannot` : 'nobody can'} obtain ${r.role}`;
  if (r.broken) return `TWO-PERSON RULE BROKEN: ${who ? `${who}can` : 'one person can'} obtain ${r.role} alone`;
  if (r.minPeople < r.requiredPeople) return `${r.role} needs ${r.minPeople} people, fewer than the ${r.requiredPeople} the policy wants`;
  return `${r.role} needs at least ${r.minPeople} people${who ? ` for ${r.user}` : ''} (the policy wants ${r.requiredPeople}): the two-person rule holds`;
}

function requesterLine(q: AccessQueryResult['requesters'][number]): string {
  const people = q.people === null ? 'can never be approved' : `${q.people} people in all`;
  return `${q.principal} via ${q.via.join(', ') || '(role)'}: ${q.approvals} approval${q.approvals === 1 ? '' : 's'}, ${people}`;
}

export function formatAccess(r: AccessQueryResult, format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  const lines: string[] = [];
  if (format === 'markdown') {
    lines.push(`## ${r.broken ? '❌' : '✅'} Who can obtain \`${r.role}\``, '', verdict(r), '');
    lines.push(`- Privileged: ${r.reason || 'asked about'}`);
    lines.push(`- Holders: ${list(r.holders.map((h) => h.principal))}`);
    lines.push(`- Requesters: ${r.requesters.length === 0 ? 'none' : ''}`);
    for (const q of r.requesters.slice(0, LIST_MAX)) lines.push(`  - ${requesterLine(q)}`);
    if (r.requesters.length > LIST_MAX) lines.push(`  - and ${r.requesters.length - LIST_MAX} more`);
    lines.push(`- Eligible reviewers: ${list(r.reviewers)}`, '');
    if (r.paths.length) {
      lines.push(`| people | who | path | where |`, `| ---: | --- | --- | --- |`);
      for (const p of r.paths.slice(0, 100)) lines.push(`| ${p.people} | ${p.principal} | ${p.steps.map((s) => s.text).join('; then ').replace(/\|/g, '\\|')} | \`${p.at}\` |`);
      lines.push('');
    }
    lines.push(accessGraph(r.role, r.paths.length ? r.paths : r.holders, r.requiredPeople), '');
    return `${lines.join('\n')}\n`;
  }
  lines.push(verdict(r), '');
  lines.push(`privileged: ${r.reason || 'asked about'}`);
  lines.push(`holders: ${list(r.holders.map((h) => h.principal))}`);
  lines.push(`requesters: ${r.requesters.length === 0 ? 'none' : ''}`);
  for (const q of r.requesters.slice(0, LIST_MAX)) lines.push(`  ${requesterLine(q)}`);
  if (r.requesters.length > LIST_MAX) lines.push(`  and ${r.requesters.length - LIST_MAX} more`);
  lines.push(`eligible reviewers: ${list(r.reviewers)}`);
  if (r.paths.length) {
    lines.push('', r.user ? `paths of ${r.user}:` : `paths needing fewer than ${r.requiredPeople} people:`);
    for (const p of r.paths) lines.push(`  ${pathInWords(p)} (${p.at})`);
  }
  return `${lines.join('\n')}\n`;
}
