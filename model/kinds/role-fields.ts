/**
 * Field names of a role, as Teleport's types.proto RoleV6 / the operator CRDs spell them
 * (test/model/schema-vs-crd.test.ts checks these lists against ../shared/teleport-crds).
 */

/** RoleConditions fields (spec.allow / spec.deny). */
export const CONDITION_FIELDS: readonly string[] = [
  'account_assignments', 'app_labels', 'app_labels_expression', 'aws_role_arns', 'azure_identities',
  'cluster_labels', 'cluster_labels_expression', 'db_labels', 'db_labels_expression', 'db_names', 'db_permissions',
  'db_roles', 'db_service_labels', 'db_service_labels_expression', 'db_users', 'desktop_groups',
  'gcp_service_accounts', 'github_permissions', 'group_labels', 'group_labels_expression', 'host_groups',
  'host_sudoers', 'impersonate', 'join_sessions', 'kubernetes_groups', 'kubernetes_labels',
  'kubernetes_labels_expression', 'kubernetes_resources', 'kubernetes_users', 'logins', 'mcp', 'namespaces',
  'node_labels', 'node_labels_expression', 'request', 'require_session_join', 'review_requests', 'rules', 'spiffe',
  'windows_desktop_labels', 'windows_desktop_labels_expression', 'windows_desktop_logins',
  'workload_identity_labels', 'workload_identity_labels_expression',
];

/** Label-matcher fields: map of label name to a value or list of values. */
export const LABEL_FIELDS: readonly string[] = CONDITION_FIELDS.filter((f) => f.endsWith('_labels'));

/** String-list fields of RoleConditions. */
export const STRING_LIST_FIELDS: readonly string[] = [
  'aws_role_arns', 'azure_identities', 'db_names', 'db_roles', 'db_users', 'desktop_groups', 'gcp_service_accounts',
  'host_groups', 'host_sudoers', 'kubernetes_groups', 'kubernetes_users', 'logins', 'namespaces', 'windows_desktop_logins',
];

export const OPTION_FIELDS: readonly string[] = [
  'cert_extensions', 'cert_format', 'client_idle_timeout', 'create_db_user', 'create_db_user_mode',
  'create_desktop_user', 'create_host_user', 'create_host_user_default_shell', 'create_host_user_mode',
  'desktop_clipboard', 'desktop_directory_sharing', 'device_trust_mode', 'disconnect_expired_cert',
  'enhanced_recording', 'forward_agent', 'idp', 'lock', 'max_connections', 'max_kubernetes_connections',
  'max_session_ttl', 'max_sessions', 'mfa_verification_interval', 'permit_x11_forwarding', 'pin_source_ip',
  'port_forwarding', 'record_session', 'request_access', 'request_prompt', 'require_session_mfa', 'ssh_file_copy',
  'ssh_port_forwarding',
];

export const REQUEST_FIELDS: readonly string[] = [
  'annotations', 'claims_to_roles', 'kubernetes_resources', 'max_duration', 'reason', 'roles', 'search_as_roles',
  'suggested_reviewers', 'thresholds',
];

export const REVIEW_FIELDS: readonly string[] = ['claims_to_roles', 'preview_as_roles', 'roles', 'where'];

export const IMPERSONATE_FIELDS: readonly string[] = ['roles', 'users', 'where'];

export const USER_SPEC_FIELDS: readonly string[] = [
  'github_identities', 'oidc_identities', 'roles', 'saml_identities', 'traits', 'trusted_device_ids',
];

/** User spec fields the server sets and `tctl get users` prints; accepted on input, never emitted. */
export const USER_SERVER_SET_FIELDS: readonly string[] = ['created_by', 'expires', 'status'];

/** Role options whose Terraform provider type is a number enum, not the YAML string. */
export const TERRAFORM_OPTION_ENUMS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  require_session_mfa: { no: 0, false: 0, yes: 1, true: 1, session: 1, hardware_key: 2, hardware_key_touch: 3, hardware_key_pin: 4, hardware_key_touch_and_pin: 5 },
  create_host_user_mode: { '': 0, off: 1, drop: 2, keep: 3, 'insecure-drop': 4 },
  create_db_user_mode: { '': 0, off: 1, keep: 2, best_effort_drop: 3 },
};
