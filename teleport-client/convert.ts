/**
 * Conversion between Teleport's proto message objects (as @grpc/proto-loader decodes them with
 * teleport-client/protos.ts options) and this project's types: RoleV6 <-> RoleResource,
 * UserV2 <-> UserResource (model/resources.ts, Teleport YAML field names), AccessRequestV3 <->
 * AccessRequest and PluginDataV3 <-> PluginDataItem.
 *
 * Proto -> model is sparse: zero values (false, "", 0, empty lists and maps, Go-zero times) are
 * omitted, except BoolValue options, whose presence is meaningful (desktop_clipboard: false).
 * Durations come back in Go's String() form ("30h0m0s"), as `tctl get` prints them.
 * Model -> proto throws a TypeError naming the field when a value cannot be represented (an unknown
 * condition or option field, a malformed duration): silently dropping policy would be worse.
 */
import type { Labels, Metadata, RoleConditions, RoleOptions, RoleResource, RoleVersion, Rule, Threshold, UserResource, UserSpec } from '../model/resources';
import {
  PbDuration,
  PbLabelValues,
  PbTimestamp,
  durationToNanos,
  isoToTimestamp,
  labelsToPb,
  nanosToDuration,
  pbDurationToText,
  pbToLabels,
  pbToTraits,
  textToPbDuration,
  timestampToIso,
  traitsToPb,
} from './values';

/** A decoded proto message: field name to value. */
export type Pb = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Small helpers

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function pbList<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function obj(v: unknown): Pb | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Pb) : undefined;
}

/** Drops undefined values, empty strings, false, 0, empty lists and empty objects. */
function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '' || v === false || v === 0) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

function nonEmpty<T>(xs: T[] | undefined): T[] | undefined {
  return xs && xs.length > 0 ? xs : undefined;
}

function boolValueFromPb(v: unknown): boolean | undefined {
  const o = obj(v);
  return o ? o.Value === true : undefined;
}

function boolValueToPb(v: unknown, where: string): Pb | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new TypeError(`${where} must be true or false`);
  return { Value: v };
}

function num(v: unknown): number {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}

// ---------------------------------------------------------------------------------------------
// Metadata

export function metadataFromPb(pb: unknown): Metadata {
  const m = obj(pb) ?? {};
  const labels = obj(m.Labels) as Record<string, string> | undefined;
  return {
    name: str(m.Name),
    ...compact({
    description: str(m.Description) || undefined,
    labels: labels && Object.keys(labels).length > 0 ? { ...labels } : undefined,
    expires: timestampToIso(m.Expires as PbTimestamp | null),
    revision: str(m.Revision) || undefined,
    }),
  };
}

export function metadataToPb(m: Metadata): Pb {
  return {
    Name: m.name,
    Namespace: 'default',
    Description: m.description ?? '',
    Labels: { ...(m.labels ?? {}) },
    ...(m.expires ? { Expires: isoToTimestamp(m.expires) } : {}),
    Revision: m.revision ?? '',
  };
}

// ---------------------------------------------------------------------------------------------
// Role conditions

type FieldKind = 'list' | 'labels' | 'string';
/** Simple RoleConditions fields: YAML name -> [proto name, kind]. */
const CONDITION_FIELDS: Record<string, [string, FieldKind]> = {
  logins: ['Logins', 'list'],
  namespaces: ['Namespaces', 'list'],
  node_labels: ['NodeLabels', 'labels'],
  kubernetes_groups: ['KubeGroups', 'list'],
  kubernetes_users: ['KubeUsers', 'list'],
  app_labels: ['AppLabels', 'labels'],
  cluster_labels: ['ClusterLabels', 'labels'],
  kubernetes_labels: ['KubernetesLabels', 'labels'],
  db_labels: ['DatabaseLabels', 'labels'],
  db_names: ['DatabaseNames', 'list'],
  db_users: ['DatabaseUsers', 'list'],
  aws_role_arns: ['AWSRoleARNs', 'list'],
  windows_desktop_logins: ['WindowsDesktopLogins', 'list'],
  windows_desktop_labels: ['WindowsDesktopLabels', 'labels'],
  host_groups: ['HostGroups', 'list'],
  host_sudoers: ['HostSudoers', 'list'],
  azure_identities: ['AzureIdentities', 'list'],
  gcp_service_accounts: ['GCPServiceAccounts', 'list'],
  db_service_labels: ['DatabaseServiceLabels', 'labels'],
  group_labels: ['GroupLabels', 'labels'],
  desktop_groups: ['DesktopGroups', 'list'],
  db_roles: ['DatabaseRoles', 'list'],
  node_labels_expression: ['NodeLabelsExpression', 'string'],
  app_labels_expression: ['AppLabelsExpression', 'string'],
  cluster_labels_expression: ['ClusterLabelsExpression', 'string'],
  kubernetes_labels_expression: ['KubernetesLabelsExpression', 'string'],
  db_labels_expression: ['DatabaseLabelsExpression', 'string'],
  db_service_labels_expression: ['DatabaseServiceLabelsExpression', 'string'],
  windows_desktop_labels_expression: ['WindowsDesktopLabelsExpression', 'string'],
  group_labels_expression: ['GroupLabelsExpression', 'string'],
  workload_identity_labels: ['WorkloadIdentityLabels', 'labels'],
  workload_identity_labels_expression: ['WorkloadIdentityLabelsExpression', 'string'],
};

