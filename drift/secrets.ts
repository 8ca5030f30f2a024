/**
 * Last line of defence before anything is printed: the model's scrubber (PEM blocks, URL user-info, token
 * shapes, registered and given secrets such as the Mattermost token), plus bare base64 runs as long as a
 * line of a key or certificate body (a PEM whose header was cut off). The report never puts them there on
 * purpose; a server error message echoing a token must not leak it into a CI log either.
 */
import { isLiteralSecretValue, scrubSecrets, SECRET_FIELD_NAME } from '../model/secret-scrub';
import type { DriftReport } from './types';

const LONG_BASE64 = /[A-Za-z0-9+/]{60,}={0,2}/g;

export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  return scrubSecrets(text, secrets).replace(LONG_BASE64, '[REDACTED]');
}

const HIDDEN = '[REDACTED]';

/** A value with the literal values of secret-named keys (token, password, api_key, ...) hidden, at any depth. */
function hideIn(v: unknown, key: string): unknown {
  if (typeof v === 'string') return SECRET_FIELD_NAME.test(key) && isLiteralSecretValue(v) ? HIDDEN : v;
  if (Array.isArray(v)) return v.map((x) => hideIn(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, hideIn(x, k)]));
  return v;
}

/**
 * The report with the values of secret-named fields hidden: a dump or the live cluster may hold a literal
 * token in a label or trait, and the report would otherwise print it in a diff line.
 */
export function hideSecretFields(report: DriftReport): DriftReport {
  return {
    ...report,
    sections: report.sections.map((s) => ({
      ...s,
      findings: s.findings.map((f) => ({
        ...f,
        changes: f.changes.map((c) => {
          const last = c.path.replace(/\[\d+\]$/, '').split('.').pop() ?? '';
          return { ...c, ...('before' in c ? { before: hideIn(c.before, last) } : {}), ...('after' in c ? { after: hideIn(c.after, last) } : {}) };
        }),
      })),
    })),
  };
}
