/** RoleV6 <-> RoleResource. */
import type { RoleResource, RoleVersion } from '../../model/resources';
import { metadataFromPb, metadataToPb } from './metadata';
import { Pb, compact, obj, str } from './pb';
import { conditionsFromPb, conditionsToPb } from './role-conditions';
import { optionsFromPb, optionsToPb } from './role-options';

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
