/** `kind: role`: Teleport's validity rules (api/types/role.go, lib/services/role.go, access_request.go), defaults, Terraform shape. */
import { predicateProblem } from '../predicate';
import { RoleConditions, RoleResource, ROLE_VERSIONS } from '../resources';
import { schemaProblems } from '../schema-check';
import { MAX_ACCESS_DURATION_MS, parseDurationMs, roleVersionSupported, TeleportVersion } from '../versions';
import { nameProblem } from '../names';
import { KindModel, Problem } from './kind';
import { roleSchema } from './role-schema';
import { LABEL_FIELDS, TERRAFORM_OPTION_ENUMS } from './role-fields';
import { kubeResourceProblems, requestKubeResourceProblems } from './role-kube';
import { conditionValueProblems, optionProblems, SYSTEM_ROLE_NAMES } from './role-values';
import { metadataProblems, withoutNulls } from './metadata-rules';

/** lib/services/role.go ValidateRoleName: system role names (case-insensitive) are reserved. */
function systemRoleProblem(name: unknown): string | undefined {
  if (typeof name === 'string' && SYSTEM_ROLE_NAMES.includes(name.trim().toLowerCase())) {
    return `role name ${JSON.stringify(name)} is reserved for Teleport's system role: choose another`;
  }
  return undefined;
}

/**
 * Thresholds that can never decide: approve or deny missing or 0. Teleport accepts them (the threshold then never
 * approves / never denies); the constructs refuse them and `dualauth review` reports them (DA-002).
 */
export function thresholdDecisionProblems(role: RoleResource): Problem[] {
  const out: Problem[] = [];
  (role.spec?.allow?.request?.thresholds ?? []).forEach((t, i) => {
    for (const k of ['approve', 'deny'] as const) {
      const n = (t as unknown as Record<string, unknown>)[k];
      if (typeof n !== 'number' || n < 1) {
        out.push({ field: `spec.allow.request.thresholds[${i}].${k}`, message: `must be at least 1 (missing or 0 means this threshold can never ${k === 'approve' ? 'approve' : 'deny'} a request)` });
      }
    }
  });
  return out;
}

const WILDCARD_BANNED_IN_ALLOW = ['logins', 'aws_role_arns', 'azure_identities', 'gcp_service_accounts', 'db_roles'];

function conditionProblems(side: 'allow' | 'deny', c: RoleConditions | undefined, role: RoleResource): Problem[] {
  if (!c) return [];
  const out: Problem[] = [];
  const at = (f: string): string => `spec.${side}.${f}`;
  const req = c.request;
  if (side === 'deny' && (req?.thresholds?.length ?? 0) > 0) {
    out.push({ field: at('request.thresholds'), message: 'Teleport rejects thresholds under deny: set approval and denial counts in spec.allow.request.thresholds' });
  }
  (req?.thresholds ?? []).forEach((t, i) => {
    // approve/deny of 0 or missing: Teleport accepts it (the threshold then never approves / denies);
    // thresholdDecisionProblems reports it for constructs and the review
    const fp = predicateProblem(t.filter, 'threshold-filter');
    if (fp) out.push({ field: at(`request.thresholds[${i}].filter`), message: `invalid threshold filter: ${fp}` });
  });
  // ValidateAccessPredicates bounds only allow.request.max_duration; "0" (or absent) means the default
  if (side === 'allow' && typeof req?.max_duration === 'string') {
    const ms = parseDurationMs(req.max_duration);
    if (ms !== undefined && ms > MAX_ACCESS_DURATION_MS) out.push({ field: at('request.max_duration'), message: 'exceeds Teleport\'s maximum access duration of 14 days ("14d")' });
  }
  const wp = predicateProblem(c.review_requests?.where, 'review-where');
  if (wp) out.push({ field: at('review_requests.where'), message: `invalid review condition: ${wp}` });
  const imp = c.impersonate;
  if (imp && (imp.users?.length ?? 0) > 0 && (imp.roles?.length ?? 0) === 0) {
    out.push({ field: at('impersonate.roles'), message: 'please set both impersonate.users and impersonate.roles' });
  }
  if (side === 'deny' && imp?.where) out.push({ field: at('impersonate.where'), message: 'where is not supported in deny.impersonate' });
  // rules[].where uses the resource-predicate grammar, on which Teleport only logs warnings: not checked here
  if (side === 'allow') {
    for (const f of WILDCARD_BANNED_IN_ALLOW) {
      if (Array.isArray(c[f]) && (c[f] as string[]).includes('*')) out.push({ field: at(f), message: `Teleport does not allow the wildcard '*' in allow.${f}: list the values` });
    }
    for (const f of LABEL_FIELDS) {
      const l = c[f] as Record<string, string | string[]> | undefined;
      const star = l?.['*'];
      if (star !== undefined && !(star === '*' || (Array.isArray(star) && star.length === 1 && star[0] === '*'))) {
        out.push({ field: at(`${f}['*']`), message: `selector *:<value> is not supported: use '*': '*'` });
      }
    }
  }
  out.push(...kubeResourceProblems(role.version, c.kubernetes_resources, at('kubernetes_resources')));
  out.push(...requestKubeResourceProblems(role.version, req?.kubernetes_resources, at('request.kubernetes_resources')));
  out.push(...conditionValueProblems(side, c));
  return out;
}

function labelsAsLists(labels: Record<string, string | string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}

