/**
 * Roles and users as attributes of Teleport's Terraform provider (`teleport_role`, `teleport_user`), checked
 * against the provider's published schema (test/fixtures/terraform/teleport-provider-schema.json). What the
 * provider cannot hold is refused with the field and the fix, never dropped silently.
 */
import type { RoleConditions, RoleResource, UserResource } from '../resources';
import { LABEL_FIELDS, TERRAFORM_OPTION_ENUMS } from './role-fields';
import { teleportBool } from './role-defaults';
import { withoutNulls } from './metadata-rules';

type Obj = Record<string, unknown>;

export class TerraformShapeError extends Error {
  constructor(resource: string, field: string, fix: string) {
    super(`${resource} ${field}: ${fix}`);
    this.name = 'TerraformShapeError';
  }
}

/** Options the provider types as Boolean (BoolOption or plain bool). */
const BOOL_OPTIONS = new Set(['create_db_user', 'create_desktop_user', 'create_host_user', 'desktop_clipboard', 'desktop_directory_sharing', 'disconnect_expired_cert', 'forward_agent', 'permit_x11_forwarding', 'pin_source_ip', 'port_forwarding', 'ssh_file_copy']);
/** types.CertExtensionType / CertExtensionMode: the provider takes the enum numbers. */
const CERT_EXTENSION_TYPE: Readonly<Record<string, number>> = { ssh: 0 };
const CERT_EXTENSION_MODE: Readonly<Record<string, number>> = { extension: 0 };

function labelsAsLists(labels: Record<string, string | string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}

function conditionsToTerraform(c: RoleConditions, at: string, resource: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(c)) {
    if (v === undefined || v === null) continue;
    if (k === 'namespaces') {
      // Namespaces are legacy: Teleport has only "default", which the server fills in; the provider has no attribute.
      const ns = v as string[];
      if (ns.every((n) => n === 'default')) continue;
      throw new TerraformShapeError(resource, `${at}.namespaces`, `${JSON.stringify(ns)} cannot be expressed with Teleport's Terraform provider (it has no namespaces attribute): remove it (Teleport uses "default"), or emit YAML only (terraformProvider false)`);
    }
    out[k] = LABEL_FIELDS.includes(k) && typeof v === 'object' ? labelsAsLists(v as Record<string, string | string[]>) : v;
  }
  return out;
}

function certExtension(e: Obj, i: number, resource: string): Obj {
  const out: Obj = { ...e };
  for (const [key, map] of [['type', CERT_EXTENSION_TYPE], ['mode', CERT_EXTENSION_MODE]] as const) {
    const v = e[key];
    if (v === undefined || typeof v === 'number') continue;
    const n = map[String(v)];
    if (n === undefined) throw new TerraformShapeError(resource, `spec.options.cert_extensions[${i}].${key}`, `${JSON.stringify(v)} is not one of ${Object.keys(map).join(', ')}`);
    out[key] = n;
  }
  return out;
}

function optionsToTerraform(o: Obj, resource: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    const e = TERRAFORM_OPTION_ENUMS[k];
    if (e && (typeof v === 'string' || typeof v === 'boolean') && String(v) in e) out[k] = e[String(v)];
    else if (BOOL_OPTIONS.has(k)) out[k] = teleportBool(v) ?? v;
    else if (k === 'cert_extensions' && Array.isArray(v)) out[k] = v.map((x, i) => certExtension(x as Obj, i, resource));
    else out[k] = v;
  }
  return out;
}

function metadataToTerraform(m: Obj): Obj {
  const out: Obj = { name: m.name };
  for (const k of ['description', 'expires', 'labels']) if (m[k] !== undefined && m[k] !== null) out[k] = m[k];
  return out;
}

/** YAML nulls are absent for Teleport (and would be invalid values for the provider). */
export function roleToTerraform(input: RoleResource): Obj {
  const role = withoutNulls(input);
  const resource = `role/${role.metadata.name}`;
  const spec: Obj = {};
  if (role.spec.options) spec.options = optionsToTerraform(role.spec.options as Obj, resource);
  if (role.spec.allow) spec.allow = conditionsToTerraform(role.spec.allow, 'spec.allow', resource);
  if (role.spec.deny) spec.deny = conditionsToTerraform(role.spec.deny, 'spec.deny', resource);
  return { version: role.version, metadata: metadataToTerraform(role.metadata as unknown as Obj), spec };
}

/** User attributes the repository declares; server-set ones (created_by, expires, status, trusted devices) are not. */
const USER_DECLARED = ['roles', 'traits', 'oidc_identities', 'saml_identities', 'github_identities'];

export function userToTerraform(input: UserResource): Obj {
  const user = withoutNulls(input);
  const spec: Obj = {};
  for (const k of USER_DECLARED) {
    const v = (user.spec as Obj | undefined)?.[k];
    if (v !== undefined && v !== null) spec[k] = v;
  }
  return { version: 'v2', metadata: metadataToTerraform(user.metadata as unknown as Obj), spec };
}
