/**
 * What a set of held roles lets its holder do toward a privileged role, computed once per distinct
 * set: request it (lib/services/access_request.go: request.roles and search_as_roles, deny first),
 * impersonate it or its holders (lib/services/role.go CheckImpersonate / CheckImpersonateRoles), and
 * change the rules (write verbs on the kinds that decide who holds what).
 */
import { canRequestRole, planRequestThresholds, RequestThresholds } from '../access-request';
import { isWildcardPattern, matchesAny } from '../matchers';
import { RoleResource } from '../resources';
import { WriteGrant, writeGrants } from './rule-writes';

/** Kinds whose create/update lets one person change who holds what. */
export const WRITE_KINDS = ['role', 'user', 'bot', 'token', 'access_list', 'access_list_member', 'access_monitoring_rule', 'github', 'saml', 'oidc'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

export interface Capabilities {
  roles: RoleResource[];
  names: string[];
  /** Privileged role -> request plan (only those the set may request). */
  requests: Map<string, RequestThresholds>;
  /** Privileged role -> the role allowing roles-only impersonation of it. */
  impersonateRoles: Map<string, string>;
  /** Whether any held role has allow.impersonate (CanImpersonateSomeone). */
  impersonates: boolean;
  writes: Map<WriteKind, WriteGrant[]>;
  /** update on access_request: SetAccessRequestState (lib/auth/auth_with_roles.go). */
  setState: WriteGrant[];
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback; // a malformed pattern is reported by the resource checks; here it grants nothing
  }
}

export function capabilitiesOf(roles: RoleResource[], privileged: readonly string[]): Capabilities {
  const requests = new Map<string, RequestThresholds>();
  const impersonateRoles = new Map<string, string>();
  // only roles a request or impersonation pattern can name: literal names, or every role for a pattern
  const named = new Set<string>();
  let anyPattern = false;
  for (const r of roles) {
    const a = r.spec.allow;
    for (const x of [...(a?.request?.roles ?? []), ...(a?.request?.search_as_roles ?? []), ...(a?.impersonate?.roles ?? [])]) {
      if (isWildcardPattern(x)) anyPattern = true;
      else named.add(x);
    }
  }
  for (const p of anyPattern ? privileged : privileged.filter((x) => named.has(x))) {
    if (safe(() => canRequestRole(roles, p), false)) {
      const plan = safe(() => planRequestThresholds(roles, [p]), { ok: false as const, reason: '' });
      if (plan.ok) requests.set(p, plan.value);
    }
    const denied = roles.some((r) => safe(() => matchesAny(r.spec.deny?.impersonate?.roles, p), false));
    if (!denied) {
      const by = roles.find((r) => (r.spec.allow?.impersonate?.users ?? []).length === 0 && safe(() => matchesAny(r.spec.allow?.impersonate?.roles, p), false));
      if (by) impersonateRoles.set(p, by.metadata.name);
    }
  }
  const writes = new Map<WriteKind, WriteGrant[]>();
  for (const k of WRITE_KINDS) {
    const g = writeGrants(roles, k, ['update', 'create']);
    if (g.length > 0) writes.set(k, g);
  }
  return {
    roles,
    names: roles.map((r) => r.metadata.name),
    requests,
    impersonateRoles,
    impersonates: roles.some((r) => (r.spec.allow?.impersonate?.users ?? []).length > 0),
    writes,
    setState: writeGrants(roles, 'access_request', ['update']),
  };
}

/** Whether a role set may impersonate user `name` holding `theirRoles` (every one must match). */
export function canImpersonateUser(roles: readonly RoleResource[], name: string, theirRoles: readonly string[]): string | undefined {
  const deny = roles.some((r) => safe(() => matchesAny(r.spec.deny?.impersonate?.users, name), false) || theirRoles.some((x) => safe(() => matchesAny(r.spec.deny?.impersonate?.roles, x), false)));
  if (deny) return undefined;
  const by = roles.find((r) => {
    const imp = r.spec.allow?.impersonate;
    return !!imp && safe(() => matchesAny(imp.users, name), false) && theirRoles.every((x) => safe(() => matchesAny(imp.roles, x), false));
  });
  return by?.metadata.name;
}
