import { RoleResource, TeleportResource, UserResource, isRole, isUser } from './resources';

/** Read-only index of a set of Teleport resources: roles and users by name, each user's roles. */
export class TeleportDirectory {
  private readonly roleByName = new Map<string, RoleResource>();
  private readonly userByName = new Map<string, UserResource>();

  constructor(resources: Iterable<TeleportResource>) {
    for (const r of resources) {
      if (isRole(r)) this.roleByName.set(r.metadata.name, r);
      else if (isUser(r)) this.userByName.set(r.metadata.name, r);
    }
  }

  role(name: string): RoleResource | undefined {
    return this.roleByName.get(name);
  }

  user(name: string): UserResource | undefined {
    return this.userByName.get(name);
  }

  roles(): RoleResource[] {
    return [...this.roleByName.values()];
  }

  users(): UserResource[] {
    return [...this.userByName.values()];
  }

  /** The static roles a user holds that exist in the directory (unknown names are skipped). */
  rolesOf(user: UserResource): RoleResource[] {
    const out: RoleResource[] = [];
    for (const n of user.spec.roles ?? []) {
      const r = this.roleByName.get(n);
      if (r) out.push(r);
    }
    return out;
  }
}
