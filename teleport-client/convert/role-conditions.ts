/** RoleConditions (spec.allow / spec.deny) <-> the model's RoleConditions. */
import type { Labels, RoleConditions, Rule, Threshold } from '../../model/resources';
import { PbLabelValues, durationToNanos, labelsToPb, nanosToDuration, pbToLabels, pbToTraits, traitsToPb } from '../values';
import { Pb, compact, list, nonEmpty, num, obj, pbList, str } from './pb';

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

export function thresholdToPb(t: Threshold): Pb {
  return { Name: t.name ?? '', Filter: t.filter ?? '', Approve: t.approve ?? 0, Deny: t.deny ?? 0 };
}

export function thresholdFromPb(pb: Pb): Threshold {
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
    kubernetes_resources: pbList<{ kind?: string; api_group?: string }>(r.kubernetes_resources).map((k) => ({ kind: k.kind ?? '', APIGroup: k.api_group ?? '' })),
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
    kubernetes_resources: nonEmpty(pbList<Pb>(pb.kubernetes_resources).map((k) => compact({ kind: str(k.kind), api_group: str(k.APIGroup) }))),
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
    to: (v) => ({ Kind: str(v.kind), Namespace: str(v.namespace), Name: str(v.name), Verbs: list(v.verbs), APIGroup: str(v.api_group) }),
    // api_group '' is meaningful on v8 (core kinds) but proto3 cannot tell it from absent: absent it stays
    from: (v) => compact({ kind: str(v.Kind), api_group: str(v.APIGroup), namespace: str(v.Namespace), name: str(v.Name), verbs: list(v.Verbs) }),
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
