/**
 * The defaults a Teleport Auth server fills in when it stores a role or user
 * (api/types/role.go RoleV6.CheckAndSetDefaults, per ../shared/notes/teleport-schema.md §1.4), so the
 * simulator returns resources the way a real cluster does and drift detection sees the same
 * server-side noise. model/ has no defaults function yet; if the lead adds one, use it here instead.
 *
 * Not reproduced: role v8's kubernetes_resources api_group '*' (our proto subset has no APIGroup
 * field), and rule/where validation beyond what the simulator needs.
 */
import { randomUUID } from 'node:crypto';
import type { RoleConditions, RoleResource, UserResource } from '../../../model/resources';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function hasKubeLabels(c: RoleConditions | undefined): boolean {
  return !!c && ((c.kubernetes_labels && Object.keys(c.kubernetes_labels).length > 0) || !!c.kubernetes_labels_expression);
}

function conditionDefaults(c: RoleConditions, version: string, isAllow: boolean): RoleConditions {
  const out = { ...c };
  if (!out.namespaces || out.namespaces.length === 0) out.namespaces = ['default'];
  const kube = out.kubernetes_resources as { kind?: string; namespace?: string; name?: string; verbs?: string[] }[] | undefined;
  if (isAllow && hasKubeLabels(out) && (!kube || kube.length === 0)) {
    if (version === 'v5') out.kubernetes_resources = [{ kind: 'pod', namespace: '*', name: '*', verbs: ['*'] }];
    if (version === 'v7' || version === 'v8') out.kubernetes_resources = [{ kind: '*', namespace: '*', name: '*', verbs: ['*'] }];
  } else if (kube) {
    out.kubernetes_resources = kube.map((k) => (!k.verbs || k.verbs.length === 0 ? { ...k, verbs: ['*'] } : k));
  }
  return out;
}

/** A role as the server stores and returns it: defaults filled, a fresh revision. */
export function applyRoleServerDefaults(role: RoleResource): RoleResource {
  const r = clone(role);
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
  // SAML IdP access is implicit only for role versions up to v7 (IsLegacySAMLRBAC).
  if (['v3', 'v4', 'v5', 'v6', 'v7'].includes(r.version) && !o.idp) o.idp = { saml: { enabled: true } };
  r.spec.options = o;
  r.spec.allow = conditionDefaults(r.spec.allow ?? {}, r.version, true);
  r.spec.deny = conditionDefaults(r.spec.deny ?? {}, r.version, false);
  r.metadata = { ...r.metadata, revision: randomUUID() };
  return r;
}

export function applyUserServerDefaults(user: UserResource): UserResource {
  const u = clone(user);
  u.version = 'v2';
  u.spec = { ...u.spec };
  u.metadata = { ...u.metadata, revision: randomUUID() };
  return u;
}
