/** Markdown for a CI job summary (e.g. $GITHUB_STEP_SUMMARY): a summary table, then a table of findings per system. */
import { DriftReport, SectionResult } from '../types';
import { deltaText, formatValue, resourceLabel, SYSTEM_TITLES, verdict } from './values';

function code(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

function cell(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function summaryRow(s: SectionResult): string {
  const c = s.counts;
  const state = s.state === 'checked' ? 'checked' : `${s.state}: ${cell(s.reason ?? '')}`;
  const nums = s.state === 'checked' ? [c.managed, c.inSync, c.changed, c.missing, c.unmanaged, c.ignored].map(String) : ['', '', '', '', '', ''];
  return `| ${SYSTEM_TITLES[s.system]} | ${state} | ${nums.join(' | ')} |`;
}

function findingsTable(s: SectionResult): string[] {
  const rows = s.findings.filter((f) => f.status !== 'ignored');
  if (s.state !== 'checked' || (rows.length === 0 && s.notes.length === 0)) return [];
  const out = [`### ${SYSTEM_TITLES[s.system]}${s.source ? ` (${cell(s.source)})` : ''}`, ''];
  if (rows.length > 0) {
    out.push('| Resource | Status | Field | Repository | Server |', '|---|---|---|---|---|');
    for (const f of rows) {
      const name = code(resourceLabel(s.system, f));
      if (f.changes.length === 0) {
        out.push(`| ${name} | ${f.status} | ${cell(f.note ?? '')} | | |`);
        continue;
      }
      for (const c of f.changes) {
        out.push(`| ${name} | ${f.status} | ${code(c.path)}${cell(deltaText(c))} | ${code(formatValue(c.before))} | ${code(formatValue(c.after))} |`);
      }
    }
    out.push('');
  }
  for (const n of s.notes) out.push(`- ${cell(n)}`);
  if (s.notes.length > 0) out.push('');
  return out;
}

export function renderMarkdown(r: DriftReport): string {
  const icon = r.exitCode === 1 ? '⚠️' : r.drift ? '❌' : '✅';
  const lines = [
    `## ${icon} dualauth drift: ${verdict(r.exitCode, r.drift)}`,
    '',
    `Stack ${code(r.stack)}, exit code ${r.exitCode}.`,
    '',
    '| System | State | Managed | In sync | Changed | Missing | Unmanaged | Ignored |',
    '|---|---|---|---|---|---|---|---|',
    ...r.sections.map(summaryRow),
    '',
  ];
  for (const s of r.sections) lines.push(...findingsTable(s));
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
