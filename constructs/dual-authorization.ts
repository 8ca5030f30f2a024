import { Construct } from 'constructs';
import { Labels } from '../model';
import { TeleportRole, ThresholdProps } from './teleport-role';
import { TeleportUser } from './teleport-user';

/** The privileged role to protect: an existing construct, or what to create. */
export type PrivilegedRoleInput = TeleportRole | { name: string; logins?: string[]; nodeLabels?: Labels; maxSessionTtl?: string; description?: string };

export interface DualAuthorizationProps {
  /** The role that may only be assumed after approval, e.g. dbadmin. */
  readonly privilegedRole: PrivilegedRoleInput;
  /** Name of the role that lets requesters ask for it (default "<privileged>-requester"; the guide: "devops"). */
  readonly requesterRoleName?: string;
  /** Name of the reviewer role (default "<privileged>-reviewer"; the guide: "dbreviewer"). */
  readonly reviewerRoleName?: string;
  /** Users who may request the role (constructs or Teleport user names; created if missing). */
  readonly requesters: (TeleportUser | string)[];
  /** Users who may approve or deny requests. */
  readonly reviewers: (TeleportUser | string)[];
  /** Approvals needed (default 2, as in the guide). Ignored when `thresholds` is given. */
  readonly approve?: number;
  /** Denials that reject a request (default 1). Ignored when `thresholds` is given. */
  readonly deny?: number;
  /** Several named thresholds with filters; any one of them met approves (Teleport ORs thresholds of one role). */
  readonly thresholds?: ThresholdProps[];
  /** Longest access a request may ask for, e.g. "8h". */
  readonly maxDuration?: string;
  /** Suggested reviewers put on each request (defaults to none). */
  readonly suggestedReviewers?: string[];
}

/**
 * "Role X may be assumed by requesters R after N approvals from reviewers V; D denials reject it":
 * the privileged role, a reviewer role with review_requests, a requester role with request + thresholds,
 * and the users bound to them.
 */
export class DualAuthorization extends Construct {
  readonly privilegedRole: TeleportRole;
  readonly requesterRole: TeleportRole;
  readonly reviewerRole: TeleportRole;

  constructor(scope: Construct, id: string, props: DualAuthorizationProps) {
    super(scope, id);
    const p = props.privilegedRole;
    this.privilegedRole =
      p instanceof TeleportRole
        ? p
        : new TeleportRole(this, 'Privileged', {
            name: p.name,
            description: p.description,
            maxSessionTtl: p.maxSessionTtl,
            allow: { logins: p.logins, nodeLabels: p.nodeLabels },
          });
    const target = this.privilegedRole.roleName;
    const thresholds = props.thresholds ?? [{ approve: props.approve ?? 2, deny: props.deny ?? 1 }];
    this.reviewerRole = new TeleportRole(this, 'Reviewer', {
      name: props.reviewerRoleName ?? `${target}-reviewer`,
      allow: { reviewRequests: { roles: [target] } },
    });
    this.requesterRole = new TeleportRole(this, 'Requester', {
      name: props.requesterRoleName ?? `${target}-requester`,
      allow: { request: { roles: [target], thresholds, maxDuration: props.maxDuration, suggestedReviewers: props.suggestedReviewers } },
    });
    const bind = (u: TeleportUser | string, role: TeleportRole): void => (typeof u === 'string' ? TeleportUser.ofName(this, u) : u).addRole(role);
    for (const u of props.requesters) bind(u, this.requesterRole);
    for (const u of props.reviewers) bind(u, this.reviewerRole);
  }
}