function thresholdToPb(t: Threshold): Pb {
  return { Name: t.name ?? '', Filter: t.filter ?? '', Approve: t.approve ?? 0, Deny: t.deny ?? 0 };
}

function thresholdFromPb(pb: Pb): Threshold {
  const t: Threshold = { approve: num(pb.Approve), deny: num(pb.Deny) };
  if (str(pb.Name)) t.name = str(pb.Name);
  if (str(pb.Filter)) t.filter = str(pb.Filter);
  return t;
}

function claimsToPb(v: unknown): Pb[] {
  return pbList<{ claim: string; value: string; roles?: string[] }>(v).map((c) => ({ Claim: c.claim, Value: c.value, Roles: [...(c.roles ?? [])] }));
}

function claimsFromPb(v: unknown): { claim: string; value: string; roles: string[] }[] | undefined {
  return nonEmpty(pbList<Pb>(v).map((c) => ({ claim: str(c.Claim), value: str(c.Value), roles: list(c.Roles) })));
}

function ruleToPb(r: Rule): Pb {
  return { Resources: [...r.resources], Verbs: [...r.verbs], Where: r.where ?? '', Actions: [...(r.actions ?? [])] };
}

function ruleFromPb(pb: Pb): Rule {
  return compact({ resources: list(pb.Resources), verbs: list(pb.Verbs), where: str(pb.Where), actions: list(pb.Actions) }) as Rule;
}

function requestConditionsToPb(r: Record<string, unknown>, where: string): Pb {
  const known = new Set(['roles', 'claims_to_roles', 'annotations', 'thresholds', 'suggested_reviewers', 'search_as_roles', 'max_duration', 'kubernetes_resources', 'reason']);
  for (const k of Object.keys(r)) if (!known.has(k)) throw new TypeError(`${where}.${k} is not a field this client can send`);
  const reason = obj(r.reason);
  return {
    Roles: list(r.roles),
    ClaimsToRoles: claimsToPb(r.claims_to_roles),
    ...(r.annotations ? { Annotations: traitsToPb(r.annotations as Record<string, string[]>) } : {}),
    Thresholds: pbList<Threshold>(r.thresholds).map(thresholdToPb),
    SuggestedReviewers: list(r.suggested_reviewers),
    SearchAsRoles: list(r.search_as_roles),
    MaxDuration: typeof r.max_duration === 'string' ? durationToNanos(r.max_duration) : '0',
    kubernetes_resources: pbList<{ kind: string }>(r.kubernetes_resources).map((k) => ({ kind: k.kind })),
    ...(reason ? { Reason: { Mode: str(reason.mode) } } : {}),
  };
}

