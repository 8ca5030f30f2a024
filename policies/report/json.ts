/** The whole result as JSON, for tools and archives (the markdown may be cut; this never is). */
import { groupChanges } from '../privilege-diff';
import { ReviewResult } from '../review';
import { countFindings, ReportOptions } from './common';

export function formatJson(result: ReviewResult, opts: ReportOptions = {}): string {
  const c = countFindings(result, opts);
  const doc = {
    tool: result.tool,
    result: c.failing > 0 ? 'fail' : 'pass',
    failOn: opts.failOn ?? 'error',
    newOnly: opts.newOnly ?? false,
    summary: { ...c.bySeverity, suppressed: c.suppressed, expiredSuppressions: c.expired, failing: c.failing, new: result.hasBase ? c.newBySeverity : undefined },
    inputs: { head: result.stats.files, base: result.hasBase ? result.stats.baseFiles : undefined, roles: result.stats.roles, users: result.stats.users },
    config: result.config,
    rules: result.rules,
    findings: result.findings,
    fixed: result.hasBase ? result.fixed : undefined,
    suppressions: result.suppressions,
    privilegeChanges: result.hasBase ? result.privilegeChanges.map(({ template: _t, ...rest }) => rest) : undefined,
    privilegeChangeSummary: result.hasBase ? groupChanges(result.privilegeChanges).map((g) => ({ widens: g.widens, kind: g.kind, text: g.text, users: g.users })) : undefined,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
