/**
 * The Teleport majors this project supports, and what differs between them for us: the one table behind the
 * README's "Supported Teleport versions", the simulator (a method a major removed answers UNIMPLEMENTED) and the
 * client's fallbacks.
 *
 * Which majors: the guide's 15.4, and those Teleport supports today (the current major and the two before it:
 * 18 is current, api/version.go "18.0.0"..., so 16, 17, 18).
 * Sources: api/types/role.go (setStaticFields: v8 default from 18), gravitational/teleport#47984 (GetRoles
 * removed in 17.0, backport #48002), api/proto/teleport/users/v1/users_service.proto (UsersService, in every
 * supported major), the Terraform provider's docs (version `~> <major>.0` from terraform.releases.teleport.dev).
 */
import { RoleVersion, ROLE_VERSIONS } from './resources';
import { newestRoleVersion, roleVersionSupported } from './versions';

/** gRPC methods the project calls, by full path. */
export const AUTH = '/proto.AuthService/';
export const USERS = '/teleport.users.v1.UsersService/';
export const ACCESS_MONITORING_RULES = '/teleport.accessmonitoringrules.v1.AccessMonitoringRulesService/';

interface MethodSpan {
  method: string;
  /** First major that serves it (undefined: every supported major). */
  since?: number;
  /** First major that no longer serves it (answers UNIMPLEMENTED). */
  removedIn?: number;
  /** Why we call it and what we fall back to. */
  note: string;
}

/** Methods whose presence depends on the major; all other AuthService methods we call exist in every supported major. */
export const METHOD_SPANS: readonly MethodSpan[] = [
  { method: `${AUTH}GetRoles`, removedIn: 17, note: 'fallback when ListRoles is UNIMPLEMENTED' },
  { method: `${AUTH}ListRoles`, note: 'roles, paginated (Limit/StartKey/NextKey)' },
  { method: `${USERS}ListUsers`, note: 'users, paginated (page_size/page_token); the AuthService user RPCs are deprecated' },
  { method: `${AUTH}GetUsers`, note: 'deprecated stream; fallback when UsersService is UNIMPLEMENTED' },
];

/** Every method the client, relay and drift call (besides the spans above), for the README table. */
export const COMMON_METHODS: readonly string[] = [
  'Ping', 'WatchEvents', 'GetAccessRequestsV2', 'ListAccessRequests', 'CreateAccessRequestV2', 'SetAccessRequestState', 'SubmitAccessReview',
  'GetPluginData', 'UpdatePluginData', 'GetRole', 'UpsertRoleV2', 'GetUser',
].map((m) => `${AUTH}${m}`).concat([`${ACCESS_MONITORING_RULES}ListAccessMonitoringRulesWithFilter`]);

export interface SupportedTeleport {
  major: number;
  /** Example release used by the tests and the simulator. */
  release: string;
  roleVersions: readonly RoleVersion[];
  defaultRoleVersion: RoleVersion;
  methods: readonly string[];
  /** `required_providers` constraint of Teleport's Terraform provider for this major. */
  terraformProvider: string;
}

export const SUPPORTED_MAJORS: readonly number[] = [15, 16, 17, 18];
const RELEASE: Readonly<Record<number, string>> = { 15: '15.4.0', 16: '16.5.0', 17: '17.5.0', 18: '18.0.0' };

export function methodServed(method: string, major: number): boolean {
  const span = METHOD_SPANS.find((s) => s.method === method);
  if (!span) return true;
  return (span.since === undefined || major >= span.since) && (span.removedIn === undefined || major < span.removedIn);
}

export function supportedTeleport(major: number): SupportedTeleport {
  if (!SUPPORTED_MAJORS.includes(major)) throw new Error(`Teleport ${major} is not a supported major: supported are ${SUPPORTED_MAJORS.join(', ')}`);
  const v = { major, minor: 0 };
  return {
    major,
    release: RELEASE[major]!,
    roleVersions: ROLE_VERSIONS.filter((rv) => roleVersionSupported(rv, v)),
    defaultRoleVersion: newestRoleVersion(v),
    methods: [...COMMON_METHODS, ...METHOD_SPANS.filter((s) => methodServed(s.method, major)).map((s) => s.method)],
    terraformProvider: `~> ${major}.0`,
  };
}

export const SUPPORTED_TELEPORT: readonly SupportedTeleport[] = SUPPORTED_MAJORS.map(supportedTeleport);
