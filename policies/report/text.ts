/** Plain text for a terminal: findings most severe first, each with its fix; suppressions; privilege changes. */
import { groupChanges } from '../privilege-diff';
import { ReviewResult } from '../review';
import { active, constructNote, countFindings, countsLine, location, ReportOptions, suppressionText, verdict } from './common';

export function formatText(result: ReviewResult, opts: ReportOptions = {}): string {
  const c = countFindings(result, opts);
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  out.push(`dualauth review: ${countsLine(c)} in ${result.stats.roles} roles and ${result.stats.users} users (${result.stats.files.join(', ')})`);
  if (result.hasBase) out.push(`compared with base: ${result.stats.baseFiles.join(', ')}`);
  const findings = active(result);
  if (findings.length > 0) out.push('');
  const fixShown = new Set<string>();
  for (const f of findings) {
    const tag = f.baseline === 'new' ? ' [new]' : f.baseline === 'existing' ? ' [existing]' : '';
    out.push(`${f.severity.padEnd(7)} ${f.ruleId}${tag} ${location(f)}${f.resource && !f.resource.startsWith('file/') ? ` ${f.resource}` : ''}${constructNote(f)}`);
    out.push(`        ${f.message}`);
    if (f.expiredSuppression) out.push(`        suppression expired ${f.expiredSuppression.expires}: ${suppressionText(f.expiredSuppression)}`);
    const fix = rules.get(f.ruleId)?.fix;
    if (fix && !fixShown.has(f.ruleId)) out.push(`        fix: ${fix}`); // once per rule: long reports stay readable
    fixShown.add(f.ruleId);
  }
  const suppressed = result.findings.filter((f) => f.suppressed);
  if (suppressed.length > 0) {
    out.push('', `Suppressed (${suppressed.length}):`);
    for (const f of suppressed) out.push(`  ${f.ruleId} ${location(f)}${f.resource ? ` ${f.resource}` : ''}: ${f.message}`, `      reason: ${suppressionText(f.suppressed!)}`);
  }
  const unused = result.suppressions.filter((s) => s.matched === 0);
  if (unused.length > 0) {
    out.push('', `Suppressions matching no finding (${unused.length}):`);
    for (const s of unused) out.push(`  ${s.suppression.rule} ${s.suppression.resource ?? '(all resources)'}${s.suppression.source ? ` in ${s.suppression.source}` : ''}: ${suppressionText(s.suppression)}${s.expired ? ' [expired]' : ''}`);
  }
  if (result.hasBase) {
    if (result.fixed.length > 0) {
      out.push('', `Fixed by this change (${result.fixed.length}):`);
      for (const f of result.fixed) out.push(`  ${f.ruleId} ${f.resource ?? location(f)}: ${f.message}`);
    }
    const groups = groupChanges(result.privilegeChanges);
    out.push('', groups.length > 0 ? `Privilege changes (${result.privilegeChanges.length}):` : 'Privilege changes: none');
    for (const g of groups) out.push(`  ${g.widens ? '+' : '-'} ${g.text}`);
  }
  out.push('', verdict(c, opts));
  return out.join('\n') + '\n';
}
