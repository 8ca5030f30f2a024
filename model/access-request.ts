/**
 * Teleport's access-request decision rules, written once (lib/services/access_request.go):
 * who may request a role, which threshold sets a request gets, who may review it, which thresholds a
 * review counts for, and when reviews approve or deny it. Pure functions over model resources; the
 * constructs' validation, the policy review, the simulator and the demo all use these.
 */
import { matchesAny } from './matchers';
import { evaluatePredicate, PredicateContext } from './predicate';
import { RoleResource, Threshold } from './resources';

export type RequestState = 'PENDING' | 'APPROVED' | 'DENIED';
export type ReviewState = 'APPROVED' | 'DENIED';

/** The default a role gets only when its whole `thresholds` list is empty (thresholdCollector.push). */
export const DEFAULT_THRESHOLD: Readonly<Threshold> = Object.freeze({ name: 'default', approve: 1, deny: 1 });

export interface ThresholdSets {
  /** Per requested role: one set per contributing requester role; each set indexes into `thresholds`. */
  sets: { indexes: number[] }[];
}

export interface RequestThresholds {
  thresholds: Threshold[];
  roleThresholdMapping: Record<string, ThresholdSets>;
  suggestedReviewers: string[];
}

export interface RequestFacts {
  user: string;
  roles: string[];
  reason?: string;
  systemAnnotations?: Record<string, string[]>;
}

export interface ReviewerFacts {
  name: string;
  roles: RoleResource[];
  traits?: Record<string, string[]>;
}

export interface Review {
  author: string;
  state: ReviewState;
  reason?: string;
  annotations?: Record<string, string[]>;
  /** Indexes of the thresholds whose filter matched this review when it was submitted. */
  thresholdIndexes: number[];
}

export type Decision<T> = { ok: true; value: T } | { ok: false; reason: string };

function requestMatchers(role: RoleResource): string[] {
  const r = role.spec.allow?.request;
  return [...(r?.roles ?? []), ...(r?.search_as_roles ?? [])];
}

/** CanRequestRole: matched by an allow matcher of some role and by no deny matcher of any role. */
export function canRequestRole(requesterRoles: readonly RoleResource[], role: string): boolean {
  if (requesterRoles.some((r) => matchesAny(r.spec.deny?.request?.roles, role) || matchesAny(r.spec.deny?.request?.search_as_roles, role))) {
    return false;
  }
  return requesterRoles.some((r) => matchesAny(requestMatchers(r), role));
}

function sameThreshold(a: Threshold, b: Threshold): boolean {
  return (a.name ?? '') === (b.name ?? '') && (a.filter ?? '') === (b.filter ?? '') && a.approve === b.approve && a.deny === b.deny;
}

/**
 * Builds the thresholds a new request carries: for each requested role, every requester role whose
 * matchers match it contributes its thresholds list as one set (empty list: the {1,1} default).
 * Identical thresholds are stored once and share a counter, as in Teleport.
 */
export function planRequestThresholds(requesterRoles: readonly RoleResource[], requested: readonly string[]): Decision<RequestThresholds> {
  if (requested.length === 0) return { ok: false, reason: 'an access request must name at least one role' };
  const thresholds: Threshold[] = [];
  const mapping: Record<string, ThresholdSets> = {};
  const suggested = new Set<string>();
  const indexOf = (t: Threshold): number => {
    const i = thresholds.findIndex((x) => sameThreshold(x, t));
    if (i >= 0) return i;
    thresholds.push({ ...t });
    return thresholds.length - 1;
  };
  for (const role of requested) {
    if (!canRequestRole(requesterRoles, role)) return { ok: false, reason: `user is not allowed to request role ${JSON.stringify(role)}` };
    const sets: { indexes: number[] }[] = [];
    for (const r of requesterRoles) {
      if (!matchesAny(requestMatchers(r), role)) continue;
      const list = r.spec.allow?.request?.thresholds ?? [];
      const effective = list.length === 0 ? [DEFAULT_THRESHOLD] : list;
      sets.push({ indexes: effective.map(indexOf) });
      for (const s of r.spec.allow?.request?.suggested_reviewers ?? []) suggested.add(s);
    }
    mapping[role] = { sets };
  }
  return { ok: true, value: { thresholds, roleThresholdMapping: mapping, suggestedReviewers: [...suggested].sort() } };
}

function whereContext(reviewer: ReviewerFacts, request: RequestFacts): PredicateContext {
  return {
    reviewer: { roles: reviewer.roles.map((r) => r.metadata.name), traits: reviewer.traits ?? {} },
    request: { roles: [...request.roles], reason: request.reason ?? '', system_annotations: request.systemAnnotations ?? {} },
  };
}

