// Messages encoded with Teleport 18.0.0's own definitions (../shared/teleport-protos) decode through our subset
// and conversion field by field, and what we send decodes with Teleport's definitions as Teleport expects.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { RoleResource, UserResource } from '../../model';
import { accessRequestFromPb, accessRequestToPb, roleFromPb, roleToPb, userFromPb, type AccessRequest, type Pb } from '../../teleport-client/convert';
import { authServiceDefinition, LOADER_OPTIONS } from '../../teleport-client/protos';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'teleport-protos');
type Svc = grpc.ServiceDefinition;
let real: Svc;
let ours: Svc;

const viaReal = (method: string, side: 'response' | 'request', obj: Pb): Buffer => (side === 'response' ? real[method]!.responseSerialize(obj) : real[method]!.requestSerialize(obj));
const intoOurs = (method: string, side: 'response' | 'request', buf: Buffer): Pb => (side === 'response' ? ours[method]!.responseDeserialize(buf) : ours[method]!.requestDeserialize(buf)) as Pb;
const viaOurs = (method: string, side: 'response' | 'request', obj: Pb): Buffer => (side === 'response' ? ours[method]!.responseSerialize(obj) : ours[method]!.requestSerialize(obj));
const intoReal = (method: string, side: 'response' | 'request', buf: Buffer): Pb => (side === 'response' ? real[method]!.responseDeserialize(buf) : real[method]!.requestDeserialize(buf)) as Pb;

