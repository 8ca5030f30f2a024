/**
 * A role as a Teleport Auth server stores and prints it back, and the one spelling of values Teleport reads
 * as the same. Source: api/types/role.go `RoleV6.CheckAndSetDefaults` (Teleport 18), `setDefaultKubernetesVerbs`,
 * `checkAndSetRoleConditionNamespaces`; api/types/duration.go; api/utils ParseBool; RequireMFAType marshalling.
 * Used by the simulator (what it stores), drift (both sides) and tests (corpus printed back).
 */
import { canonicalDuration, tryParseDuration } from '../duration';
import { RoleConditions, RoleResource } from '../resources';
import { TeleportVersion } from '../versions';

type Obj = Record<string, unknown>;
type KubeResource = { kind?: string; api_group?: string; namespace?: string; name?: string; verbs?: string[] };

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const WILDCARD_LABELS = { '*': '*' };

/** Number of a role version ("v5" -> 5); versions Teleport does not know are treated as v8 (setStaticFields). */
export function roleVersionNumber(version: string): number {
  const m = /^v(\d+)$/.exec(version);
  const n = m ? Number(m[1]) : 8;
  return n >= 3 && n <= 7 ? n : 8;
}

function hasKubeLabelMatchers(c: RoleConditions): boolean {
  const l = c.kubernetes_labels as Obj | undefined;
  return (isObj(l) && Object.keys(l).length > 0) || !!c.kubernetes_labels_expression;
}

function withDefaultVerbs(list: unknown): KubeResource[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return (list as KubeResource[]).map((k) => (isObj(k) && (!k.verbs || k.verbs.length === 0) ? { ...k, verbs: ['*'] } : k));
}

function allowDefaults(c: RoleConditions, v: number): RoleConditions {
  const out: RoleConditions = { ...c };
  if (v === 3) {
    // v3 only: wildcard labels where the role says nothing (no logins: no node access)
    out.node_labels ??= (out.logins?.length ?? 0) > 0 ? { ...WILDCARD_LABELS } : {};
    out.app_labels ??= { ...WILDCARD_LABELS };
    out.kubernetes_labels ??= { ...WILDCARD_LABELS };
    out.db_labels ??= { ...WILDCARD_LABELS };
  }
  const kube = out.kubernetes_resources as KubeResource[] | undefined;
  if ((!kube || kube.length === 0) && hasKubeLabelMatchers(out)) {
    if (v <= 5) out.kubernetes_resources = [{ kind: 'pod', namespace: '*', name: '*' }];
    else if (v === 7) out.kubernetes_resources = [{ kind: '*', namespace: '*', name: '*', verbs: ['*'] }];
    else if (v === 8) out.kubernetes_resources = [{ kind: '*', api_group: '*', namespace: '*', name: '*', verbs: ['*'] }];
  }
  return out;
}

/**
 * RoleV6.CheckAndSetDefaults: option defaults, namespaces (only when absent), per-version Kubernetes defaults,
 * default verbs only for v3-v6, SAML IdP access only up to v7. Server-set metadata (revision) is not added.
 * `teleport` is accepted for the servers of each supported major; their role defaults are the same (see the
 * version table in model/teleport-versions.ts).
 */
export function roleWithServerDefaults(role: RoleResource, _teleport?: TeleportVersion): RoleResource {
  const r = JSON.parse(JSON.stringify(role)) as RoleResource;
  r.spec ??= {};
  const v = roleVersionNumber(String(r.version));
  const o: Obj = { ...(r.spec.options ?? {}) };
  if (!o.cert_format) o.cert_format = 'standard';
  const ttl = typeof o.max_session_ttl === 'string' ? tryParseDuration(o.max_session_ttl) : undefined;
  if (o.max_session_ttl === undefined || o.max_session_ttl === null || (ttl !== undefined && ttl <= 0n)) o.max_session_ttl = '30h0m0s';
  if (!Array.isArray(o.enhanced_recording) || o.enhanced_recording.length === 0) o.enhanced_recording = ['command', 'network'];
  o.record_session ??= { desktop: true, default: 'best_effort' };
  o.desktop_clipboard ??= true;
  o.desktop_directory_sharing ??= true;
  o.create_desktop_user ??= false;
  o.create_db_user ??= false;
  o.ssh_file_copy ??= true;
  if (v <= 7) o.idp ??= { saml: { enabled: true } };
  r.spec.options = o;
  const allow = allowDefaults(r.spec.allow ?? {}, v);
  const deny: RoleConditions = { ...(r.spec.deny ?? {}) };
  for (const c of [allow, deny]) {
    c.namespaces ??= ['default'];
    if (v <= 6 && c.kubernetes_resources) c.kubernetes_resources = withDefaultVerbs(c.kubernetes_resources) as RoleConditions['kubernetes_resources'];
  }
  r.spec.allow = allow;
  r.spec.deny = deny;
  return r;
}

