/**
 * Resource-rule authorization as Teleport's access checker applies it to API calls
 * (lib/services/role.go CheckAccessToRule): a deny rule matching the resource and verb wins;
 * otherwise some allow rule must match. `*` matches any resource or verb, and `read` implies
 * `readnosecrets` (Rule.HasVerb). Roles come from the caller's certificate (Organization).
 *
 * Simplification: rules with a `where` clause are not evaluated; they never allow and always deny
 * (fail closed). The implicit default rules Teleport adds (read-only node, proxy, cert_authority…)
 * do not cover access_request, access_plugin_data, role or user, so they are left out.
 */
import type { RoleResource, Rule } from '../../model/resources';

export class AccessDeniedError extends Error {}

function ruleMatches(rule: Rule, resource: string, verb: string): boolean {
  const res = rule.resources.includes('*') || rule.resources.includes(resource);
  const verbs = rule.verbs.includes('*') || rule.verbs.includes(verb) || (verb === 'readnosecrets' && rule.verbs.includes('read'));
  return res && verbs;
}

export function allowed(roles: readonly RoleResource[], resource: string, verb: string): boolean {
  for (const r of roles) {
    for (const rule of r.spec.deny?.rules ?? []) if (ruleMatches(rule, resource, verb)) return false;
  }
  return roles.some((r) => (r.spec.allow?.rules ?? []).some((rule) => !rule.where && ruleMatches(rule, resource, verb)));
}

/** Throws AccessDeniedError with Teleport's wording unless every verb is allowed. */
export function requireAccess(roles: readonly RoleResource[], resource: string, ...verbs: string[]): void {
  for (const verb of verbs) {
    if (!allowed(roles, resource, verb)) throw new AccessDeniedError(`access denied to perform action "${verb}" on "${resource}"`);
  }
}
