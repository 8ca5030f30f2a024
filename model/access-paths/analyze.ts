/**
 * The two-person analysis: for every privileged role and every principal (user, bot, external group of
 * an SSO connector), the fewest distinct people who must act for the principal to obtain the role,
 * with the cheapest path as the witness. Paths (see README "Who can obtain a privileged role"):
 * holding it (world.ts), impersonating it or a holder (one level: Teleport refuses impersonation from an
 * impersonated certificate), changing the rules (write verbs, possibly as an impersonated user), and
 * requesting it (request-cost.ts), where impersonated reviewers and automatic approvals count for free.
 * Pure; cost is linear in users for a fixed set of roles (principals with equal held roles share work).
 */
import { evaluateCondition } from '../access-monitoring-condition';
import { canRequestRole, ReviewerFacts } from '../access-request';
import { isWildcardPattern, matchesAny } from '../matchers';
import { TeleportResource } from '../resources';
import { canImpersonateUser, Capabilities, capabilitiesOf } from './capabilities';
import { requestCost, ReviewerPool } from './request-cost';
import { grantText } from './rule-writes';
import { findWritePath, Identity } from './write-paths';
import { AccessAnalysis, AccessPath, PrincipalKind, RequesterSummary, RoleAccess, Step } from './types';
import { AccessWorld } from './world';

export interface AnalysisOptions {
  /** Privileged role name -> why it is privileged. */
  privileged: ReadonlyMap<string, string>;
  /** Approvals the policy wants besides the requester (the policy's minApprovals). */
  minApprovals: number;
}


