/**
 * Canonical form of a Teleport resource, so that what the server returns and what the repository declares
 * compare equal whenever Teleport treats them as the same resource. Everything Teleport-specific comes from
 * the kind's model (model/kinds): its server defaults (withServerDefaults, filled on BOTH sides), its one
 * spelling per value (canonicalValues), its server-set spec fields and its ordered lists. What is left here
 * is generic:
 *  - server-set metadata dropped (revision/id/namespace, teleport.dev/* labels);
 *  - set-like lists sorted and deduplicated; lists of objects sorted, except the kind's ordered lists;
 *  - a label value "x" equals ["x"]; null, "", empty lists and empty objects equal absent.
 * Keys come out sorted, so JSON.stringify of two canonical resources is equal exactly when they are.
 * A kind the model does not know gets the generic part only.
 */
import { kindModel, SERVER_METADATA_FIELDS, SYSTEM_LABEL_PREFIX, TeleportResource, TeleportVersion } from '../model';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
}

function byJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Label matcher map: every value a list ("x" and ["x"] are the same matcher). */
function labelMatchers(v: Obj): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) out[k] = Array.isArray(x) ? x : x === null || x === undefined ? [] : [x];
  return out;
}

const NO_ORDERED: ReadonlySet<string> = new Set();

/**
 * Generic canonical form with set semantics: keys sorted, empties dropped, string lists sorted and deduplicated,
 * lists of objects sorted (both unless the key is in `ordered`), *_labels maps as label matchers.
 */
export function canonical(v: unknown, key = '', ordered: ReadonlySet<string> = NO_ORDERED): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => canonical(x, key, ordered)).filter((x) => !isEmpty(x));
    if (ordered.has(key)) return items;
    if (items.every((x) => typeof x === 'string')) return [...new Set(items as string[])].sort();
    const sorted = items.sort(byJson);
    return sorted.filter((x, i) => i === 0 || byJson(x, sorted[i - 1]) !== 0);
  }
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) {
      let x = v[k];
      if (k.endsWith('_labels') && isObj(x)) x = labelMatchers(x);
      const c = canonical(x, k, ordered);
      if (!isEmpty(c)) out[k] = c;
    }
    return out;
  }
  return v === null ? undefined : v;
}

function canonMetadata(m: unknown): Obj {
  const md: Obj = isObj(m) ? { ...m } : {};
  for (const f of SERVER_METADATA_FIELDS) delete md[f];
  // "…:00Z" and "…:00.000Z" are the same instant (YAML vs the gRPC timestamp).
  if (typeof md.expires === 'string' && !Number.isNaN(Date.parse(md.expires))) md.expires = new Date(md.expires).toISOString();
  if (isObj(md.labels)) {
    const labels: Obj = {};
    for (const [k, v] of Object.entries(md.labels)) if (!k.startsWith(SYSTEM_LABEL_PREFIX)) labels[k] = v;
    md.labels = labels;
  }
  return canonical(md) as Obj;
}

/**
 * Canonical form of any resource (see the file comment). `teleport` is the server's major when known, for
 * defaults that differ per major. The input is not modified.
 */
export function normalizeResource(r: TeleportResource, teleport?: TeleportVersion): Obj {
  const model = kindModel(r.kind);
  let x: TeleportResource = isObj(r.spec) ? r : ({ ...r, spec: {} } as TeleportResource);
  if (model) {
    x = model.withServerDefaults(x, teleport);
    if (model.canonicalValues) x = model.canonicalValues(x);
  }
  const spec: Obj = isObj(x.spec) ? { ...(x.spec as Obj) } : {};
  for (const f of model?.serverSpecFields ?? []) delete spec[f];
  const ordered = new Set(model?.orderedLists ?? []);
  const out: Obj = { kind: r.kind, metadata: canonMetadata(r.metadata) };
  const s = canonical(spec, '', ordered);
  if (!isEmpty(s)) out.spec = s;
  out.version = String(x.version ?? '');
  return out;
}
