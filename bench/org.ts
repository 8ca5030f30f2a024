/**
 * A synthetic organisation for benchmarks: per team, a privileged role, a reviewer role and a requester
 * role (approve 2, deny 1); users spread over teams as requesters and reviewers.
 */
import { RoleResource, TeleportResource, UserResource } from '../model';

export interface OrgShape {
  roles: number;
  users: number;
}

export function generateOrg(shape: OrgShape): TeleportResource[] {
  const teams = Math.max(1, Math.floor(shape.roles / 3));
  const out: TeleportResource[] = [];
  for (let t = 0; t < teams; t++) {
    const priv = `team${t}-admin`;
    out.push(
      { kind: 'role', version: 'v5', metadata: { name: priv }, spec: { allow: { logins: ['root'], node_labels: { team: `t${t}`, env: 'prod' } } } } as RoleResource,
      { kind: 'role', version: 'v5', metadata: { name: `team${t}-reviewer` }, spec: { allow: { review_requests: { roles: [priv] } } } } as RoleResource,
      { kind: 'role', version: 'v5', metadata: { name: `team${t}-dev` }, spec: { allow: { request: { roles: [priv], thresholds: [{ approve: 2, deny: 1 }] } } } } as RoleResource,
    );
  }
  for (let r = teams * 3; r < shape.roles; r++) {
    out.push({ kind: 'role', version: 'v5', metadata: { name: `extra-${r}` }, spec: { allow: { logins: [`u${r}`] } } } as RoleResource);
  }
  for (let u = 0; u < shape.users; u++) {
    const t = u % teams;
    // every team gets reviewers: the first three users of each team review, the rest request
    const roles = Math.floor(u / teams) < 3 ? [`team${t}-reviewer`] : [`team${t}-dev`];
    out.push({ kind: 'user', version: 'v2', metadata: { name: `user${u}@example.com` }, spec: { roles } } as UserResource);
  }
  return out;
}
