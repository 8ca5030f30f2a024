import { RoleResource, resourceKey } from '../index';
import { PolicyIndex } from './policy-index';
import { ModelRule, RawFinding } from './types';

/** Roles a role's holders can end up with: itself, what it can request or impersonate, transitively. */
function reachable(index: PolicyIndex, start: RoleResource): Map<string, string> {
  const via = new Map<string, string>([[start.metadata.name, 'holds it']]);
  const queue = [start];
  while (queue.length > 0) {
    const r = queue.shift() as RoleResource;
    const how = r === start ? '' : ` via ${r.metadata.name}`;
    const next: [string, string][] = [
      ...index.requestTargets(r).map((t): [string, string] => [t, `can request it${how}`]),
      ...index.claimTargets(r).map((t): [string, string] => [t, `can request it through claims_to_roles${how}`]),
      ...index.matchRoles(r.spec.allow?.impersonate?.roles).map((t): [string, string] => [t, `can impersonate it${how}`]),
    ];
    for (const [t, why] of next) {
      if (via.has(t)) continue;
      via.set(t, why);
      const role = index.dir.role(t);
      if (role) queue.push(role);
    }
  }
  return via;
}

/** Nobody can approve their own path to a role. */
export const noSelfApproval: ModelRule = {
  id: 'DA-003',
  name: 'no-self-approval',
  severity: 'error',
  control: 'AC-5',
  description: 'Nobody can approve their own path to a role: no user both requests and reviews a role, no reviewer role reviews itself or a role it can obtain.',
  fix: 'Keep requester and reviewer roles apart: remove the role from review_requests.roles of roles that can obtain it (by request or impersonation), and do not give one user both the requester and the reviewer role.',
  check({ index, privileges }) {
    const out: RawFinding[] = [];
    const flagged = new Map<string, Set<string>>(); // role -> targets already reported at role level
    const flag = (role: string, target: string) => flagged.set(role, (flagged.get(role) ?? new Set()).add(target));
    for (const r of index.roles()) {
      const name = r.metadata.name;
      const reviews = index.reviewTargets(r);
      if (reviews.length === 0) continue;
      const reach = reachable(index, r);
      for (const target of reviews) {
        if (target === name) {
          flag(name, target);
          out.push({ resource: resourceKey(r), field: 'spec.allow.review_requests.roles', key: target, message: `role ${name} can review requests for itself: its holders approve who joins them` });
          continue;
        }
        const how = reach.get(target);
        if (how) {
          flag(name, target);
          out.push({ resource: resourceKey(r), field: 'spec.allow.review_requests.roles', key: target, message: `role ${name} can review requests for ${target} and its holders ${how}: reviewers can grant themselves the role they approve` });
        }
      }
    }
    for (const p of privileges.users.values()) {
      if (p.reviewable.length === 0 || p.requestable.length === 0) continue;
      const reviewable = new Set(p.reviewable);
      for (const req of p.requestable) {
        if (!reviewable.has(req.role) || p.roles.some((r) => flagged.get(r)?.has(req.role))) continue;
        out.push({
          resource: `user/${p.user}`,
          field: 'spec.roles',
          key: req.role,
          message: `${p.user} can both request ${req.role} and review requests for it (roles ${p.roles.join(', ')}): requesters and approvers of a role must be different people`,
        });
      }
    }
    return out;
  },
};
