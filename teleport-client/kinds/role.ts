/** kind role over gRPC: RoleV6, listed with GetRoles. */
import type { RoleResource } from '../../model/resources';
import { roleFromPb, roleToPb } from '../convert';
import { pbList } from '../convert/pb';
import { KindWire } from './kind';

export const roleWire: KindWire<RoleResource> = {
  kind: 'role',
  fromPb: roleFromPb,
  toPb: roleToPb,
  listMethods: ['GetRoles'],
  async list(rpc) {
    const res = await rpc.unary('GetRoles', {});
    return pbList<unknown>(res.Roles).map(roleFromPb);
  },
};
