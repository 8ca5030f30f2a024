import { isWildcardPattern, resourceKey } from '../index';
import { ModelRule, RawFinding } from './types';

/** Privileged roles name their logins and labels: no `*`, globs or regular expressions. */
export const privilegedNoWildcards: ModelRule = {
  id: 'DA-007',
  name: 'privileged-role-no-wildcards',
  severity: 'error',
  control: 'AC-6',
  description: 'A privileged role allows no wildcard logins and no wildcard label names or values (node_labels and every other *_labels).',
  fix: 'Name the logins and the label values the privileged role is for, e.g. node_labels: {env: prod, type: db}.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const r of index.privilegedRoles()) {
      const allow = r.spec.allow ?? {};
      const res = resourceKey(r);
      (allow.logins ?? []).forEach((l, i) => {
        if (isWildcardPattern(l)) out.push({ resource: res, field: `spec.allow.logins[${i}]`, key: `login:${l}`, message: `privileged role ${r.metadata.name} allows wildcard login ${JSON.stringify(l)}` });
      });
      for (const [field, value] of Object.entries(allow)) {
        if (!field.endsWith('_labels') || !value || typeof value !== 'object') continue;
        for (const [k, v] of Object.entries(value as Record<string, string | string[]>)) {
          const values = Array.isArray(v) ? v : [v];
          const wild = isWildcardPattern(k) ? [k] : values.filter((x) => typeof x === 'string' && isWildcardPattern(x));
          if (wild.length === 0) continue;
          out.push({
            resource: res,
            field: `spec.allow.${field}`,
            key: `${field}:${k}`,
            message: `privileged role ${r.metadata.name} matches ${field} ${k}: ${values.map((x) => JSON.stringify(x)).join(', ')} by wildcard: it reaches resources added later`,
          });
        }
      }
    }
    return out;
  },
};
