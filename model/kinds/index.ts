/**
 * Registry of the resource kinds the project models. A new kind is one file in this folder plus one line in
 * KINDS (and KIND_ORDER); drift, review, synthesis and the simulator find it here. The wire conversion is the
 * same again in teleport-client/kinds/ (one file plus one line).
 */
import { TeleportResource } from '../resources';
import { KindModel } from './kind';
import { roleKind } from './role';
import { userKind } from './user';
import { accessListKind } from './access-list';
import { accessListMemberKind } from './access-list-member';
import { accessMonitoringRuleKind } from './access-monitoring-rule';
import { botKind } from './bot';
import { githubKind } from './github';
import { samlKind } from './saml';
import { oidcKind } from './oidc';

export const KINDS: Readonly<Record<string, KindModel>> = {
  role: roleKind as unknown as KindModel,
  user: userKind as unknown as KindModel,
  access_list: accessListKind as unknown as KindModel,
  access_list_member: accessListMemberKind as unknown as KindModel,
  access_monitoring_rule: accessMonitoringRuleKind as unknown as KindModel,
  bot: botKind as unknown as KindModel,
  github: githubKind as unknown as KindModel,
  saml: samlKind as unknown as KindModel,
  oidc: oidcKind as unknown as KindModel,
};

/** Order of kinds in synthesized output: roles before the users that reference them. */
export const KIND_ORDER: readonly string[] = ['role', 'user', 'bot', 'github', 'saml', 'oidc', 'access_list', 'access_list_member', 'access_monitoring_rule'];

export function kindModel(kind: string): KindModel | undefined {
  return Object.prototype.hasOwnProperty.call(KINDS, kind) ? KINDS[kind] : undefined;
}

export function modelFor(r: TeleportResource): KindModel {
  const m = kindModel(r.kind);
  if (!m) throw new Error(`unknown Teleport kind ${JSON.stringify(r.kind)}: known kinds are ${Object.keys(KINDS).join(', ')}`);
  return m;
}

export type { KindModel, Problem } from './kind';
export { SERVER_METADATA_FIELDS, SYSTEM_LABEL_PREFIX, metadataSchema } from './metadata';
export { roleCanonicalValues, roleVersionNumber, roleWithServerDefaults, teleportBool } from './role-defaults';
export { TerraformShapeError } from './terraform-shape';
