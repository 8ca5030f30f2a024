/**
 * Values inside a role that Teleport rejects although their type is right (api/types/role.go CheckAndSetDefaults and
 * the CheckAndSetDefaults of its parts and the option decoders; lib/services/role.go ValidateRoleName and
 * validateRoleExpressions; lib/services CheckDynamicLabelsInDenyRules): option values, durations, namespaces,
 * db_permissions, spiffe, trait templates, and dynamic/ labels in deny.
 */
import { parseDurationMs } from '../duration';
import { RoleConditions, RoleResource } from '../resources';
import { Problem } from './kind';
import { LABEL_FIELDS } from './role-fields';

/** Role options of Teleport's Duration type (UnmarshalYAML: Go syntax plus d/mo/y and "never"). */
const DURATION_OPTIONS = ['max_session_ttl', 'client_idle_timeout'];

/** Allowed values of string-enum options; each list is what the option's decoder or CheckAndSetDefaults accepts. */
const OPTION_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  // CreateHostUserMode.decode: "drop" is read as insecure-drop; false is off; numbers are the enum
  create_host_user_mode: ['', 'off', 'keep', 'insecure-drop', 'drop', false, 0, 1, 2, 3, 4],
  // CreateDatabaseUserMode.decode
  create_db_user_mode: ['', 'off', 'keep', 'best_effort_drop', false, 0, 1, 2, 3],
  // CheckAndSetDefaults: "invalid value for role option lock"
  lock: ['', 'strict', 'best_effort'],
};

/** require_session_mfa: RequireMFAType.decode's strings (booleans, integers 0..5 and boolean words are read too). */
const REQUIRE_MFA_STRINGS = ['', 'hardware_key', 'hardware_key_touch', 'hardware_key_pin', 'hardware_key_touch_and_pin'];
const BOOLEAN_WORDS = ['yes', 'yeah', 'y', 'true', '1', 'on', 'no', 'nope', 'n', 'false', '0', 'off'];

function requireMfaProblem(v: unknown): string | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5) return undefined;
  if (typeof v === 'string' && (REQUIRE_MFA_STRINGS.includes(v) || BOOLEAN_WORDS.includes(v.toLowerCase()))) return undefined;
  return `${JSON.stringify(v)} is not a value Teleport accepts: use true, false, hardware_key, hardware_key_touch, hardware_key_pin or hardware_key_touch_and_pin`;
}

/** enhanced_recording entries (constants.EnhancedRecordingCommand/Disk/Network). */
const ENHANCED_RECORDING = ['command', 'disk', 'network'];

/** Fields whose values are trait templates (validateRoleExpressions). */
const TEMPLATE_FIELDS = [
  'logins', 'windows_desktop_logins', 'aws_role_arns', 'azure_identities', 'gcp_service_accounts', 'kubernetes_groups',
  'kubernetes_users', 'db_names', 'db_users', 'host_groups', 'host_sudoers', 'desktop_groups',
];

/** Reserved system role names, lower case (api/types/system_role.go roleMappings; ValidateRoleName). */
export const SYSTEM_ROLE_NAMES: readonly string[] = [
  'auth', 'node', 'proxy', 'admin', 'provisiontoken', 'trusted_cluster', 'trustedcluster', 'signup', 'nop', 'remoteproxy',
  'remote_proxy', 'kube', 'app', 'db', 'windowsdesktop', 'windows_desktop', 'bot', 'instance', 'discovery', 'okta', 'mdm',
  'accessgraphplugin',
];

export function durationProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined; // the schema reports the type
  if (parseDurationMs(value) === undefined) return `${JSON.stringify(value)} is not a duration Teleport can read: use Go's form such as "8h", "90m", "30h0m0s", or "7d"`;
  return undefined;
}

/**
 * A trait template as Teleport's parse.NewTraitsTemplateExpression reads it: a value with `{{` or `}}` must be one
 * `{{...}}`, closed, with no braces in the text around it, and something inside.
 */
