/**
 * Markdown for a pull-request comment or a job summary: verdict and counts, findings grouped by rule with
 * file and line, the privilege diff, suppressions with their reasons, how to suppress. Stays within
 * `maxBytes` (65,536 for a comment; 1 MiB for $GITHUB_STEP_SUMMARY) by cutting the longest sections and
 * saying what was cut. Starts with a hidden marker so CI can find and edit its one comment.
 */
import { groupChanges } from '../privilege-diff';
import { ReviewResult } from '../review';
import { Finding } from '../types';
import { active, countFindings, groupByRule, plural, ReportOptions, verdict } from './common';
import { SizeBudget } from './size-budget';
import { appendAccessSection } from './access-graph';

export const MARKDOWN_MARKER = '<!-- dualauth-review -->';
export const COMMENT_LIMIT = 65_536;
export const STEP_SUMMARY_LIMIT = 1_048_576;

/** Escapes text for a table cell or list item (no HTML, no table breaks). */
export function mdEscape(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '|' ? '\\|' : `\\${c}`)).replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\|/g, '\\|') + '`';
}

function link(f: Finding, opts: ReportOptions): string {
  const text = code(`${f.file}:${f.line}`);
  if (!opts.linkBase || f.file.startsWith('(')) return text;
  return `[${text}](${opts.linkBase}${encodeURI(f.file)}#L${f.line})`;
}

// Room kept for the "N more not shown" notes and the closing lines.
const RESERVE = 1_200;

