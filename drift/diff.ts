/**
 * Field-level differences between two canonical values (normalize.ts), as paths such as
 * `spec.allow.request.thresholds[0].approve` with the repository's value (before) and the server's (after).
 * Lists of scalars are reported whole (they are sets after normalisation: "[a] -> [a, b]" reads better than
 * per-index noise); lists of objects element by element.
 */
import { FieldChange } from './types';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || (typeof v !== 'object' && typeof v !== 'function');

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Appends a key or index to a path: a.b, a[0], a['teleport.dev/origin']. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENT.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key).replace(/^"|"$/g, "'")}]`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function change(path: string, before: unknown, after: unknown): FieldChange {
  const c: FieldChange = { path };
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  return c;
}

function walk(before: unknown, after: unknown, path: string, out: FieldChange[], element = false): void {
  if (deepEqual(before, after)) return;
  // An object field present on one side only is shown leaf by leaf; a list element (a rule) whole.
  const objects = (isObj(before) || before === undefined) && (isObj(after) || after === undefined);
  if (objects && (!element || (before !== undefined && after !== undefined))) {
    before = before ?? {};
    after = after ?? {};
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(before[k], after[k], joinPath(path, k), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && !(before.every(isScalar) && after.every(isScalar))) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) walk(before[i], after[i], joinPath(path, i), out, true);
    return;
  }
  out.push(change(path || '(resource)', before, after));
}

/** Differences from `before` (the repository) to `after` (the server); empty when equal. */
export function diffValues(before: unknown, after: unknown, basePath = ''): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, basePath, out);
  return out;
}

/** For a list-valued change: elements only in after (added on the server) and only in before (removed). */
export function listDelta(c: FieldChange): { added: unknown[]; removed: unknown[] } | undefined {
  const b = c.before === undefined ? [] : c.before;
  const a = c.after === undefined ? [] : c.after;
  if (!Array.isArray(b) || !Array.isArray(a) || (c.before === undefined && c.after === undefined)) return undefined;
  const bs = new Set(b.map((x) => JSON.stringify(x)));
  const as = new Set(a.map((x) => JSON.stringify(x)));
  return { added: a.filter((x) => !bs.has(JSON.stringify(x))), removed: b.filter((x) => !as.has(JSON.stringify(x))) };
}
