/**
 * The one reference check: every role or user a resource names exists, and allow-side grants name exact
 * roles. Used by synthesis (model/consistency.ts) and by `dualauth review` (DA-011 maps the output).
 *
 * What is a pattern (Teleport's parse.NewMatcher: glob or ^regex$) and what is a literal name:
 *  - request.roles, review_requests.roles, impersonate.roles/users: patterns;
 *  - user spec.roles, request.search_as_roles, review_requests.preview_as_roles: literal role names
 *    (a '*' there names a role called '*', which does not exist).
 * Wildcards are findings only where they grant something on the allow side: request.roles (anyone may
 * request roles added later) and impersonate.roles/users. Deny-side and review-side patterns only narrow
 * or widen who reviews, and are not reported.
 */
import { TeleportDirectory } from './directory';
import { isWildcardPattern } from './matchers';
import { resourceKey } from './resources';
import { didYouMean } from './did-you-mean';

export type ReferenceProblemKind = 'missing-role' | 'missing-user' | 'wildcard';

export interface ReferenceProblem {
  /** `kind/name` of the resource holding the reference. */
  resource: string;
  /** Field path with the list index, e.g. `spec.allow.request.roles[1]`. */
  field: string;
  /** Stable key of the finding within the resource, e.g. `missing:dev-ops`, `wildcard:db-*`. */
  key: string;
  problem: ReferenceProblemKind;
  /** The grant the reference belongs to: request (request.roles, search_as_roles), impersonate, review, user. */
  grant: 'request' | 'impersonate' | 'review' | 'user';
  /** The name or pattern as written. */
  value: string;
  /** What is wrong, without the resource (callers prefix it as they report). */
  message: string;
}

export interface ReferenceOptions {
  /** Roles that exist on the cluster but are not declared here (presets such as access, editor). */
  externalRoles?: readonly string[];
}

type Grant = ReferenceProblem['grant'];

export function referenceProblems(dir: TeleportDirectory, opts: ReferenceOptions = {}): ReferenceProblem[] {
  const out: ReferenceProblem[] = [];
  const known = new Set([...dir.roles().map((r) => r.metadata.name), ...(opts.externalRoles ?? [])]);
  const roles = (resource: string, field: string, names: readonly string[] | undefined, grant: Grant, how: { patterns: boolean; wildcardIsFinding: boolean }): void => {
    (names ?? []).forEach((n, i) => {
      const at = `${field}[${i}]`;
      if (how.patterns && isWildcardPattern(n)) {
        if (how.wildcardIsFinding) {
          out.push({ resource, field: at, key: `wildcard:${n}`, problem: 'wildcard', grant, value: n, message: `${field.replace(/^spec\./, '')} uses pattern ${JSON.stringify(n)}, which also matches roles added later: name the roles` });
        }
        return;
      }
      if (!known.has(n)) {
        out.push({ resource, field: at, key: `missing:${n}`, problem: 'missing-role', grant, value: n, message: `${field === 'spec.roles' ? 'user roles' : field.replace(/^spec\./, '')} names role ${JSON.stringify(n)}, which is not declared here${didYouMean(n, known)}: declare it or fix the name` });
      }
    });
  };
  for (const u of dir.users()) roles(resourceKey(u), 'spec.roles', u.spec.roles, 'user', { patterns: false, wildcardIsFinding: false });
  for (const r of dir.roles()) {
    const k = resourceKey(r);
    for (const side of ['allow', 'deny'] as const) {
      const c = r.spec[side];
      const allow = side === 'allow';
      const at = `spec.${side}`;
      roles(k, `${at}.request.roles`, c?.request?.roles, 'request', { patterns: true, wildcardIsFinding: allow });
      roles(k, `${at}.request.search_as_roles`, c?.request?.search_as_roles, 'request', { patterns: false, wildcardIsFinding: false });
      roles(k, `${at}.review_requests.roles`, c?.review_requests?.roles, 'review', { patterns: true, wildcardIsFinding: false });
      roles(k, `${at}.review_requests.preview_as_roles`, c?.review_requests?.preview_as_roles, 'review', { patterns: false, wildcardIsFinding: false });
      roles(k, `${at}.impersonate.roles`, c?.impersonate?.roles, 'impersonate', { patterns: true, wildcardIsFinding: allow });
      (c?.impersonate?.users ?? []).forEach((u, i) => {
        const field = `${at}.impersonate.users[${i}]`;
        if (isWildcardPattern(u)) {
          if (allow) out.push({ resource: k, field, key: `wildcard-user:${u}`, problem: 'wildcard', grant: 'impersonate', value: u, message: `allow.impersonate.users uses pattern ${JSON.stringify(u)}, which lets this role impersonate users added later: name the users` });
        } else if (!dir.user(u)) {
          out.push({ resource: k, field, key: `missing-user:${u}`, problem: 'missing-user', grant: 'impersonate', value: u, message: `${side}.impersonate.users names user ${JSON.stringify(u)}, which is not declared here${didYouMean(u, dir.users().map((x) => x.metadata.name))}: declare it or fix the name` });
        }
      });
    }
  }
  return out;
}
