import { canRequestRole, isWildcardPattern, resourceKey } from '../index';
import { ModelRule, RawFinding } from './types';
import { safe, safeMatches } from './util';

/** Privileged roles are reachable only through access requests with approve >= 2 and deny >= 1. */
export const privilegedDualApproval: ModelRule = {
  id: 'DA-001',
  name: 'privileged-role-needs-dual-approval',
  severity: 'error',
  control: 'AC-3',
  description: 'A privileged role is reachable only through an access request with approve >= 2 and deny >= 1.',
  fix: 'In every role that can request the privileged role, give each entry of spec.allow.request.thresholds approve >= 2 and deny >= 1 (thresholds in one role are alternatives, so the weakest decides); grant no impersonation of the role or of its holders.',
  check({ index, config }) {
    const out: RawFinding[] = [];
    const privileged = index.privilegedRoles().map((r) => r.metadata.name);
    if (privileged.length === 0) return out;
    const privilegedSet = new Set(privileged);
    const min = `approve >= ${config.minApprovals} and deny >= ${config.minDenials}`;
    for (const r of index.roles()) {
      const name = r.metadata.name;
      const res = resourceKey(r);
      const req = r.spec.allow?.request;
      const viaRequest = index.requestTargets(r).filter((t) => privilegedSet.has(t) && t !== name && safe(() => canRequestRole([r], t)));
      const viaClaims = index.claimTargets(r).filter((t) => privilegedSet.has(t) && t !== name && !viaRequest.includes(t));
      for (const target of [...viaRequest, ...viaClaims]) {
        const thresholds = req?.thresholds ?? [];
        if (thresholds.length === 0) {
          out.push({
            resource: res,
            field: viaRequest.includes(target) ? 'spec.allow.request.roles' : 'spec.allow.request.claims_to_roles',
            key: target,
            message: `role ${name} lets its holders request privileged role ${target} with Teleport's default threshold (1 approval, 1 denial): require ${min}`,
          });
          continue;
        }
        thresholds.forEach((t, i) => {
          const weak: string[] = [];
          if (!((t.approve ?? 0) >= config.minApprovals)) weak.push(`approve ${t.approve ?? 0}`);
          if (!((t.deny ?? 0) >= config.minDenials)) weak.push(`deny ${t.deny ?? 0}`);
          if (weak.length === 0) return;
          out.push({
            resource: res,
            field: `spec.allow.request.thresholds[${i}]`,
            key: target,
            message: `role ${name} lets its holders request privileged role ${target} with a threshold of ${weak.join(' and ')}${thresholds.length > 1 ? ' (thresholds in one role are alternatives: the weakest one decides)' : ''}: require ${min}`,
          });
        });
      }
      const imp = r.spec.allow?.impersonate;
      for (const target of index.matchRoles(imp?.roles).filter((t) => privilegedSet.has(t) && !safeMatches(r.spec.deny?.impersonate?.roles, t))) {
        out.push({ resource: res, field: 'spec.allow.impersonate.roles', key: `impersonate-role:${target}`, message: `role ${name} can impersonate privileged role ${target}, bypassing access requests` });
      }
      for (const pattern of imp?.users ?? []) {
        const users = isWildcardPattern(pattern) ? index.users().filter((u) => safeMatches([pattern], u.metadata.name)) : [index.dir.user(pattern)];
        for (const user of users) {
          if (!user || safeMatches(r.spec.deny?.impersonate?.users, user.metadata.name)) continue;
          const held = (user.spec.roles ?? []).filter((x) => privilegedSet.has(x));
          if (held.length === 0) continue;
          const u = user.metadata.name;
          out.push({ resource: res, field: 'spec.allow.impersonate.users', key: `impersonate-user:${u}`, message: `role ${name} can impersonate ${u}, who holds privileged role ${held.join(', ')}, bypassing access requests` });
        }
      }
    }
    return out;
  },
};
