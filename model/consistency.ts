/**
 * Checks across resources that Teleport itself does not make (it accepts them and fails at request time):
 * dangling role references, duplicates, wildcards, and thresholds that too few people can ever meet.
 */
import { canReview, matchingThresholdIndexes, ReviewerFacts } from './access-request';
import { TeleportDirectory } from './directory';
import { isWildcardPattern, matcherRegExp } from './matchers';
import { referenceProblems } from './references';
import { TeleportResource, Threshold, resourceKey } from './resources';

export interface CrossProblem {
  /** `kind/name` of the resource the problem is reported on. */
  resource: string;
  field: string;
  message: string;
}

export interface ConsistencyOptions {
  /** Allow '*' or regex patterns in request.roles / impersonate.roles (default false). */
  allowWildcards?: boolean;
  /** Roles that exist on the cluster but are not declared here (built-ins such as access, editor). */
  externalRoles?: readonly string[];
}

export function duplicateProblems(resources: readonly TeleportResource[]): CrossProblem[] {
  const seen = new Set<string>();
  const out: CrossProblem[] = [];
  for (const r of resources) {
    const k = resourceKey(r);
    if (seen.has(k)) out.push({ resource: k, field: 'metadata.name', message: `${k} is declared more than once: Teleport names are unique per kind, rename or remove one` });
    seen.add(k);
  }
  return out;
}

/** The model's reference check (./references.ts) as synthesis problems; allowWildcards silences wildcard findings. */
function referenceCrossProblems(dir: TeleportDirectory, opts: ConsistencyOptions): CrossProblem[] {
  return referenceProblems(dir, opts)
    .filter((p) => p.problem !== 'wildcard' || !opts.allowWildcards)
    .map((p) => ({
      resource: p.resource,
      field: p.field,
      message: p.problem === 'wildcard' ? `${p.message}, or set allowWildcards with a reason` : p.message.replace(/which is not declared here/, 'which is not declared in this stack'),
    }));
}

/** Literal roles a request pattern can reach among the declared roles. */
function targetsOf(pattern: string, dir: TeleportDirectory): string[] {
  if (!isWildcardPattern(pattern)) return dir.role(pattern) ? [pattern] : [];
  const re = matcherRegExp(pattern);
  return dir.roles().map((r) => r.metadata.name).filter((n) => re.test(n));
}

export interface EligibleReviewers {
  requester: string;
  role: string;
  reviewers: string[];
}

/**
 * Whether a reviewer's approval can count for threshold i. A filter over the review itself
 * (review.reason, review.annotations) depends on what the reviewer types, so it counts as satisfiable;
 * filters over reviewer and request facts are decided here.
 */
function canCountFor(thresholds: readonly Threshold[], i: number, facts: ReviewerFacts, request: { user: string; roles: string[]; reason: string }): boolean {
  const filter = thresholds[i]?.filter ?? '';
  if (/\breview\.(reason|annotations)\b/.test(filter)) return true;
  return matchingThresholdIndexes(thresholds, facts, request, {}).includes(i);
}

/**
 * Distinct users other than the requester who may review a request for `role` by `requester`, and, when
 * `threshold` is given, whose approval can count for thresholds[threshold.index].
 */
export function eligibleReviewers(
  dir: TeleportDirectory,
  requester: string,
  role: string,
  threshold?: { thresholds: readonly Threshold[]; index: number },
): string[] {
  const out: string[] = [];
  const request = { user: requester, roles: [role], reason: '' };
  for (const u of dir.users()) {
    if (u.metadata.name === requester) continue;
    const facts: ReviewerFacts = { name: u.metadata.name, roles: dir.rolesOf(u), traits: u.spec.traits ?? {} };
    if (!canReview(facts, request).ok) continue;
    if (threshold && !canCountFor(threshold.thresholds, threshold.index, facts, request)) continue;
    out.push(u.metadata.name);
  }
  return out;
}