function conditionsToTerraform(c: RoleConditions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    out[k] = LABEL_FIELDS.includes(k) && v && typeof v === 'object' ? labelsAsLists(v as Record<string, string | string[]>) : v;
  }
  return out;
}

function optionsToTerraform(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const e = TERRAFORM_OPTION_ENUMS[k];
    out[k] = e && (typeof v === 'string' || typeof v === 'boolean') && String(v) in e ? e[String(v)] : v;
  }
  return out;
}

function hasKubeLabels(c: RoleConditions): boolean {
  const l = c.kubernetes_labels as Record<string, unknown> | undefined;
  return (!!l && Object.keys(l).length > 0) || !!c.kubernetes_labels_expression;
}

type KubeResource = { kind?: string; namespace?: string; name?: string; verbs?: string[] };

function conditionDefaults(c: RoleConditions, version: string, isAllow: boolean): RoleConditions {
  const out: RoleConditions = { ...c };
  if (!out.namespaces || out.namespaces.length === 0) out.namespaces = ['default'];
  const kube = out.kubernetes_resources as KubeResource[] | undefined;
  if (isAllow && hasKubeLabels(out) && (!kube || kube.length === 0)) {
    // v4/v5: pods only; v6: no default; v7/v8: everything (api_group '*' on v8 is not modelled)
    if (version === 'v5') out.kubernetes_resources = [{ kind: 'pod', namespace: '*', name: '*', verbs: ['*'] }];
    if (version === 'v7' || version === 'v8') out.kubernetes_resources = [{ kind: '*', namespace: '*', name: '*', verbs: ['*'] }];
  } else if (kube) {
    out.kubernetes_resources = kube.map((k) => (!k.verbs || k.verbs.length === 0 ? { ...k, verbs: ['*'] } : k));
  }
  return out;
}

/**
 * A role as a Teleport Auth server stores and returns it (RoleV6.CheckAndSetDefaults): option defaults,
 * namespaces, per-version kubernetes_resources defaults. Server-set metadata (revision) is not added.
 */
export function roleWithServerDefaults(role: RoleResource): RoleResource {
  const r = JSON.parse(JSON.stringify(role)) as RoleResource;
  r.spec ??= {};
  const o = { ...(r.spec.options ?? {}) } as Record<string, unknown>;
  o.cert_format ??= 'standard';
  if (!o.max_session_ttl || o.max_session_ttl === '0s') o.max_session_ttl = '30h0m0s';
  o.enhanced_recording ??= ['command', 'network'];
  const rs = { ...((o.record_session as Record<string, unknown>) ?? {}) };
  rs.desktop ??= true;
  if (!rs.default) rs.default = 'best_effort';
  o.record_session = rs;
  o.desktop_clipboard ??= true;
  o.desktop_directory_sharing ??= true;
  o.create_desktop_user ??= false;
  o.create_db_user ??= false;
  o.ssh_file_copy ??= true;
  // SAML IdP access is implicit only up to v7 (IsLegacySAMLRBAC)
  if (r.version !== 'v8' && !o.idp) o.idp = { saml: { enabled: true } };
  r.spec.options = o;
  r.spec.allow = conditionDefaults(r.spec.allow ?? {}, r.version, true);
  r.spec.deny = conditionDefaults(r.spec.deny ?? {}, r.version, false);
  return r;
}

export const roleKind: KindModel<RoleResource> = {
  kind: 'role',
  versions: ROLE_VERSIONS,
  terraformType: 'teleport_role',

  problems(input: RoleResource, teleport?: TeleportVersion): Problem[] {
    const role = withoutNulls(input);
    const out: Problem[] = [];
    if (!ROLE_VERSIONS.includes(role.version)) {
      return [{ field: 'version', message: `role version ${JSON.stringify(role.version)} is not one of ${ROLE_VERSIONS.join(', ')}` }];
    }
    if (teleport && !roleVersionSupported(role.version, teleport)) {
      out.push({ field: 'version', message: `role ${role.version} is not supported by Teleport ${teleport.major}.${teleport.minor}: use an older role version or raise the target Teleport version` });
    }
    const np = nameProblem(role.metadata?.name, 'role') ?? systemRoleProblem(role.metadata?.name);
    if (np) out.push({ field: 'metadata.name', message: np });
    out.push(...metadataProblems(role.metadata));
    const shape = schemaProblems(`role/${role.version}`, () => roleSchema(role.version), role);
    out.push(...shape);
    if (shape.length > 0) return out; // the value checks below assume the schema's types
    out.push(...optionProblems(role));
    out.push(...conditionProblems('allow', role.spec?.allow, role), ...conditionProblems('deny', role.spec?.deny, role));
    return out;
  },

  withServerDefaults(role: RoleResource): RoleResource {
    return roleWithServerDefaults(role);
  },

  toTerraform(role: RoleResource): Record<string, unknown> {
    const spec: Record<string, unknown> = {};
    if (role.spec.options) spec.options = optionsToTerraform(role.spec.options);
    if (role.spec.allow) spec.allow = conditionsToTerraform(role.spec.allow);
    if (role.spec.deny) spec.deny = conditionsToTerraform(role.spec.deny);
    const metadata: Record<string, unknown> = { name: role.metadata.name };
    if (role.metadata.description !== undefined) metadata.description = role.metadata.description;
    if (role.metadata.labels !== undefined) metadata.labels = role.metadata.labels;
    return { version: role.version, metadata, spec };
  },
};
