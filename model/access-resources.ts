/**
 * Typed shapes of the Teleport kinds the access-path analysis reads besides roles and users, in the
 * YAML field names `tctl get` prints. Only the fields that decide who obtains which role are typed;
 * the rest passes through (connector secrets are never read). Checked against Teleport 18.0.0's protos
 * (../shared/teleport-protos: accesslist/v1/accesslist.proto, accessmonitoringrules/v1/
 * access_monitoring_rules.proto, machineid/v1/bot.proto) and legacy/types/types.proto (GithubConnectorV3,
 * SAMLConnectorV2, OIDCConnectorV3).
 */
import type { Metadata } from './resources';

export interface Trait {
  name?: string;
  /** The access list API names the trait `key`; both spellings appear in tctl output across versions. */
  key?: string;
  values?: string[];
}

export interface AccessListGrants {
  roles?: string[];
  traits?: Trait[];
}

/** `kind: access_list` (v1): owners, grants for members, owner_grants for owners, membership requirements. */
export interface AccessListResource {
  kind: 'access_list';
  version: 'v1';
  metadata: Metadata;
  spec: {
    title?: string;
    description?: string;
    owners?: { name: string; description?: string; membership_kind?: string | number }[];
    grants?: AccessListGrants;
    owner_grants?: AccessListGrants;
    membership_requires?: AccessListGrants;
    ownership_requires?: AccessListGrants;
    audit?: Record<string, unknown>;
    [field: string]: unknown;
  };
  status?: unknown;
}

/** `kind: access_list_member` (v1): one member (a user, or a nested list with membership_kind LIST). */
export interface AccessListMemberResource {
  kind: 'access_list_member';
  version: 'v1';
  metadata: Metadata;
  spec: {
    access_list: string;
    name: string;
    membership_kind?: string | number;
    expires?: string;
    reason?: string;
    added_by?: string;
    joined?: string;
    [field: string]: unknown;
  };
}

/** `kind: access_monitoring_rule` (v1): notification routing and automatic reviews of access requests. */
export interface AccessMonitoringRuleResource {
  kind: 'access_monitoring_rule';
  version: 'v1';
  metadata: Metadata;
  spec: {
    subjects: string[];
    condition?: string;
    states?: string[];
    desired_state?: string;
    notification?: { name?: string; recipients?: string[] };
    automatic_review?: { integration?: string; decision?: string };
  };
}

/** `kind: bot` (v1), Machine ID: the roles the bot's certificates carry, and traits. */
export interface BotResource {
  kind: 'bot';
  version: 'v1';
  metadata: Metadata;
  spec: {
    roles?: string[];
    traits?: Trait[];
    max_session_ttl?: string | { seconds?: number };
  };
  status?: unknown;
}

export interface GithubTeamMapping {
  organization: string;
  team: string;
  roles?: string[];
  logins?: string[];
}

export interface AttributeMapping {
  name: string;
  value: string;
  roles: string[];
}

export interface ClaimMappingRule {
  claim: string;
  value: string;
  roles: string[];
}

export interface GithubConnectorResource {
  kind: 'github';
  version: 'v3';
  metadata: Metadata;
  spec: { teams_to_roles?: GithubTeamMapping[]; teams_to_logins?: GithubTeamMapping[]; [field: string]: unknown };
}

export interface SamlConnectorResource {
  kind: 'saml';
  version: 'v2';
  metadata: Metadata;
  spec: { attributes_to_roles?: AttributeMapping[]; [field: string]: unknown };
}

export interface OidcConnectorResource {
  kind: 'oidc';
  version: 'v3' | 'v2';
  metadata: Metadata;
  spec: { claims_to_roles?: ClaimMappingRule[]; [field: string]: unknown };
}

export type ConnectorResource = GithubConnectorResource | SamlConnectorResource | OidcConnectorResource;

export type AccessResource = AccessListResource | AccessListMemberResource | AccessMonitoringRuleResource | BotResource | ConnectorResource;

export const CONNECTOR_KINDS: readonly string[] = ['github', 'saml', 'oidc'];

/** One external group an SSO connector maps to roles, in words and as data. */
export interface ConnectorMapping {
  connector: string;
  kind: 'github' | 'saml' | 'oidc';
  /** e.g. `github team acme/dba`, `saml attribute groups=dba`, `oidc claim groups=dba`. */
  group: string;
  roles: string[];
  /** Index into the mapping list (for the field path). */
  field: string;
}

export function connectorMappings(c: ConnectorResource): ConnectorMapping[] {
  const name = c.metadata.name;
  if (c.kind === 'github') {
    return (c.spec.teams_to_roles ?? []).map((m, i) => ({ connector: name, kind: 'github', group: `github team ${m.organization}/${m.team}`, roles: m.roles ?? [], field: `spec.teams_to_roles[${i}].roles` }));
  }
  if (c.kind === 'saml') {
    return (c.spec.attributes_to_roles ?? []).map((m, i) => ({ connector: name, kind: 'saml', group: `saml attribute ${m.name}=${m.value}`, roles: m.roles ?? [], field: `spec.attributes_to_roles[${i}].roles` }));
  }
  return (c.spec.claims_to_roles ?? []).map((m, i) => ({ connector: name, kind: 'oidc', group: `oidc claim ${m.claim}=${m.value}`, roles: m.roles ?? [], field: `spec.claims_to_roles[${i}].roles` }));
}
