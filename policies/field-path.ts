/** Turns a dotted field path such as `spec.allow.request.thresholds[0].approve` into path segments. */
export function parseFieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/g;
  for (const m of field.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}
