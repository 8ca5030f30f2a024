import { Construct } from 'constructs';
import { nameProblem } from '../model';
import { Annotations } from './cdktf';
import { TeleportRole } from './teleport-role';
import { TeleportUser } from './teleport-user';

export interface ImpersonationGrantProps {
  /** Name of the impersonator role, e.g. "access-plugin-impersonator". */
  readonly roleName: string;
  /** The user that may be impersonated. */
  readonly user: TeleportUser | string;
  /** The role that may be impersonated (with that user). */
  readonly role: TeleportRole | string;
  /**
   * Who receives the impersonator role: a user declared in this stack gets it added; a name of a user
   * managed elsewhere (the guide's operator, a Machine ID bot user) is left alone and the synth output
   * says the `tctl users update` command to run, since re-declaring that user here would overwrite it.
   */
  readonly grantee?: TeleportUser | string;
  readonly description?: string;
}

/** A role that lets one named user impersonate one named role+user pair, and nothing else. */
export class ImpersonationGrant extends Construct {
  readonly role: TeleportRole;

  constructor(scope: Construct, id: string, props: ImpersonationGrantProps) {
    super(scope, id);
    const user = typeof props.user === 'string' ? props.user : props.user.userName;
    const role = typeof props.role === 'string' ? props.role : props.role.roleName;
    this.role = new TeleportRole(this, 'Role', {
      name: props.roleName,
      description: props.description,
      allow: { impersonate: { users: [user], roles: [role] } },
    });
    if (props.grantee instanceof TeleportUser) {
      props.grantee.addRole(this.role);
    } else if (typeof props.grantee === 'string') {
      const grantee = props.grantee;
      this.node.addValidation({ validate: () => {
        const p = nameProblem(grantee, 'user');
        return p ? [`grantee: ${p} (the user who gets ${props.roleName})`] : [];
      } });
      Annotations.of(this).addInfo(
        `grant ${props.roleName} to ${props.grantee} (not managed by this stack): tctl users update ${props.grantee} --set-roles "<current roles>,${props.roleName}"`,
      );
    }
  }
}
