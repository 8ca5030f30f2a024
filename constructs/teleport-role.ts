import { Construct } from 'constructs';
import { Labels, newestRoleVersion, RoleConditions, RoleResource, RoleVersion, Rule } from '../model';
import { DualAuthStack } from './dual-auth-stack';
import { TeleportResourceConstruct } from './teleport-resource';

/** A threshold of an access request: how many approvals grant it and how many denials reject it. */
export interface ThresholdProps {
  /** Human-readable name shown in reviews. */
  readonly name?: string;
  /** Predicate deciding which reviews count, e.g. `contains(reviewer.roles, "dbreviewer")`. */
  readonly filter?: string;
  /** Approvals needed (>= 1). */
  readonly approve: number;
  /** Denials that reject the request (>= 1). */
  readonly deny: number;
}

/** What holders of the role may request (spec.allow.request). */
export interface RequestProps {
  /** Roles that may be requested (names, globs or ^regex$). */
  readonly roles?: string[];
  /** Roles whose resources may be searched and requested (resource access requests). */
  readonly searchAsRoles?: string[];
  /** Approval thresholds; empty means Teleport's default of 1 approval / 1 denial. */
  readonly thresholds?: ThresholdProps[];
  /** Reviewers suggested on new requests (user names or emails). */
  readonly suggestedReviewers?: string[];
  /** Longest access a request may ask for, e.g. "8h" (at most "14d"). */
  readonly maxDuration?: string;
}

/** Which requests holders of the role may review (spec.allow.review_requests). */
export interface ReviewProps {
  readonly roles: string[];
  /** Review condition, e.g. `contains(reviewer.traits["team"], "db")`. */
  readonly where?: string;
  readonly previewAsRoles?: string[];
}

/** Whom holders of the role may impersonate (spec.allow.impersonate). */
export interface ImpersonateProps {
  readonly users: string[];
  readonly roles: string[];
  readonly where?: string;
}

/** One side (allow or deny) of a role. */
export interface RoleConditionsProps {
  readonly logins?: string[];
  /** Node label matchers, e.g. { env: 'prod', type: 'db' }. */
  readonly nodeLabels?: Labels;
  readonly rules?: Rule[];
  readonly request?: RequestProps;
  readonly reviewRequests?: ReviewProps;
  readonly impersonate?: ImpersonateProps;
}

export interface TeleportRoleProps {
  /** Teleport role name (metadata.name). */
  readonly name: string;
  /** Role version; default: v5 below Teleport 18 (the guide's version), otherwise the newest the target accepts. */
  readonly version?: RoleVersion;
  readonly description?: string;
  readonly labels?: Record<string, string>;
  /** Longest certificate a holder gets, e.g. "8h" (spec.options.max_session_ttl). */
  readonly maxSessionTtl?: string;
  readonly allow?: RoleConditionsProps;
  readonly deny?: RoleConditionsProps;
}

function conditions(p: RoleConditionsProps | undefined): RoleConditions | undefined {
  if (!p) return undefined;
  const c: RoleConditions = {};
  if (p.logins) c.logins = [...p.logins];
  if (p.nodeLabels) c.node_labels = { ...p.nodeLabels };
  if (p.rules) c.rules = p.rules.map((r) => ({ ...r }));
  if (p.request) {
    const r = p.request;
    c.request = {};
    if (r.roles) c.request.roles = [...r.roles];
    if (r.searchAsRoles) c.request.search_as_roles = [...r.searchAsRoles];
    // always emit both counts: a missing approve or deny means "never" in Teleport
    if (r.thresholds) c.request.thresholds = r.thresholds.map((t) => ({ ...(t.name ? { name: t.name } : {}), ...(t.filter ? { filter: t.filter } : {}), approve: t.approve, deny: t.deny }));
    if (r.suggestedReviewers) c.request.suggested_reviewers = [...r.suggestedReviewers];
    if (r.maxDuration) c.request.max_duration = r.maxDuration;
  }
  if (p.reviewRequests) {
    c.review_requests = { roles: [...p.reviewRequests.roles] };
    if (p.reviewRequests.where) c.review_requests.where = p.reviewRequests.where;
    if (p.reviewRequests.previewAsRoles) c.review_requests.preview_as_roles = [...p.reviewRequests.previewAsRoles];
  }
  if (p.impersonate) {
    c.impersonate = { users: [...p.impersonate.users], roles: [...p.impersonate.roles] };
    if (p.impersonate.where) c.impersonate.where = p.impersonate.where;
  }
  return c;
}

/** Default role version for a target cluster: v5 as in the guide up to Teleport 17, the newest after. */
export function defaultRoleVersion(stack: DualAuthStack): RoleVersion {
  return stack.teleport.major < 18 ? 'v5' : newestRoleVersion(stack.teleport);
}

/** A Teleport role (`kind: role`). */
export class TeleportRole extends TeleportResourceConstruct {
  readonly version: RoleVersion;
  private readonly props: TeleportRoleProps;
  private readonly extraReviewRoles: string[] = [];

  constructor(scope: Construct, id: string, props: TeleportRoleProps) {
    super(scope, id, 'role', props.name);
    this.props = props;
    this.version = props.version ?? defaultRoleVersion(DualAuthStack.of(this));
  }

  get roleName(): string {
    return this.teleportName;
  }

  /** Lets holders of this role review requests for another role as well. */
  addReviewRole(role: string): void {
    this.extraReviewRoles.push(role);
    this.invalidate();
  }

  protected render(): RoleResource {
    const p = this.props;
    const spec: RoleResource['spec'] = {};
    if (p.maxSessionTtl) spec.options = { max_session_ttl: p.maxSessionTtl };
    const allow = conditions(p.allow) ?? (this.extraReviewRoles.length ? {} : undefined);
    if (allow && this.extraReviewRoles.length) {
      allow.review_requests = { ...(allow.review_requests ?? {}), roles: [...(allow.review_requests?.roles ?? []), ...this.extraReviewRoles] };
    }
    if (allow) spec.allow = allow;
    const deny = conditions(p.deny);
    if (deny) spec.deny = deny;
    const metadata: RoleResource['metadata'] = { name: p.name };
    if (p.description) metadata.description = p.description;
    if (p.labels) metadata.labels = { ...p.labels };
    return { kind: 'role', version: this.version, metadata, spec };
  }
}
