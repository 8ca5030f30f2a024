/**
 * Suppressions: a rule id, the resource it applies to, a mandatory reason, optionally an owner and an
 * expiry date after which the finding counts again. Declared on constructs (written by synthesis to
 * policy-suppressions.json) or in a file; always shown in the report, never dropped silently.
 */
import type { IConstruct } from 'constructs';
import { Finding, Suppression, SuppressionStatus } from './types';
import { suppressionProblems } from './schemas';

export const SUPPRESSIONS_METADATA = 'dualauth:suppressions';

export interface ConstructSuppression {
  rule: string;
  reason: string;
  owner?: string;
  expires?: string;
}

/** Checks one suppression; returns the problems (empty when valid). */
export function validateSuppression(s: unknown): string[] {
  const problems = suppressionProblems(s);
  const exp = (s as { expires?: unknown } | null)?.expires;
  if (problems.length === 0 && typeof exp === 'string' && !isRealDate(exp)) problems.push(`expires: ${JSON.stringify(exp)} is not a valid date`);
  return problems;
}

/** Attaches suppressions to a construct; they apply to its Teleport resource and every one below it. */
export function addPolicySuppressions(construct: IConstruct, suppressions: readonly ConstructSuppression[]): void {
  if (!Array.isArray(suppressions)) throw new Error(`addPolicySuppressions(${construct.node.path}): expected a list of suppressions`);
  suppressions.forEach((s, i) => {
    const problems = validateSuppression(s);
    if (problems.length > 0) {
      throw new Error(`addPolicySuppressions(${construct.node.path || '<root>'}): suppression ${i} (${JSON.stringify((s as { rule?: unknown })?.rule)}) is invalid: ${problems.join('; ')}`);
    }
  });
  construct.node.addMetadata(SUPPRESSIONS_METADATA, suppressions.map((s) => ({ ...s })));
}

/**
 * Every suppression declared under `scope`, one entry per covered resource (`resourceKeyOf` gives a
 * construct's `kind/name`, or undefined for constructs that are not Teleport resources). A suppression on
 * `scope` itself with no resource below applies to the rule as a whole.
 */
export function collectPolicySuppressions(scope: IConstruct, resourceKeyOf: (c: IConstruct) => string | undefined): Suppression[] {
  const out: Suppression[] = [];
  const seen = new Set<string>();
  for (const c of scope.node.findAll()) {
    const declared = c.node.metadata.filter((m) => m.type === SUPPRESSIONS_METADATA).flatMap((m) => m.data as ConstructSuppression[]);
    if (declared.length === 0) continue;
    const keys = [...new Set(c.node.findAll().map(resourceKeyOf).filter((k): k is string => typeof k === 'string'))].sort();
    if (keys.length === 0 && c !== scope) {
      throw new Error(`policy suppressions on ${c.node.path} cover no Teleport resource: put them on the resource's construct or a parent of it`);
    }
    for (const s of declared) {
      for (const resource of keys.length ? keys : [undefined]) {
        const entry: Suppression = { rule: s.rule, ...(resource ? { resource } : {}), reason: s.reason };
        if (s.owner !== undefined) entry.owner = s.owner;
        if (s.expires !== undefined) entry.expires = s.expires;
        entry.construct = c.node.path;
        const id = JSON.stringify(entry);
        if (!seen.has(id)) {
          seen.add(id);
          out.push(entry);
        }
      }
    }
  }
  return out.sort((a, b) => (a.rule + (a.resource ?? '')).localeCompare(b.rule + (b.resource ?? '')));
}

/** True for dates that exist (Date.parse accepts 2027-02-31 and rolls it over). */
function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m || Number.isNaN(expiryTime(text))) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Milliseconds after which the suppression no longer applies: a date-only expiry lasts its whole day (UTC). */
export function expiryTime(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

export function isExpired(s: Suppression, now: Date): boolean {
  return s.expires !== undefined && now.getTime() > expiryTime(s.expires);
}

function covers(s: Suppression, f: Finding): boolean {
  return s.rule === f.ruleId && (s.resource === undefined || s.resource === f.resource);
}

/** Marks findings suppressed (or counted again when the suppression expired); returns each suppression's use. */
export function applySuppressions(findings: Finding[], suppressions: readonly Suppression[], now: Date): SuppressionStatus[] {
  const status = suppressions.map((suppression) => ({ suppression, expired: isExpired(suppression, now), matched: 0 }));
  const byRule = new Map<string, typeof status>();
  for (const st of status) {
    const list = byRule.get(st.suppression.rule);
    if (list) list.push(st);
    else byRule.set(st.suppression.rule, [st]);
  }
  for (const f of findings) {
    const hits = (byRule.get(f.ruleId) ?? []).filter((st) => covers(st.suppression, f));
    for (const h of hits) h.matched++;
    const active = hits.find((h) => !h.expired);
    if (active) f.suppressed = active.suppression;
    else if (hits[0]) f.expiredSuppression = hits[0].suppression;
  }
  return status;
}
