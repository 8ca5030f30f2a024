/** `kind: access_list` (v1): members get `grants`, owners get `owner_grants` (api/types/accesslist, accesslist.proto). */
import { AccessListResource } from '../access-resources';
import { closed, open, plainTerraform, simpleKind, stringList, traitList } from './simple-kind';

const grants = closed({ roles: stringList, traits: traitList });

export const accessListKind = simpleKind<AccessListResource>({
  kind: 'access_list',
  versions: ['v1'],
  terraformType: 'teleport_access_list',
  spec: () =>
    open({
      title: { type: 'string' },
      description: { type: 'string' },
      owners: { type: 'array', items: open({ name: { type: 'string', minLength: 1 }, description: { type: 'string' } }, ['name']) },
      grants,
      owner_grants: grants,
      membership_requires: grants,
      ownership_requires: grants,
    }),
  rules(l) {
    return (l.spec.owners ?? []).length === 0 ? [{ field: 'spec.owners', message: 'an access list needs at least one owner' }] : [];
  },
  // Teleport's provider wraps metadata in a `header` for RFD 153 resources
  toTerraform: (l) => {
    const { metadata, spec, version } = plainTerraform(l) as { metadata: unknown; spec: unknown; version: string };
    return { header: { version, metadata }, spec };
  },
});
