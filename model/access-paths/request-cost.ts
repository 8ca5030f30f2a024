/**
 * People a request path needs (lib/services/access_request.go): each requester role matching the
 * requested role contributes one threshold set; every set needs one of its thresholds met; a threshold
 * needs `approve` approvals from distinct users other than the requester whose reviews its filter
 * counts (one review per user). Reviewers the requester can impersonate act for free (their review is
 * the requester's); an automatic approval by an access monitoring rule is one review by Teleport's
 * approval bot (lib/accessmonitoring/review: author @teleport-access-approval-bot), which counts like
 * any review. Reviewers include users who can first obtain a reviewer role by request (nested requests).
 */
import { canReview, matchingThresholdIndexes, RequestThresholds, ReviewerFacts } from '../access-request';
import { isWildcardPattern, matchesAny } from '../matchers';
import { RoleResource } from '../resources';
import { AccessWorld } from './world';

export const APPROVAL_BOT = '@teleport-access-approval-bot';
const APPROVER_ROLE = { kind: 'role', version: 'v7', metadata: { name: '@teleport-access-approver' }, spec: { allow: { review_requests: { roles: ['*'] } } } } as RoleResource;
const SOMEONE = '\u0000requester';
/** A filter over the review itself (reason, annotations) depends on what the reviewer writes: satisfiable. */
const REVIEW_FIELDS = /\breview\.(reason|annotations)\b/;

export interface ThresholdOption {
  /** Approvals still to be given by people other than the requester. */
  paid: number;
  /** Those people, as far as named (eligible reviewers not acted for). */
  names: string[];
  /** Reviewers the requester acts for (impersonation). */
  free: string[];
  auto: boolean;
  approve: number;
  nestedVia?: Map<string, string>;
}

export interface RequestCost {
  /** 1 + the approvals others must give; null when the request can never be approved. */
  people: number | null;
  approvals: number;
  options: ThresholdOption[];
  reason?: string;
}

