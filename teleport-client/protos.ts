/**
 * Loads our subset of Teleport's protos (teleport-client/proto) for @grpc/grpc-js. Shared by the
 * client and the test simulator so both speak exactly the same wire format.
 *
 * Loader options and why:
 *  - keepCase: Teleport's field names are Go-style (Kind, Metadata, RequestReason); without it
 *    protobufjs camelCases them and our objects would no longer match the .proto.
 *  - longs: String. int64 fields are Go durations in nanoseconds (a 14-day max_duration is 1.2e15,
 *    still below 2^53, but nothing stops bigger values) and Timestamp seconds; strings never lose
 *    precision. Encoding accepts numbers or strings.
 *  - enums: String, so states read as 'PENDING' rather than 1.
 *  - defaults: true, so repeated fields decode as [] and maps as {} and scalars as their zero value;
 *    absent messages decode as null (an unset nullable timestamp stays distinguishable).
 *  - oneofs: true adds Event.Resource naming the populated member.
 */
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const PROTO_ROOT = path.join(__dirname, 'proto');
export const AUTH_SERVICE_PROTO = 'teleport/legacy/client/proto/authservice.proto';
export const USERS_SERVICE_PROTO = 'teleport/users/v1/users_service.proto';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

let cached: protoLoader.PackageDefinition | undefined;

export function teleportPackageDefinition(): protoLoader.PackageDefinition {
  cached ??= protoLoader.loadSync([AUTH_SERVICE_PROTO, USERS_SERVICE_PROTO], LOADER_OPTIONS);
  return cached;
}

/** The teleport.users.v1.UsersService client constructor and service definition. */
export function usersServiceDefinition(): grpc.ServiceClientConstructor {
  const pkg = grpc.loadPackageDefinition(teleportPackageDefinition()) as unknown as {
    teleport: { users: { v1: { UsersService: grpc.ServiceClientConstructor } } };
  };
  return pkg.teleport.users.v1.UsersService;
}

/** The proto.AuthService client constructor and service definition. */
export function authServiceDefinition(): grpc.ServiceClientConstructor {
  const pkg = grpc.loadPackageDefinition(teleportPackageDefinition()) as unknown as {
    proto: { AuthService: grpc.ServiceClientConstructor };
  };
  return pkg.proto.AuthService;
}