export function templateProblem(value: string): string | undefined {
  // single braces are literal text (a regex quantifier such as ^[a-z]{3}$); only {{ or }} make a template
  if (!value.includes('{{') && !value.includes('}}')) return undefined;
  const m = /^([^{}]*)\{\{([^{}]*)\}\}([^{}]*)$/.exec(value);
  if (!m) return `${JSON.stringify(value)} is not a valid template: write one {{internal.name}} or {{external.name}}, with both braces closed`;
  if ((m[2] as string).trim() === '') return `${JSON.stringify(value)} has an empty template {{}}`;
  return undefined;
}

export function optionProblems(role: RoleResource): Problem[] {
  const o = role.spec?.options as Record<string, unknown> | undefined;
  if (!o || typeof o !== 'object') return [];
  const out: Problem[] = [];
  for (const f of DURATION_OPTIONS) {
    const p = durationProblem(o[f]);
    if (p) out.push({ field: `spec.options.${f}`, message: p });
  }
  for (const [f, allowed] of Object.entries(OPTION_VALUES)) {
    if (o[f] !== undefined && !allowed.includes(o[f])) {
      out.push({ field: `spec.options.${f}`, message: `${JSON.stringify(o[f])} is not a value Teleport accepts: use one of ${allowed.filter((v) => typeof v === 'string' && v !== '').join(', ')}` });
    }
  }
  const mfa = requireMfaProblem(o.require_session_mfa);
  if (mfa) out.push({ field: 'spec.options.require_session_mfa', message: mfa });
  const er = o.enhanced_recording;
  if (Array.isArray(er)) {
    er.forEach((v, i) => {
      if (!ENHANCED_RECORDING.includes(v as string)) out.push({ field: `spec.options.enhanced_recording[${i}]`, message: `${JSON.stringify(v)} is not an enhanced recording event: use command, disk or network` });
    });
  }
  return out;
}

/** Label fields of types.LabelMatcherKinds, checked by CheckDynamicLabelsInDenyRules (with their *_expression twins). */
const DYNAMIC_LABEL_CHECKED = ['cluster_labels', 'node_labels', 'kubernetes_labels', 'app_labels', 'db_labels', 'db_service_labels', 'windows_desktop_labels', 'group_labels'];
/** types.TeleportDynamicLabelPrefix: labels a server_info resource sets; a deny rule on them could be lifted by editing it. */
const DYNAMIC_LABEL_PREFIX = 'dynamic/';

/** lib/services CheckDynamicLabelsInDenyRules (tctl create and the Auth server, for new roles): no dynamic/ labels in deny. */
function dynamicLabelProblems(c: RoleConditions, at: (f: string) => string): Problem[] {
  const out: Problem[] = [];
  const message = `labels with the "${DYNAMIC_LABEL_PREFIX}" prefix are not allowed in deny rules (a server_info resource sets them, so they would not reliably deny)`;
  for (const f of DYNAMIC_LABEL_CHECKED) {
    const labels = c[f] as Record<string, unknown> | undefined;
    for (const k of Object.keys(labels && typeof labels === 'object' ? labels : {})) {
      if (k.startsWith(DYNAMIC_LABEL_PREFIX)) out.push({ field: `${at(f)}[${JSON.stringify(k)}]`, message });
    }
    const expr = c[`${f}_expression`];
    if (typeof expr === 'string' && expr.includes(`"${DYNAMIC_LABEL_PREFIX}`)) out.push({ field: at(`${f}_expression`), message });
  }
  const where = [
    ['review_requests.where', (c.review_requests as { where?: unknown } | undefined)?.where],
    ['impersonate.where', (c.impersonate as { where?: unknown } | undefined)?.where],
  ] as const;
  for (const [f, w] of where) if (typeof w === 'string' && w.includes(DYNAMIC_LABEL_PREFIX)) out.push({ field: at(f), message });
  return out;
}

