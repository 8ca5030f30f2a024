/** `kind: role`: Teleport's validity rules (api/types/role.go, lib/services/role.go, access_request.go), defaults, Terraform shape. */
import { predicateProblem } from '../predicate';
import { RoleConditions, RoleResource, ROLE_VERSIONS } from '../resources';
import { schemaProblems } from '../schema-check';
import { MAX_ACCESS_DURATION_MS, roleVersionSupported, TeleportVersion } from '../versions';
import { parseDurationMs } from '../duration';
import { nameProblem } from '../names';
import { KindModel, Problem } from './kind';
import { roleSchema } from './role-schema';
import { roleCanonicalValues, roleWithServerDefaults } from './role-defaults';

export { roleWithServerDefaults } from './role-defaults';
import { roleToTerraform } from './terraform-shape';
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
/** Label matchers whose `'*'` key must map to `'*'` (checkWildcardSelector's list; cluster and db_service labels are not checked). */
const WILDCARD_SELECTOR_FIELDS = ['node_labels', 'app_labels', 'kubernetes_labels', 'db_labels', 'windows_desktop_labels', 'group_labels', 'workload_identity_labels'];

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
    for (const f of WILDCARD_SELECTOR_FIELDS) {
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

  withServerDefaults(role: RoleResource, teleport?: TeleportVersion): RoleResource {
    return roleWithServerDefaults(role, teleport);
  },
  canonicalValues: roleCanonicalValues,
  // thresholds: reviews refer to them by index; rule actions run in order
  orderedLists: ['thresholds', 'actions'],

  // YAML nulls are absent for Terraform too (the provider has no null list or map values to take)
  toTerraform: (r: RoleResource) => roleToTerraform(withoutNulls(r)),
};