/**
 * ReviewPermissionChecker.CanReviewRequest: never the requester; any deny group (where true) matching a
 * requested role forbids; every requested role must be matched by an allow group whose where holds.
 */
export function canReview(reviewer: ReviewerFacts, request: RequestFacts): Decision<true> {
  if (reviewer.name === request.user) return { ok: false, reason: 'the requester cannot review their own request' };
  const ctx = whereContext(reviewer, request);
  for (const r of reviewer.roles) {
    const deny = r.spec.deny?.review_requests;
    if (!deny || !evaluatePredicate(deny.where, 'review-where', ctx)) continue;
    const hit = request.roles.find((role) => matchesAny(deny.roles, role));
    if (hit) return { ok: false, reason: `role ${r.metadata.name} denies reviewing ${hit}` };
  }
  for (const role of request.roles) {
    const allowed = reviewer.roles.some((r) => {
      const allow = r.spec.allow?.review_requests;
      return !!allow && matchesAny(allow.roles, role) && evaluatePredicate(allow.where, 'review-where', ctx);
    });
    if (!allowed) return { ok: false, reason: `${reviewer.name} has no role that allows reviewing ${role}` };
  }
  return { ok: true, value: true };
}

/** Indexes of the thresholds whose filter matches a review (collectReviewThresholdIndexes). */
export function matchingThresholdIndexes(
  thresholds: readonly Threshold[],
  reviewer: ReviewerFacts,
  request: RequestFacts,
  review: { reason?: string; annotations?: Record<string, string[]> },
): number[] {
  const ctx: PredicateContext = { ...whereContext(reviewer, request), review: { reason: review.reason ?? '', annotations: review.annotations ?? {} } };
  const out: number[] = [];
  thresholds.forEach((t, i) => {
    if (evaluatePredicate(t.filter, 'threshold-filter', ctx)) out.push(i);
  });
  return out;
}

export interface ThresholdTally {
  threshold: Threshold;
  approvals: number;
  denials: number;
}

export function tallyReviews(thresholds: readonly Threshold[], reviews: readonly Review[]): ThresholdTally[] {
  const tallies = thresholds.map((threshold) => ({ threshold, approvals: 0, denials: 0 }));
  for (const rv of reviews) {
    for (const i of rv.thresholdIndexes) {
      const t = tallies[i];
      if (!t) continue;
      if (rv.state === 'APPROVED') t.approvals++;
      else t.denials++;
    }
  }
  return tallies;
}

/**
 * calculateReviewBasedResolution: any threshold with denials >= deny (deny != 0) denies; a role is
 * approved when every set has a threshold with approvals >= approve (approve != 0); the request is
 * approved when all roles are.
 */
export function resolveByReviews(plan: RequestThresholds, reviews: readonly Review[]): RequestState {
  const tallies = tallyReviews(plan.thresholds, reviews);
  if (tallies.some((t) => t.threshold.deny !== 0 && t.denials >= t.threshold.deny)) return 'DENIED';
  const roles = Object.values(plan.roleThresholdMapping);
  const approved = roles.every((m) =>
    m.sets.every((set) =>
      set.indexes.some((i) => {
        const t = tallies[i];
        return !!t && t.threshold.approve !== 0 && t.approvals >= t.threshold.approve;
      }),
    ),
  );
  return approved ? 'APPROVED' : 'PENDING';
}

export interface ReviewOutcome {
  review: Review;
  state: RequestState;
}

/**
 * ApplyAccessReview for one new review: checks that the request is pending, the reviewer may review it,
 * and has not reviewed it before; tags the review with matching thresholds; returns the new state.
 */
export function applyReview(
  request: RequestFacts & { state: RequestState; plan: RequestThresholds; reviews: readonly Review[] },
  reviewer: ReviewerFacts,
  proposed: { state: ReviewState; reason?: string; annotations?: Record<string, string[]> },
): Decision<ReviewOutcome> {
  if (request.state !== 'PENDING') return { ok: false, reason: `the request is already ${request.state.toLowerCase()}` };
  if (request.plan.thresholds.length === 0) return { ok: false, reason: 'the request has no thresholds' };
  if (request.reviews.some((r) => r.author === reviewer.name)) return { ok: false, reason: `user ${JSON.stringify(reviewer.name)} has already reviewed this request` };
  const allowed = canReview(reviewer, request);
  if (!allowed.ok) return allowed;
  const review: Review = {
    author: reviewer.name,
    state: proposed.state,
    reason: proposed.reason,
    annotations: proposed.annotations,
    thresholdIndexes: matchingThresholdIndexes(request.plan.thresholds, reviewer, request, proposed),
  };
  return { ok: true, value: { review, state: resolveByReviews(request.plan, [...request.reviews, review]) } };
}
