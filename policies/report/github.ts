/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`). GitHub shows about ten
 * annotations per kind per step and drops the rest silently, so each kind gets at most `max` lines, most
 * severe and newest first; when more exist the last slot says how many more are in the report.
 */
import { ReviewResult } from '../review';
import { Finding, Severity } from '../types';
import { active, countFindings, countsLine, plural, ReportOptions, verdict } from './common';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };
export const GITHUB_ANNOTATION_LIMIT = 10;

/** Escaping from the workflow-commands docs: data escapes % CR LF; properties also : and ,. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(f: Finding, ruleName: string): string {
  const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `title=${escapeProperty(`${f.ruleId} ${ruleName}`)}`];
  const msg = `${f.resource ? `${f.resource}${f.constructPath ? ` (construct ${f.constructPath})` : ''}: ` : ''}${f.message}`;
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(msg)}`;
}

export function formatGithub(result: ReviewResult, opts: ReportOptions = {}): string {
  const max = Math.max(1, opts.maxAnnotationsPerKind ?? GITHUB_ANNOTATION_LIMIT);
  const names = new Map(result.rules.map((r) => [r.id, r.name]));
  const out: string[] = [];
  for (const sev of ['error', 'warning', 'note'] as const) {
    // new findings first: they are what the pull request introduced
    const list = active(result)
      .filter((f) => f.severity === sev)
      .sort((a, b) => Number(b.baseline === 'new') - Number(a.baseline === 'new'));
    const shown = list.length > max ? list.slice(0, max - 1) : list;
    for (const f of shown) out.push(annotation(f, names.get(f.ruleId) ?? ''));
    if (list.length > shown.length) {
      const more = list.length - shown.length;
      out.push(`::${COMMAND[sev]} title=${escapeProperty('dualauth review')}::${escapeData(`${plural(more, `more ${sev}`)} not annotated (GitHub shows ${max} per kind): see the review report (markdown, JSON or SARIF)`)}`);
    }
  }
  const c = countFindings(result, opts);
  out.push(`dualauth review: ${countsLine(c)}. ${verdict(c, opts)}`);
  return out.join('\n') + '\n';
}
