import type { TeleportResource } from '../../model/resources';
import type { Pb } from '../convert';

/** The calls a kind's listing needs; TeleportClient provides them. */
export interface Rpc {
  /** `service` 'users' is teleport.users.v1.UsersService; default proto.AuthService. */
  unary(method: string, req: Pb, service?: 'auth' | 'users'): Promise<Pb>;
  serverStream(method: string, req: Pb): Promise<Pb[]>;
}

/**
 * How one Teleport resource kind travels over gRPC: its proto conversion both ways and how to list every
 * resource of the kind. A new kind is one file like ./role.ts plus one line in ./index.ts; the client, drift's
 * live listing and the simulator find it there.
 */
export interface KindWire<R extends TeleportResource = TeleportResource> {
  kind: R['kind'];
  fromPb(pb: unknown): R;
  toPb(resource: R): Pb;
  /** Every resource of the kind, with as many calls as the server needs (pages). */
  list(rpc: Rpc): Promise<R[]>;
  /** The RPC methods list() may call, for error messages and the version table. */
  listMethods: readonly string[];
}
