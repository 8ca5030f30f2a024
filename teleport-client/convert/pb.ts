/** Small helpers over decoded proto objects (see ./index.ts for the decoding conventions). */

/** A decoded proto message: field name to value. */
export type Pb = Record<string, unknown>;

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

export function pbList<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

export function obj(v: unknown): Pb | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Pb) : undefined;
}

/** Drops undefined values, empty strings, false, 0, empty lists and empty objects. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '' || v === false || v === 0) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

export function nonEmpty<T>(xs: T[] | undefined): T[] | undefined {
  return xs && xs.length > 0 ? xs : undefined;
}

export function boolValueFromPb(v: unknown): boolean | undefined {
  const o = obj(v);
  return o ? o.Value === true : undefined;
}

export function boolValueToPb(v: unknown, where: string): Pb | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new TypeError(`${where} must be true or false`);
  return { Value: v };
}

export function num(v: unknown): number {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}
