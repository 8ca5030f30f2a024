/** What every report format shares: counts, the verdict, and the order findings are shown in. */
import { failingFindings, ReviewResult } from '../review';
import { Finding, Severity, SEVERITIES } from '../types';

export interface ReportOptions {
  /** Lowest severity that fails the review (default error). */
  failOn?: Severity;
  /** Fail only on findings the base did not have. */
  newOnly?: boolean;
  /** Size limit in bytes for markdown (default 65,536: a GitHub comment). */
  maxBytes?: number;
  /** Prefix that turns `file#Lline` into a link, e.g. https://github.com/o/r/blob/<sha>/ */
  linkBase?: string;
  /** Annotations per kind for the github format (default 10, GitHub's per-step display limit). */
  maxAnnotationsPerKind?: number;
}

export interface Counts {
  bySeverity: Record<Severity, number>;
  newBySeverity: Record<Severity, number>;
  suppressed: number;
  expired: number;
  failing: number;
}

export function countFindings(result: ReviewResult, opts: ReportOptions = {}): Counts {
  const zero = (): Record<Severity, number> => ({ error: 0, warning: 0, note: 0 });
  const c: Counts = { bySeverity: zero(), newBySeverity: zero(), suppressed: 0, expired: 0, failing: 0 };
  for (const f of result.findings) {
    if (f.suppressed) {
      c.suppressed++;
      continue;
    }
    c.bySeverity[f.severity]++;
    if (f.baseline === 'new') c.newBySeverity[f.severity]++;
    if (f.expiredSuppression) c.expired++;
  }
  c.failing = failingFindings(result, opts.failOn ?? 'error', opts.newOnly ?? false).length;
  return c;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function countsLine(c: Counts): string {
  return SEVERITIES.map((s) => plural(c.bySeverity[s], s)).join(', ') + (c.suppressed ? ` (${c.suppressed} suppressed)` : '');
}

export function verdict(c: Counts, opts: ReportOptions): string {
  const on = opts.failOn ?? 'error';
  return c.failing > 0
    ? `FAIL: ${plural(c.failing, 'finding')} at or above ${on}${opts.newOnly ? ' (new in this change)' : ''}`
    : `PASS: no ${opts.newOnly ? 'new ' : ''}unsuppressed findings at or above ${on}`;
}

export function active(result: ReviewResult): Finding[] {
  return result.findings.filter((f) => !f.suppressed);
}

export function location(f: Finding): string {
  return `${f.file}:${f.line}`;
}

/** ` (construct dual-authorization/DbAdmin/Requester)` when the finding's construct is known. */
export function constructNote(f: Finding): string {
  return f.constructPath ? ` (construct ${f.constructPath})` : '';
}

/** Active findings grouped by rule id, in rule-pack order. */
export function groupByRule(result: ReviewResult, findings: readonly Finding[]): { ruleId: string; findings: Finding[] }[] {
  const order = result.rules.map((r) => r.id);
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.ruleId, [...(groups.get(f.ruleId) ?? []), f]);
  return [...groups.entries()]
    .sort(([a], [b]) => (order.indexOf(a) === -1 ? 1e9 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 1e9 : order.indexOf(b)))
    .map(([ruleId, fs]) => ({ ruleId, findings: fs }));
}

export function suppressionText(s: { reason: string; owner?: string; expires?: string }): string {
  return `${s.reason}${s.owner ? `; owner ${s.owner}` : ''}${s.expires ? `; expires ${s.expires}` : ''}`;
}
