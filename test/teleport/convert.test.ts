import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoleResource, UserResource } from '../../model/resources';
import {
  type AccessRequest,
  accessRequestFromPb,
  accessRequestToPb,
  pluginDataFromPb,
  pluginDataToPb,
  roleFromPb,
  roleToPb,
  userFromPb,
  userToPb,
} from '../../teleport-client/convert';
import { authServiceDefinition } from '../../teleport-client/protos';
import { timestampToIso } from '../../teleport-client/values';
import { formatDuration, parseDuration } from '../../model/duration';

/** Sends a message through the real protobuf encoder and decoder (GetRole returns a RoleV6). */
function wire(method: 'GetRole' | 'GetCurrentUser' | 'SubmitAccessReview', msg: Record<string, unknown>): Record<string, unknown> {
  const d = authServiceDefinition().service[method];
  return d.responseDeserialize(d.responseSerialize(msg)) as Record<string, unknown>;
}

const role: RoleResource = {
  kind: 'role',
  version: 'v7',
  metadata: { name: 'prod-reviewer', description: 'reviews prod', labels: { team: 'sre' }, expires: '2030-01-02T03:04:05Z' },
  spec: {
    options: {
      max_session_ttl: '8h0m0s',
      forward_agent: true,
      request_access: 'reason',
      request_prompt: 'ticket?',
      client_idle_timeout: '15m0s',
      desktop_clipboard: false,
      record_session: { desktop: false, default: 'strict' },
      require_session_mfa: 'hardware_key_touch',
      create_host_user_mode: 'insecure-drop',
      mfa_verification_interval: '1h30m0s',
      enhanced_recording: ['command'],
      max_connections: 3,
      ssh_port_forwarding: { local: { enabled: true }, remote: { enabled: false } },
      idp: { saml: { enabled: false } },
    },
    allow: {
      logins: ['root'],
      node_labels: { env: 'prod', region: ['eu', 'us'] },
      db_labels: { '*': '*' },
      kubernetes_groups: ['viewers'],
      rules: [{ resources: ['access_request'], verbs: ['list', 'read'], where: 'contains(user.spec.traits["team"], "sre")' }],
      request: {
        roles: ['prod-access', '^db-.*$'],
        thresholds: [{ name: 'two', filter: 'contains(reviewer.roles, "lead")', approve: 2, deny: 1 }],
        suggested_reviewers: ['bob'],
        annotations: { ticket: ['required'] },
        max_duration: '168h0m0s',
      },
      review_requests: { roles: ['prod-access'], where: 'contains(reviewer.traits["team"], "sre")' },
      impersonate: { users: ['access-plugin'], roles: ['access-plugin'] },
      kubernetes_resources: [{ kind: 'pod', namespace: '*', name: '*', verbs: ['get'] }],
      namespaces: ['default'],
    },
    deny: { logins: ['guest'], request: { roles: ['admin'] } },
  },
};

describe('role conversion', () => {
  it('round-trips a role through RoleV6 and the protobuf wire', () => {
    const back = roleFromPb(wire('GetRole', roleToPb(role)));
    assert.deepEqual(back, role);
  });

  it('uses Teleport’s wire encodings: LabelValues, int64 nanoseconds, BoolValue, enums', () => {
    const pb = roleToPb(role) as { Metadata: Record<string, unknown>; Spec: { Options: Record<string, unknown>; Allow: Record<string, unknown> } };
    assert.equal(pb.Metadata.Namespace, 'default');
    assert.equal(pb.Spec.Options.MaxSessionTTL, '28800000000000');
    assert.deepEqual(pb.Spec.Options.DesktopClipboard, { Value: false });
    assert.equal(pb.Spec.Options.RequireMFAType, 'HARDWARE_KEY_TOUCH');
    assert.equal(pb.Spec.Options.CreateHostUserMode, 'HOST_USER_MODE_INSECURE_DROP');
    assert.deepEqual(pb.Spec.Options.MFAVerificationInterval, { seconds: '5400', nanos: 0 });
    assert.deepEqual(pb.Spec.Allow.NodeLabels, { Values: { env: { Values: ['prod'] }, region: { Values: ['eu', 'us'] } } });
    assert.equal((pb.Spec.Allow.Request as Record<string, unknown>).MaxDuration, String(168n * 3600n * 1_000_000_000n));
    assert.deepEqual(pb.Spec.Allow.KubeGroups, ['viewers']);
    assert.deepEqual(pb.Spec.Allow.DatabaseLabels, { Values: { '*': { Values: ['*'] } } });
  });

  it('leaves out zero values when reading, except explicit BoolValue options', () => {
    const sparse = roleFromPb(wire('GetRole', { Kind: 'role', Version: 'v8', Metadata: { Name: 'x' }, Spec: { Options: { DesktopClipboard: { Value: false } }, Allow: {}, Deny: {} } }));
    assert.deepEqual(sparse, { kind: 'role', version: 'v8', metadata: { name: 'x' }, spec: { options: { desktop_clipboard: false } } });
  });

  it('refuses fields it cannot carry instead of dropping them', () => {
    const bad = { ...role, spec: { allow: { kubernetes_group: ['typo'] } } } as RoleResource;
    assert.throws(() => roleToPb(bad), /role "prod-reviewer": spec\.allow\.kubernetes_group is not a role condition field/);
    assert.throws(() => roleToPb({ ...role, spec: { options: { max_session_ttl: 'eight hours' } } }), /not a duration/);
    assert.throws(() => roleToPb({ ...role, spec: { options: { require_session_mfa: 'sometimes' } } }), /require_session_mfa: unknown value/);
  });
});

