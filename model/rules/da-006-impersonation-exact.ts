import { isWildcardPattern, resourceKey } from '../index';
import { ModelRule, RawFinding } from './types';

/** Impersonation grants name exact users and roles: no `*`, globs or regular expressions. */
export const impersonationExact: ModelRule = {
  id: 'DA-006',
  name: 'impersonation-names-exact-identities',
  severity: 'error',
  control: 'AC-6',
  description: 'Impersonation grants (spec.allow.impersonate) name exact users and roles, with no wildcard, glob or regular expression.',
  fix: 'List the exact users and roles to impersonate, e.g. impersonate: {users: [access-plugin], roles: [access-plugin]}.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const r of index.roles()) {
      const imp = r.spec.allow?.impersonate;
      for (const f of ['users', 'roles'] as const) {
        (imp?.[f] ?? []).forEach((p, i) => {
          if (!isWildcardPattern(p)) return;
          out.push({
            resource: resourceKey(r),
            field: `spec.allow.impersonate.${f}[${i}]`,
            key: `${f}:${p}`,
            message: `role ${r.metadata.name} may impersonate any ${f === 'users' ? 'user' : 'role'} matching ${JSON.stringify(p)}, including ones added later`,
          });
        });
      }
    }
    return out;
  },
};