/** Problems of one side's values: namespaces, db_permissions, spiffe, templates, request.max_duration. */
export function conditionValueProblems(side: 'allow' | 'deny', c: RoleConditions | undefined): Problem[] {
  if (!c || typeof c !== 'object') return [];
  const out: Problem[] = [];
  const at = (f: string): string => `spec.${side}.${f}`;
  // checkAndSetRoleConditionNamespaces: '*' or a valid namespace; Teleport has only "default"
  (Array.isArray(c.namespaces) ? c.namespaces : []).forEach((ns, i) => {
    if (ns !== '*' && ns !== 'default') out.push({ field: at(`namespaces[${i}]`), message: `namespace ${JSON.stringify(ns)} does not exist: Teleport has only "default" (or '*')` });
  });
  const dbp = c.db_permissions;
  if (Array.isArray(dbp)) {
    (dbp as { permissions?: unknown; match?: Record<string, unknown> }[]).forEach((p, i) => {
      const perms = Array.isArray(p?.permissions) ? (p.permissions as unknown[]) : [];
      if (perms.length === 0) out.push({ field: at(`db_permissions[${i}].permissions`), message: 'database permission list cannot be empty' });
      if (perms.some((x) => x === '')) out.push({ field: at(`db_permissions[${i}].permissions`), message: 'individual database permissions cannot be empty strings' });
      if (side === 'allow' && perms.includes('*')) out.push({ field: at(`db_permissions[${i}].permissions`), message: `the wildcard '*' is not allowed in allow.db_permissions: list the permissions (deny may use '*')` });
      const star = p?.match?.['*'];
      if (star !== undefined && !(star === '*' || (Array.isArray(star) && star.length === 1 && star[0] === '*'))) {
        out.push({ field: at(`db_permissions[${i}].match['*']`), message: `selector *:<value> is not supported: use '*': '*'` });
      }
    });
  }
  const spiffe = c.spiffe;
  if (Array.isArray(spiffe)) {
    (spiffe as { path?: unknown; ip_sans?: unknown }[]).forEach((s, i) => {
      const path = typeof s?.path === 'string' ? s.path : '';
      if (path === '') out.push({ field: at(`spiffe[${i}].path`), message: 'path must not be empty' });
      else if (!path.startsWith('/') && !(path.startsWith('^') && path.endsWith('$'))) {
        out.push({ field: at(`spiffe[${i}].path`), message: `${JSON.stringify(path)} must start with / or be a regular expression ^...$` });
      }
      (Array.isArray(s?.ip_sans) ? (s.ip_sans as unknown[]) : []).forEach((cidr, j) => {
        if (!isCidr(cidr)) out.push({ field: at(`spiffe[${i}].ip_sans[${j}]`), message: `${JSON.stringify(cidr)} is not a CIDR such as 10.0.0.0/8` });
      });
    });
  }
  for (const f of TEMPLATE_FIELDS) templateList(c[f], at(f), out);
  const imp = c.impersonate as { users?: unknown; roles?: unknown } | undefined;
  templateList(imp?.users, at('impersonate.users'), out);
  templateList(imp?.roles, at('impersonate.roles'), out);
  for (const f of LABEL_FIELDS) {
    const labels = c[f] as Record<string, unknown> | undefined;
    if (!labels || typeof labels !== 'object') continue;
    for (const [k, v] of Object.entries(labels)) templateList(Array.isArray(v) ? v : [v], `${at(f)}[${JSON.stringify(k)}]`, out);
  }
  if (side === 'deny') out.push(...dynamicLabelProblems(c, at));
  const md = (c.request as { max_duration?: unknown } | undefined)?.max_duration;
  const mp = durationProblem(md);
  if (mp) out.push({ field: at('request.max_duration'), message: mp });
  return out;
}

function templateList(values: unknown, field: string, out: Problem[]): void {
  if (!Array.isArray(values)) return;
  for (const v of values) {
    const p = typeof v === 'string' ? templateProblem(v) : undefined;
    if (p) out.push({ field, message: `${p} (Teleport never expands it; older Teleport rejects the role)` });
  }
}

function isCidr(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const [ip, bits, ...rest] = v.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits)) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip as string)) return (ip as string).split('.').every((o) => Number(o) <= 255) && Number(bits) <= 32;
  return (ip as string).includes(':') && /^[0-9a-fA-F:.]+$/.test(ip as string) && Number(bits) <= 128;
}