function tryBool(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

export class ReviewerPool {
  private readonly cache = new Map<string, { names: string[]; nested: Map<string, string> }>();
  private readonly reviewRoles = new Map<string, RoleResource[]>();

  constructor(
    private readonly world: AccessWorld,
    private readonly factsOf: (user: string) => ReviewerFacts,
    /** Users who can request a role (by role name), for nested requests. */
    private readonly requestersOf: (role: string) => string[],
  ) {}

  /** Reviewer roles by literal pattern, and those with wildcard patterns (checked per target). */
  private literal?: Map<string, RoleResource[]>;
  private patterned: RoleResource[] = [];

  private rolesReviewing(target: string): RoleResource[] {
    let l = this.reviewRoles.get(target);
    if (!l) {
      if (!this.literal) {
        this.literal = new Map();
        for (const r of this.world.roles.values()) {
          const pats = r.spec.allow?.review_requests?.roles ?? [];
          if (pats.some((p) => isWildcardPattern(p))) this.patterned.push(r);
          else for (const p of pats) this.literal.set(p, [...(this.literal.get(p) ?? []), r]);
        }
      }
      const hits = new Set(this.literal.get(target) ?? []);
      for (const r of this.patterned) if (tryBool(() => matchesAny(r.spec.allow?.review_requests?.roles, target))) hits.add(r);
      l = [...hits];
      this.reviewRoles.set(target, l);
    }
    return l;
  }

  /** Users (any requester but themselves) whose approval counts for thresholds[i] of a request for `target`. */
  eligible(target: string, plan: RequestThresholds, i: number): { names: string[]; nested: Map<string, string> } {
    const t = plan.thresholds[i];
    const key = `${target}\u0000${t?.filter ?? ''}`;
    let hit = this.cache.get(key);
    if (hit) return hit;
    const request = { user: SOMEONE, roles: [target], reason: '' };
    const counts = (facts: ReviewerFacts) => tryBool(() => canReview(facts, request).ok) && (!t?.filter || REVIEW_FIELDS.test(t.filter) || tryBool(() => matchingThresholdIndexes(plan.thresholds, facts, request, {}).includes(i)));
    const names = new Set<string>();
    const roles = this.rolesReviewing(target);
    for (const r of roles) for (const u of this.world.holdersOf(r.metadata.name)) if (!names.has(u) && counts(this.factsOf(u))) names.add(u);
    // nested: someone who can request a reviewer role (and has reviewers for it) can become a reviewer
    const nested = new Map<string, string>();
    for (const r of roles) {
      const rn = r.metadata.name;
      const theirReviewers = this.rolesReviewing(rn).reduce((n, rr) => n + this.world.holdersOf(rr.metadata.name).length, 0);
      if (theirReviewers === 0) continue;
      for (const u of this.requestersOf(rn)) {
        if (names.has(u) || nested.has(u)) continue;
        const f = this.factsOf(u);
        if (counts({ ...f, roles: [...f.roles, r] })) nested.set(u, rn);
      }
    }
    hit = { names: [...names].sort(), nested };
    this.cache.set(key, hit);
    return hit;
  }

  private readonly reviewerSets = new Map<string, Set<string>>();

  /** Whether `user` is an eligible reviewer (or nested) for any threshold of a request for `target`. */
  mayReview(target: string, plan: RequestThresholds, user: string): boolean {
    const key = `${target}\u0000${plan.thresholds.map((t) => t.filter ?? '').join('\u0001')}`;
    let set = this.reviewerSets.get(key);
    if (!set) {
      set = new Set();
      plan.thresholds.forEach((_, i) => {
        const e = this.eligible(target, plan, i);
        for (const n of e.names) set!.add(n);
        for (const n of e.nested.keys()) set!.add(n);
      });
      this.reviewerSets.set(key, set);
    }
    return set.has(user);
  }

  /** Whether the approval bot's review counts for thresholds[i]. */
  botCounts(target: string, plan: RequestThresholds, i: number): boolean {
    const t = plan.thresholds[i];
    if (!t?.filter || REVIEW_FIELDS.test(t.filter)) return true;
    return tryBool(() => matchingThresholdIndexes(plan.thresholds, { name: APPROVAL_BOT, roles: [APPROVER_ROLE], traits: {} }, { user: SOMEONE, roles: [target], reason: '' }, {}).includes(i));
  }
}

/** The cheapest way a request by `requester` for `target` gets approved. */
export function requestCost(
  pool: ReviewerPool,
  requester: string,
  target: string,
  plan: RequestThresholds,
  actsFor: ReadonlySet<string>,
  auto: boolean,
): RequestCost {
  const sets = plan.roleThresholdMapping[target]?.sets ?? [];
  let worst: ThresholdOption | undefined;
  let approvals = 0;
  const options: ThresholdOption[] = [];
  for (const set of sets) {
    let best: ThresholdOption | undefined;
    let minApprove = Infinity;
    for (const i of set.indexes) {
      const t = plan.thresholds[i];
      if (!t || !(t.approve >= 1)) continue; // approve 0 never approves
      minApprove = Math.min(minApprove, t.approve);
      const { names, nested } = pool.eligible(target, plan, i);
      const others = [...names, ...nested.keys()].filter((n) => n !== requester);
      const free = others.filter((n) => actsFor.has(n));
      const a = auto && pool.botCounts(target, plan, i);
      if (others.length + (a ? 1 : 0) < t.approve) continue;
      const paid = Math.max(0, t.approve - (a ? 1 : 0) - free.length);
      const opt: ThresholdOption = { paid, names: others.filter((n) => !actsFor.has(n)).slice(0, paid), free: free.slice(0, t.approve - (a ? 1 : 0)), auto: a, approve: t.approve, nestedVia: nested };
      if (!best || opt.paid < best.paid) best = opt;
    }
    approvals = Math.max(approvals, minApprove === Infinity ? 0 : minApprove);
    if (!best) return { people: null, approvals, options, reason: 'too few people can review it for its thresholds' };
    options.push(best);
    if (!worst || best.paid > worst.paid) worst = best;
  }
  if (!worst) return { people: null, approvals, options, reason: 'no threshold can approve it' };
  return { people: 1 + worst.paid, approvals, options: worst ? [worst] : options };
}
