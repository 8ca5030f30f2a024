import { Construct } from 'constructs';
import { ImpersonationGrant } from './impersonation-grant';
import { TeleportRole } from './teleport-role';
import { TeleportUser } from './teleport-user';

export interface AccessPluginIdentityProps {
  /** Name of the plugin's role and user (default "access-plugin"). */
  readonly name?: string;
  /** Name of the impersonator role (default "<name>-impersonator"). */
  readonly impersonatorRoleName?: string;
  /** Who signs the plugin's identity with `tctl auth sign --user=<name>` (gets the impersonator role). */
  readonly impersonator?: TeleportUser | string;
  /**
   * Longest identity that can be signed for the plugin (max_session_ttl of its role). Teleport caps
   * `tctl auth sign --ttl` at this value; default Teleport's 30h.
   */
  readonly maxSessionTtl?: string;
}

/**
 * The access plugin's identity as in the guide: role with exactly access_request list/read and
 * access_plugin_data update, its user, and the impersonation grant used to export its identity file.
 */
export class AccessPluginIdentity extends Construct {
  readonly role: TeleportRole;
  readonly user: TeleportUser;
  readonly grant: ImpersonationGrant;

  constructor(scope: Construct, id: string, props: AccessPluginIdentityProps = {}) {
    super(scope, id);
    const name = props.name ?? 'access-plugin';
    this.role = new TeleportRole(this, 'Role', {
      name,
      maxSessionTtl: props.maxSessionTtl,
      allow: {
        rules: [
          { resources: ['access_request'], verbs: ['list', 'read'] },
          { resources: ['access_plugin_data'], verbs: ['update'] },
        ],
      },
    });
    this.user = new TeleportUser(this, 'User', { name, roles: [this.role] });
    this.grant = new ImpersonationGrant(this, 'Impersonator', {
      roleName: props.impersonatorRoleName ?? `${name}-impersonator`,
      user: this.user,
      role: this.role,
      grantee: props.impersonator,
    });
  }
}
