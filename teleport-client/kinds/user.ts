/**
 * kind user over gRPC: UserV2. Listed with teleport.users.v1.UsersService/ListUsers (paginated); the deprecated
 * proto.AuthService/GetUsers stream only when a server answers UNIMPLEMENTED (model/teleport-versions.ts).
 */
import type { UserResource } from '../../model/resources';
import { userFromPb, userToPb } from '../convert';
import { pbList } from '../convert/pb';
import { KindWire } from './kind';
import { allPages, PAGE_SIZE, withFallback } from './paging';

export const userWire: KindWire<UserResource> = {
  kind: 'user',
  fromPb: userFromPb,
  toPb: userToPb,
  listMethods: ['UsersService/ListUsers', 'GetUsers'],
  list(rpc) {
    return withFallback(
      () =>
        allPages('ListUsers', async (token) => {
          const res = await rpc.unary('ListUsers', { page_size: PAGE_SIZE, page_token: token, with_secrets: false }, 'users');
          return { items: pbList<unknown>(res.users).map(userFromPb), next: String(res.next_page_token ?? '') };
        }),
      async () => (await rpc.serverStream('GetUsers', { WithSecrets: false })).map(userFromPb),
    );
  },
};
