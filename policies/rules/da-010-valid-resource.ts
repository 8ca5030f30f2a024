import { PolicyRule, RawFinding } from '../types';

/** Each resource is one Teleport accepts: structure (ajv schema per version) and Teleport's validity rules. */
export const validResource: PolicyRule = {
  id: 'DA-010',
  name: 'valid-teleport-resource',
  severity: 'error',
  control: 'AC-3',
  description: 'Every resource passes the model\'s schema for its kind and version (unknown or misspelt fields included) and Teleport\'s own validity rules.',
  fix: 'Correct the field named in the finding; Teleport >= 18.8 rejects unknown fields and older versions silently drop them (fail open).',
  check({ input, validity }) {
    const out: RawFinding[] = [];
    for (const lr of input.resources) {
      const v = validity.get(lr.key);
      if (!v) continue;
      const shape = v.shape;
      let problems = v.problems;
      if (problems.length === 0 && shape.length > 0) problems = shape.map((s) => ({ field: s.split(':')[0] as string, message: s.slice(s.indexOf(':') + 1).trim() }));
      const note = shape.length > 0 ? ' (the other rules skip this resource until its field types are right)' : '';
      for (const p of problems) {
        out.push({ resource: lr.key, field: p.field === '(document)' ? undefined : p.field, key: p.message, message: `${lr.key} ${p.field}: ${p.message}${note}` });
      }
    }
    return out;
  },
};