// ---------------------------------------------------------------------------------------------
// One spelling per value

/** api/utils ParseBool: the strings Teleport's Bool and BoolOption accept (YAML 1.1 style included). */
export function teleportBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  if (['yes', 'yeah', 'y', 'true', '1', 'on'].includes(s)) return true;
  if (['no', 'nope', 'n', 'false', '0', 'off'].includes(s)) return false;
  return undefined;
}

// RoleOptions fields that are plain Go bools (types.Bool): unset prints as false.
const PLAIN_BOOL_OPTIONS = ['forward_agent', 'pin_source_ip', 'permit_x11_forwarding', 'disconnect_expired_cert'];
// BoolOption (BoolValue on the wire): presence matters, but "no" is false.
const BOOL_OPTIONS = ['port_forwarding', 'desktop_clipboard', 'desktop_directory_sharing', 'create_host_user', 'create_desktop_user', 'create_db_user', 'ssh_file_copy'];
const DURATION_OPTIONS = ['max_session_ttl', 'client_idle_timeout', 'mfa_verification_interval'];

function boolIn(o: Obj, key: string): void {
  const b = teleportBool(o[key]);
  if (b !== undefined) o[key] = b;
}

function canonicalOptions(options: Obj): Obj {
  const o: Obj = { ...options };
  for (const k of DURATION_OPTIONS) {
    if (typeof o[k] !== 'string') continue;
    o[k] = canonicalDuration(o[k] as string);
    if (o[k] === '0s') delete o[k];
  }
  for (const k of PLAIN_BOOL_OPTIONS) {
    boolIn(o, k);
    if (o[k] === false) delete o[k];
  }
  for (const k of BOOL_OPTIONS) boolIn(o, k);
  // Legacy defaults older servers print: port forwarding allowed, no host users.
  if (o.port_forwarding === true) delete o.port_forwarding;
  if (o.create_host_user === false) delete o.create_host_user;
  if (isObj(o.record_session)) {
    const rs = { ...o.record_session };
    boolIn(rs, 'desktop');
    o.record_session = rs;
  }
  if (isObj(o.idp) && isObj(o.idp.saml)) {
    const saml = { ...o.idp.saml };
    boolIn(saml, 'enabled');
    o.idp = { ...o.idp, saml };
  }
  // RequireMFAType prints OFF as false and SESSION as true; the other modes by name
  const mfa = o.require_session_mfa;
  const mfaBool = teleportBool(mfa);
  if (mfaBool === false || mfa === '' || mfa === 'off') delete o.require_session_mfa;
  else if (mfaBool === true || mfa === 'session') o.require_session_mfa = true;
  return o;
}

function canonicalConditions(c: RoleConditions | undefined): RoleConditions | undefined {
  if (!c || !isObj(c.request)) return c;
  const req: Obj = { ...c.request };
  if (typeof req.max_duration === 'string') {
    req.max_duration = canonicalDuration(req.max_duration);
    if (req.max_duration === '0s') delete req.max_duration; // 0 means the default
  }
  if (Array.isArray(req.thresholds)) {
    // proto3 zeros are printed as absent: a missing approve/deny is 0
    req.thresholds = req.thresholds.map((t) => (isObj(t) ? { ...t, approve: t.approve ?? 0, deny: t.deny ?? 0 } : t));
  }
  return { ...c, request: req as RoleConditions['request'] };
}

/** The one spelling of each value Teleport reads alike (see KindModel.canonicalValues). */
export function roleCanonicalValues(role: RoleResource): RoleResource {
  const spec = role.spec ?? {};
  return {
    ...role,
    spec: {
      ...spec,
      ...(spec.options ? { options: canonicalOptions(spec.options as Obj) as RoleResource['spec']['options'] } : {}),
      ...(spec.allow ? { allow: canonicalConditions(spec.allow) } : {}),
      ...(spec.deny ? { deny: canonicalConditions(spec.deny) } : {}),
    },
  };
}
