/** What counts as the same resource: defaults, order, server metadata, scalar vs list, durations. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RoleResource, TeleportResource, UserResource } from '../../model';
import { normalizeResource } from '../../drift/normalize';
import { canonicalDuration, formatDurationMs } from '../../model';
import { compareResource } from '../../drift/teleport';
import { applyRoleServerDefaults } from '../../simulators/teleport';
import { role, user } from './helpers';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const paths = (a: TeleportResource, b: TeleportResource) => compareResource(a, b)?.changes.map((c) => c.path) ?? [];
const same = (a: TeleportResource, b: TeleportResource) => assert.deepEqual(compareResource(a, b), undefined);

describe('normalisation: not drift', () => {
  test('server defaults per role version (v5, v7 with kube labels, v8 without SAML IdP)', () => {
    for (const r of [
      role('a', { allow: { logins: ['x'] } }, 'v5'),
      role('b', { allow: { kubernetes_labels: { env: 'dev' } } }, 'v7'),
      role('c', { allow: { rules: [{ resources: ['event'], verbs: ['list'] }] } }, 'v8'),
      role('d', { allow: { kubernetes_labels: { '*': '*' }, kubernetes_resources: [{ kind: 'pod', namespace: 'x', name: '*' }] } }, 'v6'),
    ]) {
      same(r, applyRoleServerDefaults(r));
    }
  });

  test('tctl-printed role: every default, unset plain booleans as false, port_forwarding, system label', () => {
    const desired = role('r', { allow: { logins: ['root'] } }, 'v7');
    const live = {
      kind: 'role',
      version: 'v7',
      metadata: { name: 'r', revision: '2a7e', id: 17, namespace: 'default', labels: { 'teleport.dev/origin': 'dynamic' } },
      spec: {
        allow: { logins: ['root'], namespaces: ['default'] },
        deny: {},
        options: {
          cert_format: 'standard',
          create_db_user: false,
          create_desktop_user: false,
          desktop_clipboard: true,
          desktop_directory_sharing: true,
          enhanced_recording: ['network', 'command'],
          forward_agent: false,
          idp: { saml: { enabled: true } },
          max_session_ttl: '30h0m0s',
          pin_source_ip: false,
          port_forwarding: true,
          record_session: { default: 'best_effort', desktop: true, ssh: '' },
          ssh_file_copy: true,
          client_idle_timeout: '0s',
        },
      },
    } as unknown as RoleResource;
    same(desired, live);
  });

  test('set-like lists in another order, duplicates, label value as string or one-element list', () => {
    const a = role('r', {
      allow: {
        logins: ['root', 'admin'],
        node_labels: { env: 'prod', tier: ['db', 'web'] },
        rules: [
          { resources: ['session', 'event'], verbs: ['read', 'list'] },
          { resources: ['role'], verbs: ['read'] },
        ],
        request: { roles: ['b', 'a'], suggested_reviewers: ['x', 'y'] },
        impersonate: { users: ['u2', 'u1'], roles: ['r'] },
      },
    });
    const b = role('r', {
      allow: {
        logins: ['admin', 'root', 'admin'],
        node_labels: { tier: ['web', 'db'], env: ['prod'] },
        rules: [
          { resources: ['role'], verbs: ['read'] },
          { resources: ['event', 'session'], verbs: ['list', 'read'] },
        ],
        request: { roles: ['a', 'b'], suggested_reviewers: ['y', 'x'] },
        impersonate: { roles: ['r'], users: ['u1', 'u2'] },
      },
    });
    same(a, b);
  });

  test('revision, id and expires set by the server; durations in either form', () => {
    const a = role('r', { options: { max_session_ttl: '8h' }, allow: { request: { roles: ['x'], max_duration: '7d' } } });
    const b = clone(a);
    b.metadata = { ...b.metadata, revision: 'abc', id: 3, expires: '2030-01-01T00:00:00Z' };
    b.spec.options = { max_session_ttl: '8h0m0s' };
    b.spec.allow!.request!.max_duration = '168h0m0s';
    same(a, b);
  });

  test('metadata.expires in either timestamp form', () => {
    const a = { ...role('r', {}), metadata: { name: 'r', expires: '2030-01-01T00:00:00Z' } };
    same(a, { ...a, metadata: { name: 'r', expires: '2030-01-01T00:00:00.000Z' } });
    assert.deepEqual(paths(a, { ...a, metadata: { name: 'r', expires: '2031-01-01T00:00:00Z' } }), ['metadata.expires']);
  });

  test('user bookkeeping (created_by, expires, status) and trait order', () => {
    const a = user('u', ['r2', 'r1'], { logins: ['b', 'a'] });
    const b = {
      ...user('u', ['r1', 'r2'], { logins: ['a', 'b'], empty: [] }),
      status: { password_state: 1 },
    } as UserResource;
    b.spec = { ...b.spec, created_by: { time: '2024-01-01T00:00:00Z', user: { name: 'admin' } }, expires: '0001-01-01T00:00:00Z', status: { is_locked: false } };
    same(a, b);
  });

  test('record_session set partly: the server fills the other fields', () => {
    const a = role('r', { options: { record_session: { ssh: 'strict' } } });
    same(a, applyRoleServerDefaults(a));
  });
});

describe('normalisation: still drift', () => {
  test('threshold order is kept (reviews refer to thresholds by index)', () => {
    const a = role('r', { allow: { request: { roles: ['x'], thresholds: [{ name: 'a', approve: 1, deny: 1 }, { name: 'b', approve: 2, deny: 1 }] } } });
    const b = clone(a);
    b.spec.allow!.request!.thresholds!.reverse();
    assert.deepEqual(paths(a, b), [
      'spec.allow.request.thresholds[0].approve',
      'spec.allow.request.thresholds[0].name',
      'spec.allow.request.thresholds[1].approve',
      'spec.allow.request.thresholds[1].name',
    ]);
  });

  test('a threshold lowered to 0 shows as 0, not as absent', () => {
    const a = role('r', { allow: { request: { roles: ['x'], thresholds: [{ approve: 2, deny: 1 }] } } });
    const b = clone(a);
    delete (b.spec.allow!.request!.thresholds![0] as Partial<{ approve: number }>).approve;
    assert.deepEqual(compareResource(a, b)?.changes, [{ path: 'spec.allow.request.thresholds[0].approve', before: 2, after: 0 }]);
  });

  test('a default turned off out of band (desktop_clipboard: false) is drift', () => {
    const a = role('r', {});
    const b = role('r', { options: { desktop_clipboard: false } });
    assert.deepEqual(compareResource(a, b)?.changes, [{ path: 'spec.options.desktop_clipboard', before: true, after: false }]);
  });

  test('a plain boolean set to true is drift', () => {
    assert.deepEqual(paths(role('r', {}), role('r', { options: { forward_agent: true } })), ['spec.options.forward_agent']);
  });

  test('version change, label change, added login, user label', () => {
    assert.deepEqual(paths(role('r', {}, 'v7'), role('r', {}, 'v8')), ['spec.options.idp.saml.enabled', 'version']);
    assert.deepEqual(paths(role('r', { allow: { node_labels: { env: 'prod' } } }), role('r', { allow: { node_labels: { env: ['prod', 'dev'] } } })), ['spec.allow.node_labels.env']);
    assert.deepEqual(paths(role('r', { allow: { logins: ['a'] } }), role('r', { allow: { logins: ['a', 'b'] } })), ['spec.allow.logins']);
    const u = user('u', []);
    const l = { ...u, metadata: { name: 'u', labels: { team: 'x', 'teleport.dev/origin': 'okta' } } };
    assert.deepEqual(compareResource(u, l)?.changes, [{ path: 'metadata.labels.team', after: 'x' }]);
  });

  test('a removed rule shows the rule', () => {
    const a = role('r', { allow: { rules: [{ resources: ['role'], verbs: ['read'] }, { resources: ['user'], verbs: ['read'] }] } });
    const b = role('r', { allow: { rules: [{ resources: ['role'], verbs: ['read'] }] } });
    assert.deepEqual(compareResource(a, b)?.changes, [{ path: 'spec.allow.rules[1]', before: { resources: ['user'], verbs: ['read'] } }]);
  });
});

describe('canonical values', () => {
  test('Go duration strings', () => {
    assert.equal(formatDurationMs(0), '0s');
    assert.equal(formatDurationMs(30 * 3600_000), '30h0m0s');
    assert.equal(formatDurationMs(90_000), '1m30s');
    assert.equal(formatDurationMs(1500), '1.5s');
    assert.equal(formatDurationMs(500), '500ms');
    assert.equal(canonicalDuration('8h'), '8h0m0s');
    assert.equal(canonicalDuration('90m'), '1h30m0s');
    // Teleport reads "never" as 0 (api/types/duration.go) and prints it back as 0s
    assert.equal(canonicalDuration('never'), '0s');
    assert.equal(canonicalDuration('1y'), '8760h0m0s');
    assert.equal(canonicalDuration('4d'), '96h0m0s');
    assert.equal(canonicalDuration('forever'), 'forever');
  });

  test('normalised output has sorted keys and no server metadata', () => {
    const n = normalizeResource({ ...role('r', { allow: { logins: ['b', 'a'] } }), metadata: { name: 'r', revision: 'x' } });
    assert.deepEqual(Object.keys(n), ['kind', 'metadata', 'spec', 'version']);
    assert.deepEqual(n.metadata, { name: 'r' });
    assert.deepEqual((n.spec as { allow: { logins: string[] } }).allow.logins, ['a', 'b']);
  });
});
