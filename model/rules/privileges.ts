/**
 * Who can do what, per user: roles held, roles requestable (with the approvals a request needs), roles
 * they can review, whom they can impersonate, and what their held roles grant (logins, node labels).
 * Users with the same roles (and traits) share one computation.
 */
import { canRequestRole, matchesAny, planRequestThresholds, RequestThresholds, ReviewerFacts, RoleResource, Threshold, UserResource } from '../index';
import { PolicyIndex } from './policy-index';

export interface RequestPath {
  role: string;
  /** Approvals a request needs (AND across the requester's roles, OR within one); null: can never be approved. */
  approvals: number | null;
  /** Denials that reject it (the smallest deny of any threshold); null: can never be denied. */
  denials: number | null;
  thresholds: Threshold[];
}

export interface UserPrivileges {
  user: string;
  roles: string[];
  requestable: RequestPath[];
  reviewable: string[];
  /** Users and roles (names or patterns as written) the user may impersonate. */
  impersonateUsers: string[];
  impersonateRoles: string[];
  logins: string[];
  /** Node label matchers of the held roles, as `name=value`. */
  nodeLabels: string[];
}

export interface PrivilegeView {
  users: Map<string, UserPrivileges>;
  /** Users who may review a request for the role by someone else. */
  reviewersOf(role: string): string[];
  /** The largest number of approvals any requester's request for the role needs (undefined: nobody requests it). */
  requiredApprovals(role: string): number | undefined;
}

/** Approvals and denials a planned request needs, from the model's threshold plan. */
export function summarizePlan(plan: RequestThresholds, role: string): { approvals: number | null; denials: number | null } {
  const sets = plan.roleThresholdMapping[role]?.sets ?? [];
  let approvals = 0;
  for (const set of sets) {
    let best = Infinity;
    for (const i of set.indexes) {
      const a = plan.thresholds[i]?.approve ?? 0;
      if (a >= 1 && a < best) best = a;
    }
    approvals = Math.max(approvals, best);
  }
  let denials = Infinity;
  for (const t of plan.thresholds) if ((t.deny ?? 0) >= 1 && t.deny < denials) denials = t.deny;
  return { approvals: sets.length === 0 || approvals === Infinity ? null : approvals, denials: denials === Infinity ? null : denials };
}

// Placeholder identities: reviews are computed for "someone else's request", shared between users.
const REQUESTER = '\u0000requester';
const REVIEWER = '\u0000reviewer';

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function labelStrings(labels: Record<string, string | string[]> | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) for (const x of Array.isArray(v) ? v : [v]) out.push(`${k}=${x}`);
  return out;
}

/** What users with the same role list share: everything but reviews that depend on traits. */
interface RoleSetPrivileges extends Omit<UserPrivileges, 'user' | 'reviewable'> {
  /** Reviewable roles, when no held role has a `where` that reads traits (else computed per traits). */
  reviewable?: string[];
}

export function computePrivileges(index: PolicyIndex): PrivilegeView {
  const users = new Map<string, UserPrivileges>();
  const byRoleList = new Map<string, RoleSetPrivileges>();
  const byTraits = new Map<string, string[]>();
  const reviewers = new Map<string, string[]>();
  const required = new Map<string, number>();

  const reviewableFor = (facts: ReviewerFacts): string[] => {
    const candidates = sortedUnique(facts.roles.flatMap((r) => index.reviewTargets(r)));
    return candidates.filter((t) => index.canReview(facts, { user: REQUESTER, roles: [t], reason: '' }));
  };

  const forRoleList = (u: UserResource): RoleSetPrivileges => {
    const roles = index.dir.rolesOf(u);
    const candidates = sortedUnique(roles.flatMap((r) => index.requestTargets(r)));
    const requestable: RequestPath[] = [];
    for (const target of candidates) {
      const plan = safePlan(roles, target);
      if (plan) requestable.push({ role: target, ...summarizePlan(plan, target), thresholds: plan.thresholds });
    }
    const allow = (f: 'users' | 'roles') => roles.flatMap((r) => r.spec.allow?.impersonate?.[f] ?? []);
    const deny = (f: 'users' | 'roles') => roles.flatMap((r) => r.spec.deny?.impersonate?.[f] ?? []);
    const denyLogins = new Set(roles.flatMap((r) => r.spec.deny?.logins ?? []));
    // `where` may read reviewer traits: then reviews are computed per user (shared between equal traits)
    const usesWhere = roles.some((r) => !!r.spec.allow?.review_requests?.where || !!r.spec.deny?.review_requests?.where);
    return {
      roles: sortedUnique(u.spec.roles ?? []),
      requestable,
      impersonateUsers: sortedUnique(allow('users').filter((x) => !safeMatch(deny('users'), x))),
      impersonateRoles: sortedUnique(allow('roles').filter((x) => !safeMatch(deny('roles'), x))),
      logins: sortedUnique(roles.flatMap((r) => r.spec.allow?.logins ?? []).filter((l) => !denyLogins.has(l))),
      nodeLabels: sortedUnique(roles.flatMap((r) => labelStrings(r.spec.allow?.node_labels))),
      ...(usesWhere ? {} : { reviewable: reviewableFor({ name: REVIEWER, roles, traits: {} }) }),
    };
  };

  for (const u of index.users()) {
    const listKey = (u.spec.roles ?? []).join('\u0000');
    let shared = byRoleList.get(listKey);
    if (!shared) {
      shared = forRoleList(u);
      byRoleList.set(listKey, shared);
    }
    let reviewable = shared.reviewable;
    if (!reviewable) {
      const facts = index.reviewerFacts(u);
      const tkey = `${listKey}\u0001${JSON.stringify(facts.traits)}`;
      reviewable = byTraits.get(tkey);
      if (!reviewable) {
        reviewable = reviewableFor({ ...facts, name: REVIEWER });
        byTraits.set(tkey, reviewable);
      }
    }
    const name = u.metadata.name;
    users.set(name, {
      user: name,
      roles: shared.roles,
      requestable: shared.requestable,
      reviewable,
      impersonateUsers: shared.impersonateUsers,
      impersonateRoles: shared.impersonateRoles,
      logins: shared.logins,
      nodeLabels: shared.nodeLabels,
    });
    for (const t of reviewable) {
      const list = reviewers.get(t);
      if (list) list.push(name);
      else reviewers.set(t, [name]);
    }
    for (const p of shared.requestable) {
      if (p.approvals !== null && p.approvals > (required.get(p.role) ?? 0)) required.set(p.role, p.approvals);
    }
  }
  return {
    users,
    reviewersOf: (role) => reviewers.get(role) ?? [],
    requiredApprovals: (role) => required.get(role),
  };
}

/** The model's request decision and threshold plan; a malformed pattern (reported by DA-010) means no path. */
function safePlan(roles: RoleResource[], target: string): RequestThresholds | undefined {
  try {
    if (!canRequestRole(roles, target)) return undefined;
    const plan = planRequestThresholds(roles, [target]);
    return plan.ok ? plan.value : undefined;
  } catch {
    return undefined;
  }
}

function safeMatch(patterns: readonly string[], value: string): boolean {
  try {
    return matchesAny(patterns, value);
  } catch {
    return false;
  }
}
