import { isWildcardPattern, resourceKey } from '../../model';
import { didYouMean } from '../../model/did-you-mean';
import { PolicyRule, RawFinding } from '../types';

/** Role and user references name declared (or known preset) identities, and request grants name exact roles. */
export const referencesResolve: PolicyRule = {
  id: 'DA-011',
  name: 'references-resolve',
  severity: 'warning',
  control: 'AC-3',
  description: 'Every role or user a resource names exists (declared, or a configured preset such as access or editor), and request grants name exact roles rather than patterns.',
  fix: 'Fix the name or declare the missing role/user; replace request.roles patterns such as "*" or "db-*" with the exact roles.',
  check({ index, config }) {
    const out: RawFinding[] = [];
    const known = new Set([...index.roleNames, ...config.externalRoles]);
    const check = (resource: string, field: string, names: readonly string[] | undefined, what: string, flagWildcards: boolean) => {
      (names ?? []).forEach((n, i) => {
        if (isWildcardPattern(n)) {
          if (flagWildcards) out.push({ resource, field: `${field}[${i}]`, key: `wildcard:${n}`, message: `${resource} ${what} uses pattern ${JSON.stringify(n)}, which also matches roles added later` });
        } else if (!known.has(n)) {
          out.push({ resource, field: `${field}[${i}]`, key: `missing:${n}`, message: `${resource} ${what} names role ${JSON.stringify(n)}, which is not declared here${didYouMean(n, known)}` });
        }
      });
    };
    for (const u of index.users()) check(resourceKey(u), 'spec.roles', u.spec.roles, 'roles', false);
    for (const r of index.roles()) {
      const k = resourceKey(r);
      for (const side of ['allow', 'deny'] as const) {
        const c = r.spec[side];
        const wild = side === 'allow';
        check(k, `spec.${side}.request.roles`, c?.request?.roles, `${side}.request.roles`, wild);
        check(k, `spec.${side}.request.search_as_roles`, c?.request?.search_as_roles, `${side}.request.search_as_roles`, wild);
        check(k, `spec.${side}.review_requests.roles`, c?.review_requests?.roles, `${side}.review_requests.roles`, false);
        check(k, `spec.${side}.impersonate.roles`, c?.impersonate?.roles, `${side}.impersonate.roles`, false);
        (c?.impersonate?.users ?? []).forEach((u, i) => {
          if (!isWildcardPattern(u) && !index.dir.user(u)) {
            out.push({ resource: k, field: `spec.${side}.impersonate.users[${i}]`, key: `missing-user:${u}`, message: `${k} ${side}.impersonate.users names user ${JSON.stringify(u)}, which is not declared here${didYouMean(u, index.users().map((x) => x.metadata.name))}` });
          }
        });
      }
    }
    return out;
  },
};
