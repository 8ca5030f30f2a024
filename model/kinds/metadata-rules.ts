/**
 * Metadata Teleport rejects (api/types/metadata.go Metadata.CheckAndSetDefaults): label keys outside
 * `^[a-zA-Z/.0-9_:*-]+$` and `teleport.dev/origin` values it does not know. Also: YAML nulls read as absent.
 */
import { Problem } from './kind';

/** api/types/common LabelPattern. */
const LABEL_KEY = /^[a-zA-Z/.0-9_:*-]+$/;

export const ORIGIN_LABEL = 'teleport.dev/origin';

/** api/types/common OriginValues. */
export const ORIGIN_VALUES: readonly string[] = [
  'defaults', 'config-file', 'dynamic', 'cloud', 'kubernetes', 'okta', 'scim', 'discovery-kubernetes', 'entra-id', 'aws-identity-center',
];

export function metadataProblems(metadata: unknown): Problem[] {
  const labels = (metadata as { labels?: unknown } | undefined)?.labels;
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return [];
  const out: Problem[] = [];
  for (const k of Object.keys(labels)) {
    if (!LABEL_KEY.test(k)) out.push({ field: `metadata.labels[${JSON.stringify(k)}]`, message: `invalid label key ${JSON.stringify(k)}: use letters, digits and / . _ : * -` });
  }
  const origin = (labels as Record<string, unknown>)[ORIGIN_LABEL];
  if (typeof origin === 'string' && origin !== '' && !ORIGIN_VALUES.includes(origin)) {
    out.push({ field: `metadata.labels[${JSON.stringify(ORIGIN_LABEL)}]`, message: `origin ${JSON.stringify(origin)} is not one of ${ORIGIN_VALUES.join(', ')}` });
  }
  return out;
}

/**
 * The document without YAML nulls: Teleport's decoder leaves a field set to null (`logins: null`, `deny: ~`) at its
 * zero value, the same as absent. Lists keep their items (a null item is still an error).
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' ? withoutNulls(v) : v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) continue;
    out[k] = typeof v === 'object' ? withoutNulls(v) : v;
  }
  return out as T;
}
