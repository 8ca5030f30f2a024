/**
 * Field numbers of our proto subset, checked against the values read in Teleport's published
 * protos (types.proto @ 0003e544, authservice.proto @ 2018be14, event.proto @ 04c6341c,
 * wrappers.proto @ 1c3b459e). A wrong number would silently corrupt the wire, so every field we
 * rely on is pinned here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authServiceDefinition, teleportPackageDefinition } from '../../teleport-client/protos';

interface FieldDesc {
  name: string;
  number: number;
  type: string;
  typeName: string;
  label: string;
}

function fields(message: string): Map<string, FieldDesc> {
  const def = teleportPackageDefinition()[message] as unknown as { type?: { field: FieldDesc[] } };
  assert.ok(def?.type, `message ${message} is defined`);
  return new Map(def.type.field.map((f) => [f.name, f]));
}

const EXPECTED: Record<string, Record<string, number>> = {
  'types.Metadata': { Name: 1, Namespace: 2, Description: 3, Labels: 5, Expires: 6, Revision: 8 },
  'types.ResourceHeader': { Kind: 1, SubKind: 2, Version: 3, Metadata: 4 },
  'types.AccessRequestV3': { Kind: 1, SubKind: 2, Version: 3, Metadata: 4, Spec: 5 },
  'types.AccessRequestSpecV3': {
    User: 1, Roles: 2, State: 3, Created: 4, Expires: 5, RequestReason: 6, ResolveReason: 7, ResolveAnnotations: 8,
    SystemAnnotations: 9, Thresholds: 10, RoleThresholdMapping: 11, Reviews: 12, SuggestedReviewers: 13,
    RequestedResourceIDs: 14, LoginHint: 15, DryRun: 16, MaxDuration: 17, SessionTTL: 18, accessList: 20,
    AssumeStartTime: 21, ResourceExpiry: 22,
  },
  'types.AccessReview': { Author: 1, Roles: 2, ProposedState: 3, Reason: 4, Created: 5, Annotations: 6, ThresholdIndexes: 7, accessList: 9, AssumeStartTime: 10 },
  'types.AccessReviewThreshold': { Name: 1, Filter: 2, Approve: 3, Deny: 4 },
  'types.AccessReviewSubmission': { RequestID: 1, Review: 2 },
  'types.ThresholdIndexSet': { Indexes: 1 },
  'types.ThresholdIndexSets': { Sets: 1 },
  'types.AccessRequestFilter': { ID: 1, User: 2, State: 3, SearchKeywords: 4, Scope: 5, Requester: 6 },
  'types.PluginDataV3': { Kind: 1, SubKind: 2, Version: 3, Metadata: 4, Spec: 5 },
  'types.PluginDataSpecV3': { Entries: 1 },
  'types.PluginDataEntry': { Data: 1 },
  'types.PluginDataFilter': { Kind: 1, Resource: 2, Plugin: 3 },
  'types.PluginDataUpdateParams': { Kind: 1, Resource: 2, Plugin: 3, Set: 4, Expect: 5 },
  'types.RoleV6': { Kind: 1, SubKind: 2, Version: 3, Metadata: 4, Spec: 5 },
  'types.RoleSpecV6': { Options: 1, Allow: 2, Deny: 3 },
  'types.RoleOptions': {
    ForwardAgent: 1, MaxSessionTTL: 2, PortForwarding: 3, CertificateFormat: 4, ClientIdleTimeout: 5, DisconnectExpiredCert: 6,
    BPF: 7, PermitX11Forwarding: 8, MaxConnections: 9, MaxSessions: 10, RequestAccess: 11, RequestPrompt: 12, Lock: 14,
    RecordSession: 15, DesktopClipboard: 16, CertExtensions: 17, MaxKubernetesConnections: 18, DesktopDirectorySharing: 19,
    CreateHostUser: 20, PinSourceIP: 21, SSHFileCopy: 22, RequireMFAType: 23, DeviceTrustMode: 24, IDP: 25,
    CreateDesktopUser: 26, CreateDatabaseUser: 27, CreateHostUserMode: 28, CreateDatabaseUserMode: 29,
    MFAVerificationInterval: 30, CreateHostUserDefaultShell: 31, SSHPortForwarding: 32,
  },
  'types.RoleConditions': {
    Logins: 1, Namespaces: 2, NodeLabels: 3, Rules: 4, KubeGroups: 5, Request: 6, KubeUsers: 7, AppLabels: 8, ClusterLabels: 9,
    KubernetesLabels: 10, DatabaseLabels: 11, DatabaseNames: 12, DatabaseUsers: 13, Impersonate: 14, ReviewRequests: 15,
    AWSRoleARNs: 16, WindowsDesktopLogins: 17, WindowsDesktopLabels: 18, RequireSessionJoin: 19, JoinSessions: 20,
    HostGroups: 21, HostSudoers: 22, AzureIdentities: 23, KubernetesResources: 24, GCPServiceAccounts: 25,
    DatabaseServiceLabels: 26, GroupLabels: 27, DesktopGroups: 28, DatabaseRoles: 29, NodeLabelsExpression: 30,
    AppLabelsExpression: 31, ClusterLabelsExpression: 32, KubernetesLabelsExpression: 33, DatabaseLabelsExpression: 34,
    DatabaseServiceLabelsExpression: 35, WindowsDesktopLabelsExpression: 36, GroupLabelsExpression: 37,
    DatabasePermissions: 38, SPIFFE: 39, AccountAssignments: 42, git_hub_permissions: 43, WorkloadIdentityLabels: 44,
    WorkloadIdentityLabelsExpression: 45,
  },
  'types.AccessRequestConditions': { Roles: 1, ClaimsToRoles: 2, Annotations: 3, Thresholds: 4, SuggestedReviewers: 5, SearchAsRoles: 6, MaxDuration: 7, kubernetes_resources: 8, Reason: 9 },
  'types.AccessReviewConditions': { Roles: 1, ClaimsToRoles: 2, Where: 3, PreviewAsRoles: 4 },
  'types.ImpersonateConditions': { Users: 1, Roles: 2, Where: 3 },
  'types.Rule': { Resources: 1, Verbs: 2, Where: 3, Actions: 4 },
  'types.ClaimMapping': { Claim: 1, Value: 2, Roles: 3 },
  'types.BoolValue': { Value: 1 },
  'types.RecordSession': { Desktop: 1, Default: 2, SSH: 3 },
  'types.IdPOptions': { SAML: 1 },
  'types.IdPSAMLOptions': { Enabled: 1 },
  'types.UserV2': { Kind: 1, SubKind: 2, Version: 3, Metadata: 4, Spec: 5, Status: 6 },
  'types.UserSpecV2': { OIDCIdentities: 1, SAMLIdentities: 2, GithubIdentities: 3, Roles: 4, Traits: 5, Status: 6, Expires: 7, CreatedBy: 8, TrustedDeviceIDs: 10 },
  'types.WatchKind': { Kind: 1, LoadSecrets: 2, Name: 3, Filter: 4, SubKind: 5, Version: 6 },
  'types.WatchStatusV1': { Kind: 1, SubKind: 2, Version: 3, Metadata: 4, Spec: 5 },
  'types.WatchStatusSpecV1': { Kinds: 1 },
  'wrappers.LabelValues': { Values: 1 },
  'wrappers.StringValues': { Values: 1 },
  'proto.Event': { Type: 1, ResourceHeader: 2, User: 8, Role: 9, AccessRequest: 14, WatchStatus: 43 },
  'proto.Watch': { Kinds: 1, AllowPartialSuccess: 2 },
  'proto.PingResponse': { ClusterName: 1, ServerVersion: 2, ProxyPublicAddr: 4, IsBoring: 5, RemoteAddr: 7, LoadAllCAs: 8 },
  'proto.RequestStateSetter': { ID: 1, State: 2, Delegator: 3, Reason: 4, Annotations: 5, Roles: 6, AssumeStartTime: 7 },
  'proto.RequestID': { ID: 1 },
  'proto.PluginDataSeq': { PluginData: 1 },
  'proto.GetRoleRequest': { Name: 1 },
  'proto.GetRolesResponse': { Roles: 1 },
  'proto.UpsertRoleRequest': { Role: 1 },
  'proto.CreateRoleRequest': { Role: 1 },
  'proto.DeleteRoleRequest': { Name: 1 },
  'proto.GetUserRequest': { Name: 1, WithSecrets: 2 },
  'proto.GetUsersRequest': { WithSecrets: 1 },
};

describe('proto subset', () => {
  for (const [message, expected] of Object.entries(EXPECTED)) {
    it(`${message} field numbers match Teleport's`, () => {
      const f = fields(message);
      for (const [name, number] of Object.entries(expected)) {
        assert.equal(f.get(name)?.number, number, `${message}.${name}`);
      }
    });
  }

  it('encodes gogoproto custom types as Teleport sends them', () => {
    const conditions = fields('types.RoleConditions');
    assert.equal(conditions.get('NodeLabels')?.typeName, 'wrappers.LabelValues');
    assert.equal(fields('types.UserSpecV2').get('Traits')?.typeName, 'wrappers.LabelValues');
    assert.equal(fields('types.RoleOptions').get('MaxSessionTTL')?.type, 'TYPE_INT64', 'Duration casttype is int64 nanoseconds');
    assert.equal(fields('types.AccessRequestConditions').get('MaxDuration')?.type, 'TYPE_INT64');
    assert.equal(fields('types.AccessRequestSpecV3').get('MaxDuration')?.typeName, 'google.protobuf.Timestamp', 'a request’s MaxDuration is an absolute time');
    assert.equal(fields('types.RoleOptions').get('MFAVerificationInterval')?.typeName, 'google.protobuf.Duration');
    assert.equal(fields('types.RoleOptions').get('DesktopClipboard')?.typeName, 'BoolValue');
    assert.equal(fields('types.AccessReview').get('ThresholdIndexes')?.type, 'TYPE_UINT32');
  });

  it('serves proto.AuthService with the RPC shapes of the Go client', () => {
    const svc = authServiceDefinition().service;
    const shape = (m: string) => {
      const d = svc[m];
      assert.ok(d, `AuthService/${m}`);
      return [d.path, d.requestStream, d.responseStream];
    };
    assert.deepEqual(shape('Ping'), ['/proto.AuthService/Ping', false, false]);
    assert.deepEqual(shape('WatchEvents'), ['/proto.AuthService/WatchEvents', false, true]);
    assert.deepEqual(shape('GetAccessRequestsV2'), ['/proto.AuthService/GetAccessRequestsV2', false, true]);
    assert.deepEqual(shape('GetUsers'), ['/proto.AuthService/GetUsers', false, true]);
    for (const m of ['CreateAccessRequestV2', 'DeleteAccessRequest', 'SetAccessRequestState', 'SubmitAccessReview', 'GetPluginData', 'UpdatePluginData', 'GetRole', 'GetRoles', 'CreateRole', 'UpdateRole', 'UpsertRoleV2', 'DeleteRole', 'GetUser']) {
      assert.deepEqual(shape(m), [`/proto.AuthService/${m}`, false, false]);
    }
  });

  it('round-trips an Event oneof through the wire encoding', () => {
    const event = authServiceDefinition().service.WatchEvents;
    const bytes = event.responseSerialize({ Type: 'PUT', AccessRequest: { Kind: 'access_request', Version: 'v3', Metadata: { Name: 'r1' }, Spec: { User: 'alice', State: 'PENDING' } } });
    const back = event.responseDeserialize(bytes) as { Type: string; Resource: string; AccessRequest: { Spec: { State: string; User: string } } };
    assert.equal(back.Type, 'PUT');
    assert.equal(back.Resource, 'AccessRequest');
    assert.equal(back.AccessRequest.Spec.State, 'PENDING');
    // Field 14 (AccessRequest), wire type 2: tag byte 0x72 right after Type (field 1 = 1 -> 0x08 0x01).
    assert.deepEqual([...bytes.subarray(0, 3)], [0x08, 0x01, 0x72]);
  });
});
