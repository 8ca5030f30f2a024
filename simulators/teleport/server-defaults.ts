/**
 * What the simulated Auth server adds when it stores a role or user: the model's server defaults for
 * the role version (model/kinds/role.ts roleWithServerDefaults, Teleport's CheckAndSetDefaults) plus a
 * fresh revision, so drift detection sees the same server-side noise as on a real cluster.
 */
import { randomUUID } from 'node:crypto';
import { KINDS } from '../../model/kinds';
import type { RoleResource, UserResource } from '../../model/resources';

export function applyRoleServerDefaults(role: RoleResource): RoleResource {
  const r = KINDS.role!.withServerDefaults(role) as RoleResource;
  r.metadata = { ...r.metadata, revision: randomUUID() };
  return r;
}

export function applyUserServerDefaults(user: UserResource): UserResource {
  const u = JSON.parse(JSON.stringify(user)) as UserResource;
  u.version = 'v2';
  u.metadata = { ...u.metadata, revision: randomUUID() };
  return u;
}
