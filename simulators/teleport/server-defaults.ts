/**
 * What the simulated Auth server adds when it stores a resource: the kind model's server defaults
 * (model/kinds, Teleport's CheckAndSetDefaults for that version and server major) plus a fresh revision,
 * so drift detection sees the same server-side noise as on a real cluster.
 */
import { randomUUID } from 'node:crypto';
import { kindModel } from '../../model/kinds';
import type { RoleResource, TeleportResource, UserResource } from '../../model/resources';
import type { TeleportVersion } from '../../model/versions';

export function applyServerDefaults<R extends TeleportResource>(resource: R, teleport?: TeleportVersion): R {
  const model = kindModel(resource.kind);
  const r = (model ? model.withServerDefaults(resource, teleport) : JSON.parse(JSON.stringify(resource))) as R;
  r.metadata = { ...r.metadata, revision: randomUUID() };
  return r;
}

export function applyRoleServerDefaults(role: RoleResource, teleport?: TeleportVersion): RoleResource {
  return applyServerDefaults(role, teleport);
}

export function applyUserServerDefaults(user: UserResource, teleport?: TeleportVersion): UserResource {
  return applyServerDefaults(user, teleport);
}
