/**
 * The resources the rules read, indexed once: which declared roles each role's request, review and
 * impersonation patterns reach, who holds what, which roles are privileged. Decisions themselves
 * (may X request / review Y) stay with the model's canRequestRole / canReview; this index only narrows
 * the candidates so an organisation of 10,000 users is checked in well under a second.
 */
import {
  canReview,
  isWildcardPattern,
  matcherRegExp,
  matchingThresholdIndexes,
  RequestFacts,
  ReviewerFacts,
  RoleResource,
  TeleportDirectory,
  Threshold,
  UserResource,
} from '../index';
import { PolicyConfig, privilegeReason } from './config';

export const REVIEW_FIELDS = /\breview\.(reason|annotations)\b/;

export class PolicyIndex {
  readonly dir: TeleportDirectory;
  readonly roleNames: string[];
  private readonly roleNameSet: Set<string>;
  private readonly holders = new Map<string, string[]>();
  private readonly privileged = new Map<string, string | undefined>();
  private readonly requestMemo = new Map<string, string[]>();
  private readonly claimMemo = new Map<string, string[]>();
  private readonly reviewMemo = new Map<string, string[]>();

  constructor(
    roles: readonly RoleResource[],
    users: readonly UserResource[],
    readonly config: PolicyConfig,
  ) {
    this.dir = new TeleportDirectory([...roles, ...users]);
    this.roleNames = roles.map((r) => r.metadata.name);
    this.roleNameSet = new Set(this.roleNames);
    for (const u of users) {
      for (const r of new Set(u.spec.roles ?? [])) {
        const list = this.holders.get(r);
        if (list) list.push(u.metadata.name);
        else this.holders.set(r, [u.metadata.name]);
      }
    }
  }

  roles(): RoleResource[] {
    return this.dir.roles();
  }

  users(): UserResource[] {
    return this.dir.users();
  }

  /** Users holding a role statically (spec.roles). */
  holdersOf(role: string): string[] {
    return this.holders.get(role) ?? [];
  }

  privilegeReason(role: string): string | undefined {
    if (!this.privileged.has(role)) {
      const r = this.dir.role(role);
      this.privileged.set(role, r ? privilegeReason(r, this.config) : undefined);
    }
    return this.privileged.get(role);
  }

  isPrivileged(role: string): boolean {
    return this.privilegeReason(role) !== undefined;
  }

  privilegedRoles(): RoleResource[] {
    return this.roles().filter((r) => this.isPrivileged(r.metadata.name));
  }

  /** Declared role names a list of role patterns (globs, ^regex$, literals) matches. */
  matchRoles(patterns: readonly string[] | undefined): string[] {
    const out = new Set<string>();
    for (const p of patterns ?? []) {
      if (!isWildcardPattern(p)) {
        if (this.roleNameSet.has(p)) out.add(p);
        continue;
      }
      const re = safeRegExp(p);
      if (!re) continue;
      for (const n of this.roleNames) if (re.test(n)) out.add(n);
    }
    return [...out];
  }

  /** Declared roles a role's allow.request.roles / search_as_roles can reach (before deny rules). */
  requestTargets(role: RoleResource): string[] {
    return memo(this.requestMemo, role.metadata.name, () => {
      const req = role.spec.allow?.request;
      return this.matchRoles([...(req?.roles ?? []), ...(req?.search_as_roles ?? [])]);
    });
  }

  /** Declared roles reachable through allow.request.claims_to_roles (depends on SSO claims at login). */
  claimTargets(role: RoleResource): string[] {
    return memo(this.claimMemo, role.metadata.name, () => this.matchRoles((role.spec.allow?.request?.claims_to_roles ?? []).flatMap((c) => c.roles ?? [])));
  }

  /** Declared roles a role's allow.review_requests.roles covers (before where / deny). */
  reviewTargets(role: RoleResource): string[] {
    return memo(this.reviewMemo, role.metadata.name, () => this.matchRoles(role.spec.allow?.review_requests?.roles));
  }

  reviewerFacts(user: UserResource): ReviewerFacts {
    return { name: user.metadata.name, roles: this.dir.rolesOf(user), traits: user.spec.traits ?? {} };
  }

  /** The model's canReview; an unparsable `where` (reported by DA-010) counts as "cannot review". */
  canReview(reviewer: ReviewerFacts, request: RequestFacts): boolean {
    try {
      return canReview(reviewer, request).ok;
    } catch {
      return false;
    }
  }

  /** Whether a reviewer's approval counts for thresholds[index] (model's filter evaluation; empty reason). */
  countsFor(thresholds: readonly Threshold[], index: number, reviewer: ReviewerFacts, request: RequestFacts): boolean {
    const t = thresholds[index];
    if (!t?.filter || t.filter.trim() === '') return true;
    // a filter over the review itself depends on what the reviewer writes: satisfiable (as model/consistency.ts)
    if (REVIEW_FIELDS.test(t.filter)) return true;
    try {
      return matchingThresholdIndexes(thresholds, reviewer, request, {}).includes(index);
    } catch {
      return false;
    }
  }
}

function memo<T>(m: Map<string, T>, key: string, f: () => T): T {
  let v = m.get(key);
  if (v === undefined) {
    v = f();
    m.set(key, v);
  }
  return v;
}

function safeRegExp(p: string): RegExp | undefined {
  try {
    return matcherRegExp(p);
  } catch {
    return undefined;
  }
}