export function formatMarkdown(result: ReviewResult, opts: ReportOptions = {}): string {
  const limit = opts.maxBytes ?? COMMENT_LIMIT;
  const b = new SizeBudget(limit);
  const c = countFindings(result, opts);
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const failed = c.failing > 0;
  const omitted: string[] = [];

  b.add(`${MARKDOWN_MARKER}\n## ${failed ? '❌' : '✅'} dualauth review: ${verdict(c, opts)}\n\n`);
  const head = result.hasBase ? '| | error | warning | note | suppressed |\n|---|---:|---:|---:|---:|\n' : '| error | warning | note | suppressed |\n|---:|---:|---:|---:|\n';
  const total = `${c.bySeverity.error} | ${c.bySeverity.warning} | ${c.bySeverity.note} | ${c.suppressed}`;
  const table = result.hasBase
    ? `${head}| new | ${c.newBySeverity.error} | ${c.newBySeverity.warning} | ${c.newBySeverity.note} | |\n| total | ${total} |\n`
    : `${head}| ${total} |\n`;
  b.add(table);
  const files = (list: string[]) => (list.length ? `${list.map(code).join(', ')}: ` : '');
  b.add(`\nReviewed ${files(result.stats.files)}${plural(result.stats.roles, 'role')}, ${plural(result.stats.users, 'user')}.${result.hasBase && result.stats.baseFiles.length ? ` Base: ${result.stats.baseFiles.map(code).join(', ')}.` : ''}\n`);

  // Findings, grouped by rule.
  const findings = active(result);
  if (findings.length > 0) {
    b.tryAdd('\n### Findings\n', RESERVE);
    let dropped = 0;
    for (const g of groupByRule(result, findings)) {
      const meta = rules.get(g.ruleId);
      const open =
        `\n<details open><summary><b>${g.ruleId}</b> ${meta?.name ?? ''}: ${plural(g.findings.length, meta?.severity ?? 'finding')} · ${meta?.control ?? ''}</summary>\n\n` +
        (meta ? `${mdEscape(meta.description)}<br>**Fix:** ${mdEscape(meta.fix)}\n\n` : '') +
        `| | Location | Resource | Finding |\n|---|---|---|---|\n`;
      const close = '\n</details>\n';
      const rows = g.findings.map(
        (f) =>
          `| ${f.baseline === 'new' ? '🆕' : ''}${f.expiredSuppression ? '⏰' : ''} | ${link(f, opts)} | ${f.resource ? code(f.resource) : ''}${f.constructPath ? `<br>${code(f.constructPath)}` : ''} | ${mdEscape(f.message)}${f.expiredSuppression ? ` (suppression expired ${mdEscape(f.expiredSuppression.expires ?? '')})` : ''} |\n`,
      );
      if (!b.tryAdd(open + (rows[0] ?? ''), RESERVE + close.length)) {
        dropped += rows.length;
        continue;
      }
      let shown = 1;
      for (; shown < rows.length; shown++) if (!b.tryAdd(rows[shown] as string, RESERVE + close.length)) break;
      if (shown < rows.length) {
        dropped += rows.length - shown;
        b.add(`\n_${rows.length - shown} more ${g.ruleId} findings not shown._\n`);
      }
      b.add(close);
    }
    if (dropped > 0) omitted.push(plural(dropped, 'finding'));
  }

  // Privilege diff.
  if (result.hasBase) {
    const groups = groupChanges(result.privilegeChanges);
    if (b.tryAdd(`\n### Privilege changes (${result.privilegeChanges.length})\n\n`, RESERVE)) {
      if (groups.length === 0) b.add('No change to who can do what.\n');
      let i = 0;
      for (; i < groups.length; i++) {
        const g = groups[i]!;
        if (!b.tryAdd(`- ${g.widens ? '⬆️' : '⬇️'} ${mdEscape(g.text)}\n`, RESERVE)) break;
      }
      if (i < groups.length) omitted.push(plural(groups.length - i, 'privilege change'));
    } else if (groups.length > 0) omitted.push(plural(groups.length, 'privilege change'));
  }

  // The two-person analysis: who can obtain each privileged role, with a small Mermaid graph.
  omitted.push(...appendAccessSection(b, result.access ?? [], RESERVE));

  // Suppressions, always listed (never dropped silently): applied, expired, unused.
  const sup = result.suppressions;
  if (sup.length > 0) {
    if (b.tryAdd(`\n### Suppressions (${sup.length})\n\n| Rule | Resource | Reason | Owner | Expires | Status |\n|---|---|---|---|---|---|\n`, RESERVE)) {
      let i = 0;
      for (; i < sup.length; i++) {
        const s = sup[i]!;
        const status = s.expired ? `⏰ expired: ${plural(s.matched, 'finding')} count again` : s.matched === 0 ? 'matches no finding' : `suppresses ${plural(s.matched, 'finding')}`;
        const row = `| ${s.suppression.rule} | ${s.suppression.resource ? code(s.suppression.resource) : '(all)'} | ${mdEscape(s.suppression.reason)} | ${mdEscape(s.suppression.owner ?? '')} | ${s.suppression.expires ?? ''} | ${status} |\n`;
        if (!b.tryAdd(row, RESERVE)) break;
      }
      if (i < sup.length) omitted.push(plural(sup.length - i, 'suppression'));
    } else omitted.push(plural(sup.length, 'suppression'));
  }

  if (result.hasBase && result.fixed.length > 0) {
    if (b.tryAdd(`\n### Fixed by this change (${result.fixed.length})\n\n`, RESERVE)) {
      let i = 0;
      for (; i < result.fixed.length; i++) {
        const f = result.fixed[i]!;
        if (!b.tryAdd(`- ${f.ruleId} ${f.resource ? code(f.resource) : ''}: ${mdEscape(f.message)}\n`, RESERVE)) break;
      }
      if (i < result.fixed.length) omitted.push(plural(result.fixed.length - i, 'fixed finding'));
    } else omitted.push(plural(result.fixed.length, 'fixed finding'));
  }

  if (findings.length > 0) {
    b.tryAdd(
      '\n<details><summary>How to suppress a finding</summary>\n\n' +
        'On the construct: `addPolicySuppressions(role, [{ rule: "DA-004", reason: "break-glass account, reviewed quarterly", owner: "team-db", expires: "2027-01-31" }])`, ' +
        'or in a file passed with `--suppressions`: `{"suppressions": [{"rule": "DA-004", "resource": "user/x", "reason": "..."}]}`. ' +
        'A reason is required; after `expires` the finding counts again.\n\n</details>\n',
      RESERVE,
    );
  }
  if (omitted.length > 0) {
    b.add(`\n> ⚠️ Cut to fit ${limit.toLocaleString('en-US')} bytes: ${omitted.join(', ')} not shown. The full report is in the JSON or SARIF output (\`--format json\` / \`--format sarif\`).\n`);
  }
  b.add(`\n<sub>${result.tool.name} ${result.tool.version} · ${result.rules.length} rules</sub>\n`);
  return b.toString();
}
