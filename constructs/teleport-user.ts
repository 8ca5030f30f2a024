import { Construct } from 'constructs';
import { UserResource } from '../model';
import { DualAuthStack } from './dual-auth-stack';
import { TeleportResourceConstruct } from './teleport-resource';
import { TeleportRole } from './teleport-role';

export interface TeleportUserProps {
  /** Teleport user name (metadata.name), e.g. "bob@example.com". */
  readonly name: string;
  /** Roles held: role constructs or names of roles declared elsewhere. */
  readonly roles?: (TeleportRole | string)[];
  /** Traits (e.g. logins, db_users) that role templates like {{internal.logins}} read. */
  readonly traits?: Record<string, string[]>;
}

/** A Teleport local user (`kind: user`, v2). */
export class TeleportUser extends TeleportResourceConstruct {
  /**
   * The user with this Teleport name in the stack, created if missing, so several constructs can bind
   * roles to the same person without declaring them twice.
   */
  static ofName(scope: Construct, name: string): TeleportUser {
    const stack = DualAuthStack.of(scope);
    const found = stack.teleportResource(`user/${name}`);
    return found instanceof TeleportUser ? found : new TeleportUser(stack, `User-${name}`, { name });
  }

  private readonly roles: string[] = [];
  private readonly traits?: Record<string, string[]>;

  constructor(scope: Construct, id: string, props: TeleportUserProps) {
    super(scope, id, 'user', props.name);
    for (const r of props.roles ?? []) this.addRole(r);
    this.traits = props.traits;
  }

  get userName(): string {
    return this.teleportName;
  }

  /** Grants a role (idempotent). */
  addRole(role: TeleportRole | string): void {
    const name = typeof role === 'string' ? role : role.roleName;
    if (!this.roles.includes(name)) this.roles.push(name);
    this.invalidate();
  }

  protected terraformDependsOn(stack: DualAuthStack): string[] {
    return this.roles.flatMap((r) => {
      const a = stack.terraformAddressOf(`role/${r}`);
      return a ? [a] : [];
    });
  }

  protected render(): UserResource {
    const spec: UserResource['spec'] = { roles: [...this.roles] };
    if (this.traits) spec.traits = { ...this.traits };
    return { kind: 'user', version: 'v2', metadata: { name: this.teleportName }, spec };
  }
}