describe('user conversion', () => {
  it('round-trips a user through UserV2 and the wire', () => {
    const user: UserResource = {
      kind: 'user',
      version: 'v2',
      metadata: { name: 'alice@example.com', labels: { dept: 'eng' }, revision: 'r1' },
      spec: {
        roles: ['dev', 'reviewer'],
        traits: { logins: ['alice', 'root'], team: ['sre'] },
        github_identities: [{ connector_id: 'github', username: 'alice' }],
        created_by: { time: '2025-01-01T00:00:00Z', user: { name: 'admin' } },
      },
    };
    assert.deepEqual(userFromPb(wire('GetCurrentUser', userToPb(user))), user);
  });

  it('treats Go’s zero time as unset', () => {
    const u = userFromPb(wire('GetCurrentUser', { Kind: 'user', Version: 'v2', Metadata: { Name: 'bob' }, Spec: { Roles: ['dev'], Expires: { seconds: '-62135596800', nanos: 0 } } }));
    assert.deepEqual(u.spec, { roles: ['dev'] });
    assert.equal(timestampToIso({ seconds: '-62135596800', nanos: 0 }), undefined);
    assert.equal(timestampToIso({ seconds: '0', nanos: 0 }), '1970-01-01T00:00:00Z');
  });
});

describe('access request conversion', () => {
  const req: AccessRequest = {
    id: '0f2a4c3e-1111-4222-8333-944455556666',
    user: 'alice',
    roles: ['prod-access'],
    state: 'APPROVED',
    reason: 'hotfix',
    resolve_reason: 'ok',
    created: '2026-01-01T10:00:00Z',
    expires: '2026-01-01T18:00:00Z',
    request_expires: '2026-01-01T18:00:00Z',
    max_duration: '2026-01-01T18:00:00Z',
    session_ttl: '2026-01-01T18:00:00Z',
    thresholds: [{ name: 'two', approve: 2, deny: 1 }, { approve: 1, deny: 1, filter: 'contains(reviewer.roles, "lead")' }],
    role_threshold_mapping: { 'prod-access': { sets: [{ indexes: [0, 1] }, { indexes: [1] }] } },
    reviews: [
      { author: 'bob', state: 'APPROVED', reason: 'fine', created: '2026-01-01T10:05:00Z', threshold_indexes: [0] },
      { author: 'carol', state: 'APPROVED', created: '2026-01-01T10:06:00Z', threshold_indexes: [0, 1] },
    ],
    suggested_reviewers: ['bob'],
    system_annotations: { ticket: ['required'] },
    resolve_annotations: {},
    revision: 'rev-1',
  };

  it('round-trips through AccessRequestV3 and the wire', () => {
    assert.deepEqual(accessRequestFromPb(wire('SubmitAccessReview', accessRequestToPb(req))), req);
  });

  it('omits unset times rather than sending 1970', () => {
    const minimal: AccessRequest = { ...req, created: undefined, expires: undefined, max_duration: undefined, session_ttl: undefined, request_expires: undefined };
    const spec = (accessRequestToPb(minimal) as { Spec: Record<string, unknown> }).Spec;
    assert.equal('Created' in spec || 'Expires' in spec || 'MaxDuration' in spec || 'SessionTTL' in spec, false);
  });

  it('round-trips plugin data', () => {
    const item = { kind: 'access_request', resource: req.id, entries: { mattermost: { messages: 'c/p', reviews_count: '2' } } };
    assert.deepEqual(pluginDataFromPb(pluginDataToPb(item)), item);
  });
});

describe('Go durations', () => {
  it('formats like time.Duration.String()', () => {
    const cases: [string, string][] = [
      ['30h', '30h0m0s'],
      ['90s', '1m30s'],
      ['1.5s', '1.5s'],
      ['250ms', '250ms'],
      ['1500us', '1.5ms'],
      ['7d', '168h0m0s'],
      ['0', '0s'],
      ['-2m', '-2m0s'],
      ['1h0m0.5s', '1h0m0.5s'],
    ];
    for (const [input, text] of cases) assert.equal(formatDuration(parseDuration(input)), text, input);
    assert.throws(() => parseDuration('5 minutes'), /not a duration/);
  });
});