/**
 * Users who can review a request for `target` by someone else: holders of a role whose
 * review_requests.roles matches it, confirmed with canReview (deny rules and where conditions).
 * Indexed by reviewer role so large organisations stay linear.
 */
class ReviewerIndex {
  private readonly holders = new Map<string, string[]>();
  private readonly reviewRoles: { role: string; patterns: string[] }[] = [];
  private readonly cache = new Map<string, ReviewerFacts[]>();

  constructor(private readonly dir: TeleportDirectory) {
    for (const u of dir.users()) for (const r of u.spec.roles ?? []) this.holders.set(r, [...(this.holders.get(r) ?? []), u.metadata.name]);
    for (const r of dir.roles()) {
      const patterns = r.spec.allow?.review_requests?.roles ?? [];
      if (patterns.length > 0) this.reviewRoles.push({ role: r.metadata.name, patterns });
    }
  }

  holdersOf(role: string): string[] {
    return this.holders.get(role) ?? [];
  }

  reviewersOf(target: string): ReviewerFacts[] {
    let list = this.cache.get(target);
    if (!list) {
      const names = new Set<string>();
      for (const rr of this.reviewRoles) {
        if (rr.patterns.some((p) => matcherRegExp(p).test(target))) for (const u of this.holdersOf(rr.role)) names.add(u);
      }
      list = [];
      for (const name of [...names].sort()) {
        const u = this.dir.user(name)!;
        const facts = { name, roles: this.dir.rolesOf(u), traits: u.spec.traits ?? {} };
        // '\u0000' is no user: the requester is excluded per requester below
        if (canReview(facts, { user: '\u0000', roles: [target], reason: '' }).ok) list.push(facts);
      }
      this.cache.set(target, list);
    }
    return list;
  }
}

/**
 * For every role that lets someone request another, and every threshold in it: are there at least
 * `approve` distinct eligible reviewers for each holder of the role? Predicates cannot name the
 * requester, so eligibility is computed once per threshold; a requester who is also eligible loses
 * exactly one reviewer (themselves).
 */
export function unreachableThresholdProblems(dir: TeleportDirectory): CrossProblem[] {
  const out: CrossProblem[] = [];
  const index = new ReviewerIndex(dir);
  for (const r of dir.roles()) {
    const req = r.spec.allow?.request;
    const thresholds = req?.thresholds ?? [];
    const requesters = index.holdersOf(r.metadata.name);
    if (!req || requesters.length === 0) continue;
    const effective: Threshold[] = thresholds.length === 0 ? [{ approve: 1, deny: 1 }] : thresholds;
    for (const target of new Set((req.roles ?? []).flatMap((p) => targetsOf(p, dir)))) {
      const reviewers = index.reviewersOf(target);
      effective.forEach((t, i) => {
        if (!(t.approve >= 1)) return; // reported by the role's own checks
        const eligible = new Set(reviewers.filter((rv) => canCountFor(effective, i, rv, { user: '\u0000', roles: [target], reason: '' })).map((rv) => rv.name));
        // the worst case is a requester who is also an eligible reviewer
        const worstRequester = requesters.find((q) => eligible.has(q)) ?? requesters[0]!;
        const worst = eligible.size - (eligible.has(worstRequester) ? 1 : 0);
        if (worst < t.approve) {
          out.push({
            resource: resourceKey(r),
            field: thresholds.length === 0 ? 'spec.allow.request.thresholds' : `spec.allow.request.thresholds[${i}].approve`,
            message: `a request for ${target} by ${worstRequester} needs ${t.approve} approvals but only ${worst} distinct user(s) other than the requester can review it and count for this threshold: add reviewers (users with a role whose review_requests.roles covers ${target}) or lower approve`,
          });
        }
      });
    }
  }
  return out;
}

export function consistencyProblems(resources: readonly TeleportResource[], opts: ConsistencyOptions = {}): CrossProblem[] {
  const dir = new TeleportDirectory(resources);
  return [...duplicateProblems(resources), ...referenceCrossProblems(dir, opts), ...unreachableThresholdProblems(dir)];
}

