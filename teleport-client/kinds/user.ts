/** kind user over gRPC: UserV2, listed with the GetUsers stream. */
import type { UserResource } from '../../model/resources';
import { userFromPb, userToPb } from '../convert';
import { KindWire } from './kind';

export const userWire: KindWire<UserResource> = {
  kind: 'user',
  fromPb: userFromPb,
  toPb: userToPb,
  listMethods: ['GetUsers'],
  async list(rpc) {
    return (await rpc.serverStream('GetUsers', { WithSecrets: false })).map(userFromPb);
  },
};
