/** The readable report: per section a summary line, then one block per resource with field paths. */
import { DriftReport, ResourceFinding, SectionResult } from '../types';
import { countsText, deltaText, formatValue, resourceLabel, STATUS_MARK, SYSTEM_TITLES, verdict } from './values';

const MAX_IGNORED_LISTED = 10;

function finding(s: SectionResult, f: ResourceFinding): string[] {
  const head = `  ${STATUS_MARK[f.status]} ${resourceLabel(s.system, f)} ${f.status}${f.note ? `: ${f.note}` : ''}`;
  return [head, ...f.changes.map((c) => `      ${c.path}: ${formatValue(c.before)} -> ${formatValue(c.after)}${deltaText(c)}`)];
}

function section(s: SectionResult): string[] {
  const title = `${SYSTEM_TITLES[s.system]}${s.source ? ` (${s.source})` : ''}`;
  if (s.state === 'skipped') return [`${title}: skipped: ${s.reason}`];
  if (s.state === 'error') return [`${title}: ERROR: ${(s.reason ?? '').replace(/\n/g, '\n    ')}`];
  const lines = [`${title}: ${countsText(s.counts)}`];
  for (const f of s.findings) if (f.status !== 'ignored') lines.push(...finding(s, f));
  const ignored = s.findings.filter((f) => f.status === 'ignored').map((f) => resourceLabel(s.system, f));
  if (ignored.length > 0) {
    const more = ignored.length > MAX_IGNORED_LISTED ? `, … ${ignored.length - MAX_IGNORED_LISTED} more` : '';
    lines.push(`  ignored (unmanaged, matching an ignore pattern): ${ignored.slice(0, MAX_IGNORED_LISTED).join(', ')}${more}`);
  }
  for (const n of s.notes) lines.push(`  note: ${n}`);
  return lines;
}

export function renderText(r: DriftReport): string {
  const lines = [`dualauth drift ${r.stack}`, 'values read: repository -> server', ''];
  for (const s of r.sections) lines.push(...section(s), '');
  const unmanaged = r.sections.reduce((n, s) => n + s.counts.unmanaged, 0);
  const hint = unmanaged > 0 && !r.failOnUnmanaged ? ` (${unmanaged} unmanaged, not counted as drift without --fail-on-unmanaged)` : '';
  lines.push(`Result: ${verdict(r.exitCode, r.drift)}${hint}, exit ${r.exitCode}`);
  return `${lines.join('\n')}\n`;
}