function requestConditionsFromPb(pb: Pb): Record<string, unknown> | undefined {
  const out = compact({
    roles: list(pb.Roles),
    claims_to_roles: claimsFromPb(pb.ClaimsToRoles),
    annotations: pbToTraits(pb.Annotations as PbLabelValues),
    thresholds: nonEmpty(pbList<Pb>(pb.Thresholds).map(thresholdFromPb)),
    suggested_reviewers: list(pb.SuggestedReviewers),
    search_as_roles: list(pb.SearchAsRoles),
    max_duration: nanosToDuration(pb.MaxDuration as string),
    kubernetes_resources: nonEmpty(pbList<Pb>(pb.kubernetes_resources).map((k) => ({ kind: str(k.kind) }))),
    reason: str(obj(pb.Reason)?.Mode) ? { mode: str(obj(pb.Reason)?.Mode) } : undefined,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

function reviewConditionsToPb(r: Record<string, unknown>): Pb {
  return { Roles: list(r.roles), ClaimsToRoles: claimsToPb(r.claims_to_roles), Where: str(r.where), PreviewAsRoles: list(r.preview_as_roles) };
}

function reviewConditionsFromPb(pb: Pb): Record<string, unknown> | undefined {
  const out = compact({ roles: list(pb.Roles), claims_to_roles: claimsFromPb(pb.ClaimsToRoles), where: str(pb.Where), preview_as_roles: list(pb.PreviewAsRoles) });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Nested list fields of RoleConditions: YAML name -> proto name and both mappings. */
const NESTED_CONDITIONS: Record<string, { pb: string; to: (v: Pb) => Pb; from: (v: Pb) => Record<string, unknown> }> = {
  kubernetes_resources: {
    pb: 'KubernetesResources',
    to: (v) => ({ Kind: str(v.kind), Namespace: str(v.namespace), Name: str(v.name), Verbs: list(v.verbs) }),
    from: (v) => compact({ kind: str(v.Kind), namespace: str(v.Namespace), name: str(v.Name), verbs: list(v.Verbs) }),
  },
  require_session_join: {
    pb: 'RequireSessionJoin',
    to: (v) => ({ Name: str(v.name), Filter: str(v.filter), Kinds: list(v.kinds), Count: num(v.count), Modes: list(v.modes), OnLeave: str(v.on_leave) }),
    from: (v) => compact({ name: str(v.Name), filter: str(v.Filter), kinds: list(v.Kinds), count: num(v.Count), modes: list(v.Modes), on_leave: str(v.OnLeave) }),
  },
  join_sessions: {
    pb: 'JoinSessions',
    to: (v) => ({ Name: str(v.name), Roles: list(v.roles), Kinds: list(v.kinds), Modes: list(v.modes) }),
    from: (v) => compact({ name: str(v.Name), roles: list(v.Roles), kinds: list(v.Kinds), modes: list(v.Modes) }),
  },
  db_permissions: {
    pb: 'DatabasePermissions',
    to: (v) => ({ Permissions: list(v.permissions), Match: labelsToPb(v.match as Labels) ?? { Values: {} } }),
    from: (v) => compact({ permissions: list(v.Permissions), match: pbToLabels(v.Match as PbLabelValues) }),
  },
  spiffe: {
    pb: 'SPIFFE',
    to: (v) => ({ Path: str(v.path), DNSSANs: list(v.dns_sans), IPSANs: list(v.ip_sans) }),
    from: (v) => compact({ path: str(v.Path), dns_sans: list(v.DNSSANs), ip_sans: list(v.IPSANs) }),
  },
  account_assignments: {
    pb: 'AccountAssignments',
    to: (v) => ({ PermissionSet: str(v.permission_set), Account: str(v.account) }),
    from: (v) => compact({ permission_set: str(v.PermissionSet), account: str(v.Account) }),
  },
  github_permissions: {
    pb: 'git_hub_permissions',
    to: (v) => ({ organizations: list(v.orgs) }),
    from: (v) => compact({ orgs: list(v.organizations) }),
  },
};

export function conditionsToPb(c: RoleConditions | undefined, where: string): Pb {
  const out: Pb = {};
  for (const [key, value] of Object.entries(c ?? {})) {
    if (value === undefined) continue;
    const simple = CONDITION_FIELDS[key];
    if (simple) {
      const [pbName, kind] = simple;
      if (kind === 'list') out[pbName] = list(value);
      else if (kind === 'labels') out[pbName] = labelsToPb(value as Labels);
      else out[pbName] = str(value);
      continue;
    }
    const nested = NESTED_CONDITIONS[key];
    if (nested) {
      out[nested.pb] = pbList<Pb>(value).map(nested.to);
      continue;
    }
    switch (key) {
      case 'rules':
        out.Rules = pbList<Rule>(value).map(ruleToPb);
        break;
      case 'request':
        out.Request = requestConditionsToPb(value as Record<string, unknown>, `${where}.request`);
        break;
      case 'review_requests':
        out.ReviewRequests = reviewConditionsToPb(value as Record<string, unknown>);
        break;
      case 'impersonate': {
        const i = value as Record<string, unknown>;
        out.Impersonate = { Users: list(i.users), Roles: list(i.roles), Where: str(i.where) };
        break;
      }
      default:
        throw new TypeError(`${where}.${key} is not a role condition field this client can send`);
    }
  }
  return out;
}

export function conditionsFromPb(pb: unknown): RoleConditions | undefined {
  const c = obj(pb);
  if (!c) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, [pbName, kind]] of Object.entries(CONDITION_FIELDS)) {
    const v = c[pbName];
    if (kind === 'list') out[key] = nonEmpty(list(v));
    else if (kind === 'labels') out[key] = pbToLabels(v as PbLabelValues);
    else out[key] = str(v) || undefined;
  }
  for (const [key, nested] of Object.entries(NESTED_CONDITIONS)) out[key] = nonEmpty(pbList<Pb>(c[nested.pb]).map(nested.from));
  out.rules = nonEmpty(pbList<Pb>(c.Rules).map(ruleFromPb));
  if (obj(c.Request)) out.request = requestConditionsFromPb(obj(c.Request)!);
  if (obj(c.ReviewRequests)) out.review_requests = reviewConditionsFromPb(obj(c.ReviewRequests)!);
  const imp = obj(c.Impersonate);
  if (imp) {
    const i = compact({ users: list(imp.Users), roles: list(imp.Roles), where: str(imp.Where) });
    if (Object.keys(i).length > 0) out.impersonate = i;
  }
  return compact(out) as RoleConditions;
}

// ---------------------------------------------------------------------------------------------
// Role options

const REQUIRE_MFA_TO_YAML: Record<string, boolean | string> = {
  OFF: false,
  SESSION: true,
  SESSION_AND_HARDWARE_KEY: 'hardware_key',
  HARDWARE_KEY_TOUCH: 'hardware_key_touch',
  HARDWARE_KEY_PIN: 'hardware_key_pin',
  HARDWARE_KEY_TOUCH_AND_PIN: 'hardware_key_touch_and_pin',
};
const HOST_USER_MODE: Record<string, string> = {
  HOST_USER_MODE_OFF: 'off',
  HOST_USER_MODE_DROP: 'drop',
  HOST_USER_MODE_KEEP: 'keep',
  HOST_USER_MODE_INSECURE_DROP: 'insecure-drop',
};
const DB_USER_MODE: Record<string, string> = {
  DB_USER_MODE_OFF: 'off',
  DB_USER_MODE_KEEP: 'keep',
  DB_USER_MODE_BEST_EFFORT_DROP: 'best_effort_drop',
};

function invert(m: Record<string, string | boolean>): Map<string | boolean, string> {
  return new Map(Object.entries(m).map(([k, v]) => [v, k]));
}

type OptionCodec = { pb: string; to: (v: unknown, where: string) => unknown; from: (v: unknown) => unknown };

const scalar = (pb: string, kind: 'bool' | 'string' | 'int'): OptionCodec => ({
  pb,
  to: (v, where) => {
    if (kind === 'bool' && typeof v !== 'boolean') throw new TypeError(`${where} must be true or false`);
    if (kind === 'string' && typeof v !== 'string') throw new TypeError(`${where} must be a string`);
    if (kind === 'int' && !Number.isInteger(v)) throw new TypeError(`${where} must be an integer`);
    return kind === 'int' ? String(v) : v;
  },
  from: (v) => (kind === 'int' ? num(v) || undefined : v || undefined),
});
const duration = (pb: string): OptionCodec => ({
  pb,
  to: (v, where) => {
    if (typeof v !== 'string') throw new TypeError(`${where} must be a duration string such as "8h"`);
    return v === 'never' ? '0' : durationToNanos(v);
  },
  from: (v) => nanosToDuration(v as string),
});
const boolValue = (pb: string): OptionCodec => ({ pb, to: (v, w) => boolValueToPb(v, w), from: (v) => boolValueFromPb(v) });
const enumMap = (pb: string, m: Record<string, string | boolean>, zero: string): OptionCodec => {
  const back = invert(m);
  return {
    pb,
    to: (v, where) => {
      const e = back.get(v as string | boolean);
      if (e === undefined) throw new TypeError(`${where}: unknown value ${JSON.stringify(v)}`);
      return e;
    },
    from: (v) => (v === zero || v === undefined || v === null ? undefined : m[String(v)]),
  };
};

/** RoleOptions: YAML name (model/resources.ts, tctl) -> proto field and codec. */
const OPTION_FIELDS: Record<string, OptionCodec> = {
  forward_agent: scalar('ForwardAgent', 'bool'),
  max_session_ttl: duration('MaxSessionTTL'),
  port_forwarding: boolValue('PortForwarding'),
  cert_format: scalar('CertificateFormat', 'string'),
  client_idle_timeout: duration('ClientIdleTimeout'),
  disconnect_expired_cert: scalar('DisconnectExpiredCert', 'bool'),
  enhanced_recording: { pb: 'BPF', to: (v) => list(v), from: (v) => nonEmpty(list(v)) },
  permit_x11_forwarding: scalar('PermitX11Forwarding', 'bool'),
  max_connections: scalar('MaxConnections', 'int'),
  max_sessions: scalar('MaxSessions', 'int'),
  request_access: scalar('RequestAccess', 'string'),
  request_prompt: scalar('RequestPrompt', 'string'),
  lock: scalar('Lock', 'string'),
  record_session: {
    pb: 'RecordSession',
    to: (v, w) => {
      const r = (v ?? {}) as Record<string, unknown>;
      return { ...(r.desktop !== undefined ? { Desktop: boolValueToPb(r.desktop, `${w}.desktop`) } : {}), Default: str(r.default), SSH: str(r.ssh) };
    },
    from: (v) => {
      const r = obj(v);
      if (!r) return undefined;
      const out = compact({ default: str(r.Default), ssh: str(r.SSH) }) as Record<string, unknown>;
      const desktop = boolValueFromPb(r.Desktop);
      return desktop === undefined && Object.keys(out).length === 0 ? undefined : { ...(desktop !== undefined ? { desktop } : {}), ...out };
    },
  },
  desktop_clipboard: boolValue('DesktopClipboard'),
  cert_extensions: {
    pb: 'CertExtensions',
    to: (v) => pbList<Pb>(v).map((e) => ({ Type: 'SSH', Mode: 'EXTENSION', Name: str(e.name), Value: str(e.value) })),
    from: (v) => nonEmpty(pbList<Pb>(v).map((e) => ({ type: 'ssh', mode: 'extension', name: str(e.Name), value: str(e.Value) }))),
  },
  max_kubernetes_connections: scalar('MaxKubernetesConnections', 'int'),
  desktop_directory_sharing: boolValue('DesktopDirectorySharing'),
  create_host_user: boolValue('CreateHostUser'),
  pin_source_ip: scalar('PinSourceIP', 'bool'),
  ssh_file_copy: boolValue('SSHFileCopy'),
  require_session_mfa: enumMap('RequireMFAType', REQUIRE_MFA_TO_YAML, 'OFF'),
  device_trust_mode: scalar('DeviceTrustMode', 'string'),
  idp: {
    pb: 'IDP',
    to: (v, w) => {
      const saml = obj(obj(v)?.saml);
      return { SAML: saml ? { Enabled: boolValueToPb(saml.enabled, `${w}.saml.enabled`) } : null };
    },
    from: (v) => {
      const enabled = boolValueFromPb(obj(obj(v)?.SAML)?.Enabled);
      return enabled === undefined ? undefined : { saml: { enabled } };
    },
  },
  create_desktop_user: boolValue('CreateDesktopUser'),
  create_db_user: boolValue('CreateDatabaseUser'),
  create_host_user_mode: enumMap('CreateHostUserMode', HOST_USER_MODE, 'HOST_USER_MODE_UNSPECIFIED'),
  create_db_user_mode: enumMap('CreateDatabaseUserMode', DB_USER_MODE, 'DB_USER_MODE_UNSPECIFIED'),
  mfa_verification_interval: {
    pb: 'MFAVerificationInterval',
    to: (v, w) => {
      if (typeof v !== 'string') throw new TypeError(`${w} must be a duration string`);
      return textToPbDuration(v);
    },
    from: (v) => pbDurationToText(v as PbDuration | null),
  },
  create_host_user_default_shell: scalar('CreateHostUserDefaultShell', 'string'),
  ssh_port_forwarding: {
    pb: 'SSHPortForwarding',
    to: (v, w) => {
      const s = obj(v) ?? {};
      const side = (x: unknown, name: string) => (obj(x) ? { Enabled: boolValueToPb(obj(x)!.enabled, `${w}.${name}.enabled`) } : null);
      return { Local: side(s.local, 'local'), Remote: side(s.remote, 'remote') };
    },
    from: (v) => {
      const s = obj(v);
      if (!s) return undefined;
      const side = (x: unknown) => {
        const o = obj(x);
        if (!o) return undefined;
        const enabled = boolValueFromPb(o.Enabled);
        return enabled === undefined ? {} : { enabled };
      };
      const out = { local: side(s.Local), remote: side(s.Remote) };
      return out.local === undefined && out.remote === undefined ? undefined : JSON.parse(JSON.stringify(out));
    },
  },
};

export function optionsToPb(o: RoleOptions | undefined, where: string): Pb {
  const out: Pb = {};
  for (const [key, value] of Object.entries(o ?? {})) {
    if (value === undefined) continue;
    const codec = OPTION_FIELDS[key];
    if (!codec) throw new TypeError(`${where}.${key} is not a role option this client can send`);
    out[codec.pb] = codec.to(value, `${where}.${key}`);
  }
  return out;
}

export function optionsFromPb(pb: unknown): RoleOptions | undefined {
  const o = obj(pb);
  if (!o) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, codec] of Object.entries(OPTION_FIELDS)) {
    const v = codec.from(o[codec.pb]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length > 0 ? (out as RoleOptions) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Roles

export function roleToPb(role: RoleResource): Pb {
  const where = `role ${JSON.stringify(role.metadata.name)}: spec`;
  return {
    Kind: 'role',
    SubKind: '',
    Version: role.version,
    Metadata: metadataToPb(role.metadata),
    Spec: {
      Options: optionsToPb(role.spec.options, `${where}.options`),
      Allow: conditionsToPb(role.spec.allow, `${where}.allow`),
      Deny: conditionsToPb(role.spec.deny, `${where}.deny`),
    },
  };
}

export function roleFromPb(pb: unknown): RoleResource {
  const r = obj(pb) ?? {};
  const spec = obj(r.Spec) ?? {};
  const options = optionsFromPb(spec.Options);
  const allow = conditionsFromPb(spec.Allow);
  const deny = conditionsFromPb(spec.Deny);
  return {
    kind: 'role',
    // Servers may hold versions outside model's list (v3, v4, v9); they pass through unchanged.
    version: str(r.Version) as RoleVersion,
    metadata: metadataFromPb(r.Metadata),
    spec: compact({ options, allow: allow && Object.keys(allow).length > 0 ? allow : undefined, deny: deny && Object.keys(deny).length > 0 ? deny : undefined }),
  };
}

// ---------------------------------------------------------------------------------------------
// Users

interface ExternalIdentityYaml {
  connector_id?: string;
  username?: string;
  samlSingleLogoutUrl?: string;
  user_id?: string;
}

const identitiesToPb = (v: unknown): Pb[] =>
  pbList<ExternalIdentityYaml>(v).map((i) => ({ ConnectorID: i.connector_id ?? '', Username: i.username ?? '', SAMLSingleLogoutURL: i.samlSingleLogoutUrl ?? '', UserID: i.user_id ?? '' }));

const identitiesFromPb = (v: unknown): ExternalIdentityYaml[] | undefined =>
  nonEmpty(pbList<Pb>(v).map((i) => compact({ connector_id: str(i.ConnectorID), username: str(i.Username), samlSingleLogoutUrl: str(i.SAMLSingleLogoutURL), user_id: str(i.UserID) })));

export function userToPb(user: UserResource): Pb {
  const s: UserSpec = user.spec ?? {};
  const known = new Set(['roles', 'traits', 'oidc_identities', 'saml_identities', 'github_identities', 'expires', 'created_by', 'trusted_device_ids', 'status']);
  for (const k of Object.keys(s)) if (!known.has(k)) throw new TypeError(`user ${JSON.stringify(user.metadata.name)}: spec.${k} is not a user field this client can send`);
  const createdBy = obj(s.created_by);
  return {
    Kind: 'user',
    SubKind: '',
    Version: user.version ?? 'v2',
    Metadata: metadataToPb(user.metadata),
    Spec: {
      OIDCIdentities: identitiesToPb(s.oidc_identities),
      SAMLIdentities: identitiesToPb(s.saml_identities),
      GithubIdentities: identitiesToPb(s.github_identities),
      Roles: [...(s.roles ?? [])],
      Traits: traitsToPb(s.traits) ?? { Values: {} },
      ...(typeof s.expires === 'string' ? { Expires: isoToTimestamp(s.expires) } : {}),
      ...(createdBy
        ? {
            CreatedBy: {
              ...(typeof createdBy.time === 'string' ? { Time: isoToTimestamp(createdBy.time) } : {}),
              User: { Name: str(obj(createdBy.user)?.name) },
            },
          }
        : {}),
      TrustedDeviceIDs: list(s.trusted_device_ids),
    },
  };
}

export function userFromPb(pb: unknown): UserResource {
  const u = obj(pb) ?? {};
  const s = obj(u.Spec) ?? {};
  const cb = obj(s.CreatedBy);
  const createdBy = cb
    ? compact({ time: timestampToIso(cb.Time as PbTimestamp), user: str(obj(cb.User)?.Name) ? { name: str(obj(cb.User)?.Name) } : undefined })
    : undefined;
  const status = obj(s.Status);
  return {
    kind: 'user',
    version: 'v2',
    metadata: metadataFromPb(u.Metadata),
    spec: compact({
      roles: nonEmpty(list(s.Roles)),
      traits: pbToTraits(s.Traits as PbLabelValues),
      oidc_identities: identitiesFromPb(s.OIDCIdentities),
      saml_identities: identitiesFromPb(s.SAMLIdentities),
      github_identities: identitiesFromPb(s.GithubIdentities),
      expires: timestampToIso(s.Expires as PbTimestamp),
      created_by: createdBy,
      trusted_device_ids: nonEmpty(list(s.TrustedDeviceIDs)),
      status: status?.IsLocked ? compact({ is_locked: true, locked_message: str(status.LockedMessage) }) : undefined,
    }) as UserSpec,
  };
}

// ---------------------------------------------------------------------------------------------
// Access requests

export type RequestStateName = 'NONE' | 'PENDING' | 'APPROVED' | 'DENIED' | 'PROMOTED';

export interface AccessReviewRecord {
  author: string;
  /** Proposed state (APPROVED or DENIED; PROMOTED for access-list promotion). */
  state: RequestStateName;
  reason?: string;
  created?: string;
  roles?: string[];
  annotations?: Record<string, string[]>;
  /** Indexes of the thresholds this review counted for (set by the server). */
  threshold_indexes: number[];
}

/** An access request in plain terms (types.AccessRequestV3). Times are RFC 3339 text. */
export interface AccessRequest {
  id: string;
  user: string;
  roles: string[];
  state: RequestStateName;
  reason?: string;
  resolve_reason?: string;
  created?: string;
  /** Access expiry (Spec.Expires). */
  expires?: string;
  /** Resource expiry of the pending request (Metadata.Expires). */
  request_expires?: string;
  max_duration?: string;
  session_ttl?: string;
  thresholds: Threshold[];
  role_threshold_mapping: Record<string, { sets: { indexes: number[] }[] }>;
  reviews: AccessReviewRecord[];
  suggested_reviewers: string[];
  system_annotations: Record<string, string[]>;
  resolve_annotations: Record<string, string[]>;
  revision?: string;
}

function reviewFromPb(pb: Pb): AccessReviewRecord {
  const r: AccessReviewRecord = { author: str(pb.Author), state: (str(pb.ProposedState) || 'NONE') as RequestStateName, threshold_indexes: pbList<number>(pb.ThresholdIndexes).map(Number) };
  if (str(pb.Reason)) r.reason = str(pb.Reason);
  const created = timestampToIso(pb.Created as PbTimestamp);
  if (created) r.created = created;
  if (list(pb.Roles).length > 0) r.roles = list(pb.Roles);
  const ann = pbToTraits(pb.Annotations as PbLabelValues);
  if (ann) r.annotations = ann;
  return r;
}

export function reviewToPb(r: AccessReviewRecord): Pb {
  return {
    Author: r.author,
    Roles: [...(r.roles ?? [])],
    ProposedState: r.state,
    Reason: r.reason ?? '',
    ...(r.created ? { Created: isoToTimestamp(r.created) } : {}),
    Annotations: traitsToPb(r.annotations) ?? { Values: {} },
    ThresholdIndexes: [...r.threshold_indexes],
  };
}

export function accessRequestFromPb(pb: unknown): AccessRequest {
  const r = obj(pb) ?? {};
  const m = obj(r.Metadata) ?? {};
  const s = obj(r.Spec) ?? {};
  const rtm: AccessRequest['role_threshold_mapping'] = {};
  for (const [role, sets] of Object.entries(obj(s.RoleThresholdMapping) ?? {})) {
    rtm[role] = { sets: pbList<Pb>(obj(sets)?.Sets).map((set) => ({ indexes: pbList<number>(set.Indexes).map(Number) })) };
  }
  const out: AccessRequest = {
    id: str(m.Name),
    user: str(s.User),
    roles: list(s.Roles),
    state: (str(s.State) || 'NONE') as RequestStateName,
    thresholds: pbList<Pb>(s.Thresholds).map(thresholdFromPb),
    role_threshold_mapping: rtm,
    reviews: pbList<Pb>(s.Reviews).map(reviewFromPb),
    suggested_reviewers: list(s.SuggestedReviewers),
    system_annotations: pbToTraits(s.SystemAnnotations as PbLabelValues) ?? {},
    resolve_annotations: pbToTraits(s.ResolveAnnotations as PbLabelValues) ?? {},
  };
  const optional: [keyof AccessRequest, string | undefined][] = [
    ['reason', str(s.RequestReason) || undefined],
    ['resolve_reason', str(s.ResolveReason) || undefined],
    ['created', timestampToIso(s.Created as PbTimestamp)],
    ['expires', timestampToIso(s.Expires as PbTimestamp)],
    ['request_expires', timestampToIso(m.Expires as PbTimestamp)],
    ['max_duration', timestampToIso(s.MaxDuration as PbTimestamp)],
    ['session_ttl', timestampToIso(s.SessionTTL as PbTimestamp)],
    ['revision', str(m.Revision) || undefined],
  ];
  for (const [k, v] of optional) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * AccessRequest to an AccessRequestV3 message. Unset non-nullable times are omitted (a Go server
 * decodes an absent Timestamp as its zero time; sending {seconds: 0} would mean 1970).
 */
export function accessRequestToPb(a: AccessRequest): Pb {
  const rtm: Record<string, Pb> = {};
  for (const [role, m] of Object.entries(a.role_threshold_mapping)) rtm[role] = { Sets: m.sets.map((s) => ({ Indexes: [...s.indexes] })) };
  const ts = (v: string | undefined) => (v ? isoToTimestamp(v) : undefined);
  const spec: Pb = {
    User: a.user,
    Roles: [...a.roles],
    State: a.state,
    RequestReason: a.reason ?? '',
    ResolveReason: a.resolve_reason ?? '',
    ResolveAnnotations: traitsToPb(a.resolve_annotations) ?? { Values: {} },
    SystemAnnotations: traitsToPb(a.system_annotations) ?? { Values: {} },
    Thresholds: a.thresholds.map(thresholdToPb),
    RoleThresholdMapping: rtm,
    Reviews: a.reviews.map(reviewToPb),
    SuggestedReviewers: [...a.suggested_reviewers],
  };
  const times: [string, string | undefined][] = [
    ['Created', a.created],
    ['Expires', a.expires],
    ['MaxDuration', a.max_duration],
    ['SessionTTL', a.session_ttl],
  ];
  for (const [k, v] of times) if (v) spec[k] = ts(v);
  return {
    Kind: 'access_request',
    SubKind: '',
    Version: 'v3',
    Metadata: { Name: a.id, Namespace: 'default', ...(a.request_expires ? { Expires: ts(a.request_expires) } : {}), Revision: a.revision ?? '' },
    Spec: spec,
  };
}

// ---------------------------------------------------------------------------------------------
// Plugin data

export interface PluginDataItem {
  /** Kind of the resource the data belongs to (PluginDataV3.SubKind), e.g. "access_request". */
  kind: string;
  /** Resource name: the request ID. */
  resource: string;
  /** Plugin name -> that plugin's key/value data. */
  entries: Record<string, Record<string, string>>;
}

export function pluginDataFromPb(pb: unknown): PluginDataItem {
  const d = obj(pb) ?? {};
  const entries: PluginDataItem['entries'] = {};
  for (const [plugin, entry] of Object.entries(obj(obj(d.Spec)?.Entries) ?? {})) entries[plugin] = { ...((obj(entry)?.Data as Record<string, string>) ?? {}) };
  return { kind: str(d.SubKind), resource: str(obj(d.Metadata)?.Name), entries };
}

export function pluginDataToPb(item: PluginDataItem): Pb {
  const Entries: Record<string, Pb> = {};
  for (const [plugin, data] of Object.entries(item.entries)) Entries[plugin] = { Data: { ...data } };
  return { Kind: 'plugin_data', SubKind: item.kind, Version: 'v3', Metadata: { Name: item.resource, Namespace: 'default' }, Spec: { Entries } };
}