export function analyzeAccess(resources: readonly TeleportResource[], opts: AnalysisOptions): AccessAnalysis {
  const world = new AccessWorld(resources);
  const privileged = [...opts.privileged.keys()].filter((p) => world.roles.has(p)).sort();
  const privSet = new Set(privileged);
  const capsByKey = new Map<string, Capabilities>();
  const keyOf = (roles: Iterable<string>) => [...roles].sort().join('\u0000');
  const capsFor = (roleNames: string[]): Capabilities => {
    const key = keyOf(roleNames);
    let c = capsByKey.get(key);
    if (!c) {
      c = capabilitiesOf(world.rolesOf([...roleNames].sort()), privileged);
      capsByKey.set(key, c);
    }
    return c;
  };
  const heldNames = (u: string) => [...world.heldBy(u).keys()];
  const factsCache = new Map<string, ReviewerFacts>();
  const factsOf = (u: string): ReviewerFacts => {
    let f = factsCache.get(u);
    if (!f) {
      f = { name: u, roles: world.rolesOf(heldNames(u)), traits: world.users.get(u)?.spec.traits ?? {} };
      factsCache.set(u, f);
    }
    return f;
  };
  // principals grouped by the roles they hold: work per distinct role set, not per user
  interface Group {
    roles: string[];
    users: string[];
  }
  const groups = new Map<string, Group>();
  const groupsByRole = new Map<string, Group[]>();
  for (const u of world.users.keys()) {
    const names = heldNames(u);
    const k = keyOf(names);
    const g = groups.get(k);
    if (g) g.users.push(u);
    else {
      const ng = { roles: names, users: [u] };
      groups.set(k, ng);
      for (const r of names) groupsByRole.set(r, [...(groupsByRole.get(r) ?? []), ng]);
    }
  }
  // roles whose request.roles / search_as_roles name a role literally, and those with patterns
  const requestLiteral = new Map<string, string[]>();
  const requestPatterned: string[] = [];
  for (const r of world.roles.values()) {
    const pats = [...(r.spec.allow?.request?.roles ?? []), ...(r.spec.allow?.request?.search_as_roles ?? [])];
    if (pats.some((x) => isWildcardPattern(x))) requestPatterned.push(r.metadata.name);
    else for (const x of pats) requestLiteral.set(x, [...(requestLiteral.get(x) ?? []), r.metadata.name]);
  }
  // requesters by requested role, for nested reviewer requests (computed on demand)
  const requestersCache = new Map<string, string[]>();
  const requestersOf = (role: string): string[] => {
    let l = requestersCache.get(role);
    if (!l) {
      l = [];
      const candidates = new Set<Group>();
      for (const rn of [...(requestLiteral.get(role) ?? []), ...requestPatterned]) for (const g of groupsByRole.get(rn) ?? []) candidates.add(g);
      for (const g of candidates) {
        let can = false;
        try {
          can = canRequestRole(world.rolesOf(g.roles), role);
        } catch {
          can = false;
        }
        if (can) l.push(...g.users);
      }
      requestersCache.set(role, l);
    }
    return l;
  };
  const pool = new ReviewerPool(world, factsOf, requestersOf);
  // impersonable users per capability set (independent of who holds it)
  const impCache = new Map<Capabilities, { user: string; via: string }[]>();
  const impersonable = (caps: Capabilities): { user: string; via: string }[] => {
    let l = impCache.get(caps);
    if (!l) {
      l = [];
      if (caps.impersonates) {
        for (const v of world.users.keys()) {
          const via = canImpersonateUser(caps.roles, v, heldNames(v));
          if (via) l.push({ user: v, via });
        }
      }
      impCache.set(caps, l);
    }
    return l;
  };
  const autoRules = world.amrs.filter((r) => r.spec.desired_state === 'reviewed' && (r.spec.subjects ?? []).includes('access_request') && r.spec.automatic_review);
  const autoCache = new Map<string, string | undefined>();
  const readsUser = autoRules.some((r) => /\buser\b/.test(r.spec.condition ?? ''));
  const autoApproval = (user: string, role: string): string | undefined => {
    if (autoRules.length === 0) return undefined;
    const ck = readsUser ? `${role}\u0000${user}` : role;
    if (autoCache.has(ck)) return autoCache.get(ck);
    const v = autoApprovalOf(user, role);
    autoCache.set(ck, v);
    return v;
  };
  const autoApprovalOf = (user: string, role: string): string | undefined => {
    let approved: string | undefined;
    for (const r of autoRules) {
      let hit = false;
      try {
        hit = evaluateCondition(r.spec.condition ?? '', { roles: [role], suggestedReviewers: [], annotations: {}, user, requestReason: '', userTraits: world.users.get(user)?.spec.traits ?? {}, pluginName: '' });
      } catch {
        hit = false; // Teleport skips a rule it cannot evaluate
      }
      if (!hit) continue;
      if (r.spec.automatic_review?.decision === 'DENIED') return undefined; // DENIED rules take precedence
      approved ??= r.metadata.name;
    }
    return approved;
  };

  const roles = new Map<string, RoleAccess>();
  for (const p of privileged) roles.set(p, { role: p, reason: opts.privileged.get(p) ?? '', holders: [], requesters: [], reviewers: [], paths: [], minPeople: null });
  const record = (path: AccessPath) => {
    const ra = roles.get(path.role);
    if (!ra) return;
    ra.paths.push(path);
    if (path.steps.length === 1 && ['holds', 'bot', 'access-list-member', 'access-list-owner', 'connector'].includes(path.steps[0]!.kind)) ra.holders.push(path);
  };

  const writePath = (u: string, p: string, ids: Identity[], own: Capabilities) => findWritePath(world, heldNames, u, p, ids, own);

  const costCache = new Map<Capabilities, Map<string, ReturnType<typeof requestCost>>>();
  const viaCache = new Map<Capabilities, Map<string, string[]>>();
  const viaOf = (caps: Capabilities, p: string, f: () => string[]): string[] => {
    let m = viaCache.get(caps);
    if (!m) viaCache.set(caps, (m = new Map()));
    let v = m.get(p);
    if (!v) m.set(p, (v = f()));
    return v;
  };
  const principalPaths = (u: string, kind: PrincipalKind, held: Map<string, Step[]>, caps: Capabilities, canRequest: boolean) => {
    const imp = kind === 'user' ? impersonable(caps).filter((x) => x.user !== u) : [];
    const impSteps = new Map(imp.map((x) => [x.user, { kind: 'impersonate-user' as const, text: `${x.via} lets ${u} impersonate ${x.user}`, resource: `role/${x.via}`, field: 'spec.allow.impersonate.users' }]));
    const ids: Identity[] = [{ who: u, caps, prefix: [] }, ...imp.map((x) => ({ who: x.user, caps: capsFor(heldNames(x.user)), prefix: [impSteps.get(x.user)!] }))];
    const anyWrite = ids.some((i) => i.caps.writes.size > 0 || i.caps.setState.length > 0);
    const targets = new Set<string>();
    for (const r of held.keys()) if (privSet.has(r)) targets.add(r);
    for (const r of caps.requests.keys()) targets.add(r);
    for (const r of caps.impersonateRoles.keys()) targets.add(r);
    for (const x of imp) for (const r of heldNames(x.user)) if (privSet.has(r)) targets.add(r);
    if (anyWrite) for (const p of privileged) targets.add(p);
    const actsFor = new Set(imp.map((x) => x.user));
    for (const p of [...targets].sort()) {
      const base = { principal: u, principalKind: kind, role: p, others: [] as string[] };
      const requestPath = (): AccessPath | undefined => {
        const plan = canRequest ? caps.requests.get(p) : undefined;
        if (!plan) return undefined;
        const existingAuto = autoApproval(u, p);
        const amrWriter = existingAuto ? undefined : ids.find((i) => i.caps.writes.has('access_monitoring_rule'));
        const auto = !!existingAuto || !!amrWriter;
        // the cost is the same for every holder of these roles who acts for nobody and reviews none of it
        let cost: ReturnType<typeof requestCost>;
        if (actsFor.size === 0 && !pool.mayReview(p, plan, u)) {
          const ck = `${p}\u0000${existingAuto ?? ''}\u0000${auto}`;
          let perCaps = costCache.get(caps);
          if (!perCaps) costCache.set(caps, (perCaps = new Map()));
          cost = perCaps.get(ck) ?? requestCost(pool, u, p, plan, actsFor, auto);
          perCaps.set(ck, cost);
        } else cost = requestCost(pool, u, p, plan, actsFor, auto);
        const ra = roles.get(p)!;
        const via = viaOf(caps, p, () => caps.roles
          .filter((r) => {
            try {
              return matchesAny([...(r.spec.allow?.request?.roles ?? []), ...(r.spec.allow?.request?.search_as_roles ?? [])], p);
            } catch {
              return false;
            }
          })
          .map((r) => r.metadata.name));
        const summary: RequesterSummary = { principal: u, approvals: cost.approvals, people: cost.people, via };
        ra.requesters.push(summary);
        if (cost.people === null) return undefined;
        const opt = cost.options[0]!;
        const steps: Step[] = [];
        const viaRole = via.find((n) => world.roles.get(n)?.spec.allow?.request?.thresholds?.length) ?? via[0] ?? '';
        steps.push({ kind: 'request', text: `${u} can request ${p} through ${viaRole} (approve ${opt.approve})`, resource: `role/${viaRole}`, field: 'spec.allow.request' });
        if (existingAuto) steps.push({ kind: 'automatic-review', text: `access monitoring rule ${existingAuto} approves it automatically (one review by ${'@teleport-access-approval-bot'})`, resource: `access_monitoring_rule/${existingAuto}`, field: 'spec.automatic_review' });
        else if (amrWriter && opt.auto) {
          const g = amrWriter.caps.writes.get('access_monitoring_rule')![0]!;
          steps.push(...amrWriter.prefix, { kind: 'write', text: `${grantText(g, 'access_monitoring_rule')}: an automatic approval of ${p} counts as one review`, resource: `role/${g.role}`, field: g.field });
        }
        for (const f of opt.free) steps.push({ ...impSteps.get(f)!, text: `${impSteps.get(f)!.text}, an eligible reviewer, and approve as them` });
        if (opt.paid > 0) {
          const nested = opt.names.filter((n) => opt.nestedVia?.has(n)).map((n) => `${n} after requesting ${opt.nestedVia!.get(n)}`);
          steps.push({ kind: 'request', text: `${opt.paid} other ${opt.paid === 1 ? 'person approves' : 'people approve'} (${opt.names.join(', ')}${nested.length ? `; ${nested.join(', ')}` : ''})`, resource: `role/${viaRole}`, field: 'spec.allow.request.thresholds' });
        }
        return { ...base, people: cost.people, others: opt.names, steps };
      };
      const viaRequest = requestPath();
      const h = held.get(p);
      if (h) {
        record({ ...base, people: 1, steps: h });
        continue;
      }
      const ir = caps.impersonateRoles.get(p);
      if (ir) {
        record({ ...base, people: 1, steps: [{ kind: 'impersonate-role', text: `${ir} lets ${u} impersonate role ${p}`, resource: `role/${ir}`, field: 'spec.allow.impersonate.roles' }] });
        continue;
      }
      const viaHolder = imp.find((x) => world.heldBy(x.user).has(p));
      if (viaHolder) {
        record({ ...base, people: 1, steps: [impSteps.get(viaHolder.user)!, ...world.heldBy(viaHolder.user).get(p)!] });
        continue;
      }
      const w = writePath(u, p, ids, caps);
      if (w) {
        record({ ...base, people: 1, steps: w });
        continue;
      }
      if (viaRequest) record(viaRequest);
    }
  };

  for (const g of groups.values()) {
    const caps = capsFor(g.roles);
    const relevant = caps.requests.size > 0 || caps.impersonateRoles.size > 0 || caps.impersonates || caps.writes.size > 0 || caps.setState.length > 0 || g.roles.some((r) => privSet.has(r));
    if (relevant) for (const u of g.users) principalPaths(u, 'user', world.heldBy(u), caps, true);
  }
  for (const b of world.bots) {
    const name = `bot/${b.metadata.name}`;
    const held = new Map<string, Step[]>((b.spec.roles ?? []).map((r) => [r, [{ kind: 'bot' as const, text: `bot ${b.metadata.name} has role ${r}`, resource: name, field: 'spec.roles' }]]));
    principalPaths(name, 'bot', held, capsFor([...held.keys()]), false);
  }
  for (const m of world.connectorMappings()) {
    for (const r of m.roles.filter((x) => privSet.has(x))) {
      record({ principal: `${m.group} (connector ${m.connector})`, principalKind: 'group', role: r, people: 1, others: [], steps: [{ kind: 'connector', text: `${m.kind} connector ${m.connector} maps ${m.group} to ${r}: anyone the identity provider puts in it`, resource: `${m.kind}/${m.connector}`, field: m.field }] });
    }
  }

  for (const ra of roles.values()) {
    ra.paths.sort((a, b) => a.people - b.people || (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
    ra.minPeople = ra.paths[0]?.people ?? null;
    const names = new Set<string>();
    for (const r of world.roles.values()) {
      let hit = false;
      try {
        hit = matchesAny(r.spec.allow?.review_requests?.roles, ra.role);
      } catch {
        hit = false;
      }
      if (hit) for (const u of world.holdersOf(r.metadata.name)) names.add(u);
    }
    ra.reviewers = [...names].sort();
  }
  const byRole = new Map<string, Map<string, AccessPath>>();
  return {
    requiredPeople: 1 + opts.minApprovals,
    roles,
    pathFor(role, principal) {
      let m = byRole.get(role);
      if (!m) {
        m = new Map();
        for (const p of roles.get(role)?.paths ?? []) if (!m.has(p.principal)) m.set(p.principal, p);
        byRole.set(role, m);
      }
      return m.get(principal);
    },
  };
}
