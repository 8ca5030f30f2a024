/**
 * Conversion between Teleport's proto message objects (as @grpc/proto-loader decodes them with
 * teleport-client/protos.ts options) and this project's types, one file per kind: RoleV6 <-> RoleResource,
 * UserV2 <-> UserResource (model/resources.ts, Teleport YAML field names), AccessRequestV3 <->
 * AccessRequest and PluginDataV3 <-> PluginDataItem.
 *
 * Proto -> model is sparse: zero values (false, "", 0, empty lists and maps, Go-zero times) are
 * omitted, except BoolValue options, whose presence is meaningful (desktop_clipboard: false).
 * Durations come back in Go's String() form ("30h0m0s"), as `tctl get` prints them.
 * Model -> proto throws a TypeError naming the field when a value cannot be represented (an unknown
 * condition or option field, a malformed duration): silently dropping policy would be worse.
 */
export type { Pb } from './pb';
export { metadataFromPb, metadataToPb } from './metadata';
export { conditionsFromPb, conditionsToPb } from './role-conditions';
export { optionsFromPb, optionsToPb } from './role-options';
export { roleFromPb, roleToPb } from './role';
export { userFromPb, userToPb } from './user';
export { accessRequestFromPb, accessRequestToPb, resourceIdToString, reviewToPb } from './access-request';
export type { AccessRequest, AccessReviewRecord, RequestedResourceId, RequestStateName } from './access-request';
export { pluginDataFromPb, pluginDataToPb } from './plugin-data';
export type { PluginDataItem } from './plugin-data';