describe('wire compatibility with Teleport 18.0.0 definitions', () => {
  before(() => {
    const def = protoLoader.loadSync('teleport/legacy/client/proto/authservice.proto', { ...LOADER_OPTIONS, includeDirs: [SHARED] });
    real = (grpc.loadPackageDefinition(def) as unknown as { proto: { AuthService: grpc.ServiceClientConstructor } }).proto.AuthService.service;
    ours = authServiceDefinition().service;
  });

  it('a v8 role from a Teleport server (api_group, request kinds, thresholds, durations) reads field by field', () => {
    const server: Pb = {
      Kind: 'role', Version: 'v8', Metadata: { Name: 'kube', Namespace: 'default', Labels: { team: 'k8s' }, Revision: 'r1' },
      Spec: {
        Options: { MaxSessionTTL: String(8 * 3600e9), CertificateFormat: 'standard', BPF: ['command', 'network'], ClientIdleTimeout: String(4 * 86400e9), DesktopClipboard: { Value: false } },
        Allow: {
          Namespaces: ['default'],
          KubernetesLabels: { Values: { env: { Values: ['dev'] } } },
          KubernetesResources: [{ Kind: 'deployments', APIGroup: 'apps', Namespace: 'dev', Name: '*', Verbs: ['get', 'list'] }],
          Request: { Roles: ['dbadmin'], Thresholds: [{ Name: 'two', Filter: '!contains(reviewer.traits.team, "dev")', Approve: 2, Deny: 1 }], MaxDuration: String(7 * 86400e9), kubernetes_resources: [{ kind: 'pods', APIGroup: '' }, { kind: 'deployments', APIGroup: 'apps' }] },
          ReviewRequests: { Roles: ['dev'], Where: 'contains(reviewer.roles, "x")', PreviewAsRoles: ['viewer'] },
        },
        Deny: { Namespaces: ['default'] },
      },
    };
    const role = roleFromPb(intoOurs('GetRole', 'response', viaReal('GetRole', 'response', server)));
    assert.equal(role.version, 'v8');
    assert.deepEqual(role.metadata, { name: 'kube', labels: { team: 'k8s' }, revision: 'r1' });
    assert.equal(role.spec.options?.max_session_ttl, '8h0m0s');
    assert.equal(role.spec.options?.client_idle_timeout, '96h0m0s');
    assert.equal(role.spec.options?.desktop_clipboard, false);
    assert.deepEqual(role.spec.allow?.kubernetes_resources, [{ kind: 'deployments', api_group: 'apps', namespace: 'dev', name: '*', verbs: ['get', 'list'] }]);
    assert.deepEqual(role.spec.allow?.request?.kubernetes_resources, [{ kind: 'pods' }, { kind: 'deployments', api_group: 'apps' }]);
    assert.deepEqual(role.spec.allow?.request?.thresholds, [{ name: 'two', filter: '!contains(reviewer.traits.team, "dev")', approve: 2, deny: 1 }]);
    assert.equal(role.spec.allow?.request?.max_duration, '168h0m0s');
    assert.deepEqual(role.spec.allow?.review_requests, { roles: ['dev'], where: 'contains(reviewer.roles, "x")', preview_as_roles: ['viewer'] });
    assert.deepEqual(role.spec.allow?.kubernetes_labels, { env: 'dev' });
  });

  it('a role we write reaches Teleport with every field at its number (api_group included)', () => {
    const role: RoleResource = {
      kind: 'role', version: 'v8', metadata: { name: 'kube' },
      spec: {
        options: { max_session_ttl: '1h30m', require_session_mfa: true },
        allow: { kubernetes_resources: [{ kind: 'deployments', api_group: 'apps', namespace: '*', name: '*', verbs: ['*'] }], request: { roles: ['a'], kubernetes_resources: [{ kind: 'pods', api_group: '' }], max_duration: '4d' } },
      },
    } as RoleResource;
    const got = intoReal('UpsertRoleV2', 'request', viaOurs('UpsertRoleV2', 'request', { Role: roleToPb(role) })).Role as Pb;
    const spec = got.Spec as Pb;
    const allow = spec.Allow as Pb;
    assert.deepEqual((allow.KubernetesResources as Pb[])[0], { Kind: 'deployments', APIGroup: 'apps', Namespace: '*', Name: '*', Verbs: ['*'] });
    assert.equal((spec.Options as Pb).MaxSessionTTL, String(90 * 60e9));
    assert.equal((spec.Options as Pb).RequireMFAType, 'SESSION');
    const req = allow.Request as Pb;
    assert.equal(req.MaxDuration, String(4 * 86400e9));
    assert.deepEqual(req.kubernetes_resources, [{ kind: 'pods', APIGroup: '' }]);
    assert.equal((got.Metadata as Pb).Name, 'kube');
  });

  it('a user from a Teleport server reads roles, traits, identities', () => {
    const server: Pb = { Kind: 'user', Version: 'v2', Metadata: { Name: 'alice', Namespace: 'default', Description: 'on call' }, Spec: { Roles: ['devops'], Traits: { Values: { logins: { Values: ['alice'] } } }, OIDCIdentities: [{ ConnectorID: 'okta', Username: 'alice@example.com' }] } };
    const user: UserResource = userFromPb(intoOurs('GetUser', 'response', viaReal('GetUser', 'response', server)));
    assert.deepEqual(user, { kind: 'user', version: 'v2', metadata: { name: 'alice', description: 'on call' }, spec: { roles: ['devops'], traits: { logins: ['alice'] }, oidc_identities: [{ connector_id: 'okta', username: 'alice@example.com' }] } });
  });

  it('a resource access request carries its RequestedResourceIDs (14) both ways', () => {
    const server: Pb = {
      Kind: 'access_request', Version: 'v3', Metadata: { Name: 'req-1', Namespace: 'default' },
      Spec: { User: 'bob', Roles: ['node-access'], State: 'PENDING', RequestedResourceIDs: [{ ClusterName: 'prod', Kind: 'node', Name: 'db-1', SubResourceName: '' }, { ClusterName: 'prod', Kind: 'kube_cluster', Name: 'k1', SubResourceName: 'default/web' }] },
    };
    const req: AccessRequest = accessRequestFromPb(intoOurs('CreateAccessRequestV2', 'response', viaReal('CreateAccessRequestV2', 'response', server)));
    assert.deepEqual(req.requested_resource_ids, [{ cluster: 'prod', kind: 'node', name: 'db-1' }, { cluster: 'prod', kind: 'kube_cluster', name: 'k1', sub_resource: 'default/web' }]);
    assert.deepEqual(req.resources, ['/prod/node/db-1', '/prod/kube_cluster/k1/default/web']);
    const back = intoReal('CreateAccessRequestV2', 'request', viaOurs('CreateAccessRequestV2', 'request', accessRequestToPb(req)));
    assert.deepEqual((back.Spec as Pb).RequestedResourceIDs, (server.Spec as Pb).RequestedResourceIDs);
  });
});
