/**
 * kind role over gRPC: RoleV6. Listed with the paginated ListRoles; GetRoles (removed in Teleport 17, see
 * model/teleport-versions.ts) only when a server answers UNIMPLEMENTED to ListRoles.
 */
import type { RoleResource } from '../../model/resources';
import { roleFromPb, roleToPb } from '../convert';
import { pbList } from '../convert/pb';
import { KindWire } from './kind';
import { allPages, PAGE_SIZE, withFallback } from './paging';

export const roleWire: KindWire<RoleResource> = {
  kind: 'role',
  fromPb: roleFromPb,
  toPb: roleToPb,
  listMethods: ['ListRoles', 'GetRoles'],
  list(rpc) {
    return withFallback(
      () =>
        allPages('ListRoles', async (token) => {
          const res = await rpc.unary('ListRoles', { Limit: PAGE_SIZE, StartKey: token });
          return { items: pbList<unknown>(res.Roles).map(roleFromPb), next: String(res.NextKey ?? '') };
        }),
      async () => pbList<unknown>((await rpc.unary('GetRoles', {})).Roles).map(roleFromPb),
    );
  },
};
