/**
 * The suppression contract between synthesis and review: a rule id, the resource it applies to, a
 * mandatory reason, optionally an owner and an expiry date after which the finding counts again.
 * Constructs declare them (constructs/policy-suppressions.ts), synthesis writes them to
 * policy-suppressions.json, and `dualauth review` applies them (policies/suppressions.ts). It sits in
 * the model because both sides need it and neither may import the other.
 */
import { documentProblems } from './schema-check';

export const SUPPRESSIONS_JSON = 'policy-suppressions.json';

export interface Suppression {
  rule: string;
  /** `kind/name` (or `file/<path>` for file-level findings); absent means every finding of the rule. */
  resource?: string;
  reason: string;
  owner?: string;
  /** ISO date (YYYY-MM-DD or full timestamp); after it the finding counts again. */
  expires?: string;
  /** Construct path it was declared on (written by collectPolicySuppressions). */
  construct?: string;
  /** Where it was read from: file path (set by the loader). */
  source?: string;
}

/** A suppression as declared on a construct (the resource comes from the construct). */
export interface ConstructSuppression {
  rule: string;
  reason: string;
  owner?: string;
  expires?: string;
}

const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}([Tt ][0-9:.]+([Zz]|[+-]\\d{2}:?\\d{2})?)?$';

export const suppressionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rule', 'reason'],
  properties: {
    rule: { type: 'string', pattern: '^[A-Z]+-\\d{3}$' },
    resource: { type: 'string', minLength: 1 },
    reason: { type: 'string', pattern: '\\S' },
    owner: { type: 'string', minLength: 1 },
    expires: { type: 'string', pattern: ISO_DATE },
    construct: { type: 'string' },
  },
};

const suppressionFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['suppressions'],
  properties: { suppressions: { type: 'array', items: suppressionSchema } },
};

export const SUPPRESSION_HINTS: Record<string, string> = {
  reason: 'a suppression needs a non-empty reason',
  expires: 'must be an ISO date such as 2027-01-31',
  rule: 'must be a rule id such as DA-001',
};

/** Problems with a suppressions document ({suppressions: [...]}); empty when valid. */
export function suppressionFileProblems(value: unknown): string[] {
  return documentProblems('suppression-file', suppressionFileSchema, value, SUPPRESSION_HINTS);
}

/** Checks one suppression; returns the problems (empty when valid). */
export function validateSuppression(s: unknown): string[] {
  const problems = documentProblems('suppression', suppressionSchema, s, SUPPRESSION_HINTS);
  const exp = (s as { expires?: unknown } | null)?.expires;
  if (problems.length === 0 && typeof exp === 'string' && !isRealDate(exp)) problems.push(`expires: ${JSON.stringify(exp)} is not a valid date`);
  return problems;
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

export function isSuppressionExpired(s: Suppression, now: Date): boolean {
  return s.expires !== undefined && now.getTime() > expiryTime(s.expires);
}

/** Whether a suppression names a finding's rule and (when it names one) its resource. */
export function suppressionCovers(s: Suppression, f: { ruleId: string; resource?: string }): boolean {
  return s.rule === f.ruleId && (s.resource === undefined || s.resource === f.resource);
}
