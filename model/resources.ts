/**
 * Typed shapes of the Teleport resources this project manages, in Teleport's own YAML field names
 * (snake_case, as `tctl get` prints them and `tctl create -f` reads them).
 * Checked against api/types/types.proto (RoleV6, UserV2) and the operator CRDs in ../shared/teleport-crds.
 */
import type { AccessResource } from './access-resources';

export type RoleVersion = 'v3' | 'v4' | 'v5' | 'v6' | 'v7' | 'v8';
/** Role versions Teleport reads (api/types/role.go setStaticFields: v3..v8; Teleport 18 still accepts v3 and v4). */
export const ROLE_VERSIONS: readonly RoleVersion[] = ['v3', 'v4', 'v5', 'v6', 'v7', 'v8'];

/** Label matcher: a label name mapped to one value or a list of values ('*' and ^regex$ allowed). */
export type Labels = Record<string, string | string[]>;

export interface Metadata {
  name: string;
  description?: string;
  labels?: Record<string, string>;
  expires?: string;
  /** Server-set; never emitted by synthesis, ignored by drift. */
  revision?: string;
  id?: number;
}

export interface Rule {
  resources: string[];
  verbs: string[];
  where?: string;
  actions?: string[];
}

export interface Threshold {
  name?: string;
  /** Predicate over the review (threshold-filter grammar); empty means every review counts. */
  filter?: string;
  approve: number;
  deny: number;
}

export interface ClaimMapping {
  claim: string;
  value: string;
  roles: string[];
}

export interface AccessRequestConditions {
  roles?: string[];
  claims_to_roles?: ClaimMapping[];
  search_as_roles?: string[];
  thresholds?: Threshold[];
  suggested_reviewers?: string[];
  annotations?: Record<string, string[]>;
  max_duration?: string;
  /** Kubernetes kinds a resource request may ask for (kind, and api_group from role v8). */
  kubernetes_resources?: { kind?: string; api_group?: string }[];
}

export interface AccessReviewConditions {
  roles?: string[];
  claims_to_roles?: ClaimMapping[];
  where?: string;
  preview_as_roles?: string[];
}

export interface ImpersonateConditions {
  users?: string[];
  roles?: string[];
  where?: string;
}

export interface RoleConditions {
  logins?: string[];
  node_labels?: Labels;
  app_labels?: Labels;
  db_labels?: Labels;
  kubernetes_labels?: Labels;
  kubernetes_groups?: string[];
  db_users?: string[];
  db_names?: string[];
  rules?: Rule[];
  request?: AccessRequestConditions;
  review_requests?: AccessReviewConditions;
  impersonate?: ImpersonateConditions;
  namespaces?: string[];
  /** Escape hatch: other RoleConditions fields Teleport knows (checked by the version schema). */
  [field: string]: unknown;
}

export interface RoleOptions {
  max_session_ttl?: string;
  forward_agent?: boolean;
  request_access?: 'optional' | 'always' | 'reason';
  request_prompt?: string;
  [field: string]: unknown;
}

export interface RoleSpec {
  options?: RoleOptions;
  allow?: RoleConditions;
  deny?: RoleConditions;
}

export interface RoleResource {
  kind: 'role';
  version: RoleVersion;
  metadata: Metadata;
  spec: RoleSpec;
}

export interface UserSpec {
  roles?: string[];
  traits?: Record<string, string[]>;
  [field: string]: unknown;
}

export interface UserResource {
  kind: 'user';
  version: 'v2';
  metadata: Metadata;
  spec: UserSpec;
}

export type TeleportResource = RoleResource | UserResource | AccessResource;
export type TeleportKind = TeleportResource['kind'];

export function isRole(r: TeleportResource): r is RoleResource {
  return r.kind === 'role';
}

export function isUser(r: TeleportResource): r is UserResource {
  return r.kind === 'user';
}

/** Stable identity of a resource across files and servers. */
export function resourceKey(r: { kind: string; metadata: { name: string } }): string {
  return `${r.kind}/${r.metadata.name}`;
}
