/** `kind: access_list_member` (v1): one member of an access list (a user, or a nested list). */
import { AccessListMemberResource } from '../access-resources';
import { open, simpleKind } from './simple-kind';

export const accessListMemberKind = simpleKind<AccessListMemberResource>({
  kind: 'access_list_member',
  versions: ['v1'],
  terraformType: 'teleport_access_list_member',
  spec: () =>
    open(
      {
        access_list: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        membership_kind: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        expires: { type: 'string' },
        reason: { type: 'string' },
      },
      ['access_list', 'name'],
    ),
  toTerraform: (m) => ({ header: { version: m.version, metadata: { name: m.metadata.name } }, spec: m.spec }),
});
