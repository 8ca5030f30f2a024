import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AccessPluginIdentity, DualAuthorization, DualAuthStack, ImpersonationGrant, TeleportRole, TeleportUser } from '../../constructs';
import { Testing } from '../../constructs/cdktf';
import { synthStack } from './helpers';
import { addPolicySuppressions } from '../../constructs/policy-suppressions';

function synthJson(build: (s: DualAuthStack) => void, terraformProvider = true): string {
  const app = Testing.app();
  const stack = new DualAuthStack(app, 'test', { teleportVersion: '15.4', terraformProvider });
  build(stack);
  return Testing.synth(stack, true);
}

test('TeleportRole renders teleport_role with Terraform label lists and explicit version', () => {
  const json = synthJson((s) => new TeleportRole(s, 'Db', { name: 'dbadmin', allow: { logins: ['root'], nodeLabels: { env: 'prod' } } }));
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_role', { version: 'v5', metadata: { name: 'dbadmin' }, spec: { allow: { logins: ['root'], node_labels: { env: ['prod'] } } } }));
  assert.ok(Testing.toHaveProviderWithProperties(json, 'teleport', { addr: 'teleport.example.com:443' }));
});

test('TeleportUser binds roles and traits', () => {
  const json = synthJson((s) => {
    const r = new TeleportRole(s, 'R', { name: 'viewer', allow: { logins: ['{{internal.logins}}'] } });
    new TeleportUser(s, 'U', { name: 'carol@example.com', roles: [r], traits: { logins: ['carol'] } });
  });
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_user', { version: 'v2', metadata: { name: 'carol@example.com' }, spec: { roles: ['viewer'], traits: { logins: ['carol'] } } }));
});

test('ImpersonationGrant names exactly one user and role, and grants a declared grantee', () => {
  const json = synthJson((s) => {
    const r = new TeleportRole(s, 'R', { name: 'access-plugin', allow: { rules: [{ resources: ['access_request'], verbs: ['list', 'read'] }, { resources: ['access_plugin_data'], verbs: ['update'] }] } });
    const u = new TeleportUser(s, 'U', { name: 'access-plugin', roles: [r] });
    const op = new TeleportUser(s, 'Op', { name: 'operator' });
    new ImpersonationGrant(s, 'G', { roleName: 'imp', user: u, role: r, grantee: op });
  });
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_role', { metadata: { name: 'imp' }, spec: { allow: { impersonate: { users: ['access-plugin'], roles: ['access-plugin'] } } } }));
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_user', { metadata: { name: 'operator' }, spec: { roles: ['imp'] } }));
});

test('AccessPluginIdentity has exactly the plugin rules', () => {
  const json = synthJson((s) => new AccessPluginIdentity(s, 'P', { maxSessionTtl: '8760h' }));
  assert.ok(
    Testing.toHaveResourceWithProperties(json, 'teleport_role', {
      metadata: { name: 'access-plugin' },
      spec: { options: { max_session_ttl: '8760h' }, allow: { rules: [{ resources: ['access_request'], verbs: ['list', 'read'] }, { resources: ['access_plugin_data'], verbs: ['update'] }] } },
    }),
  );
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_role', { metadata: { name: 'access-plugin-impersonator' } }));
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_user', { metadata: { name: 'access-plugin' }, spec: { roles: ['access-plugin'] } }));
});

test('DualAuthorization creates privileged, reviewer and requester roles and binds users once', () => {
  const json = synthJson((s) => {
    new DualAuthorization(s, 'A', { privilegedRole: { name: 'dbadmin', logins: ['root'] }, requesters: ['bob'], reviewers: ['alice', 'ivan'] });
    const b = new DualAuthorization(s, 'B', { privilegedRole: { name: 'webadmin', logins: ['root'] }, requesters: ['bob'], reviewers: ['alice', 'ivan'], approve: 1, thresholds: undefined });
    // synthesis runs the review's error rules: a single approval needs a suppression with a reason
    addPolicySuppressions(b, [{ rule: 'DA-001', reason: 'test of a single-approval role' }]);
  });
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_role', { metadata: { name: 'dbadmin-requester' }, spec: { allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }] } } } }));
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_role', { metadata: { name: 'webadmin-requester' }, spec: { allow: { request: { thresholds: [{ approve: 1, deny: 1 }] } } } }));
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_role', { metadata: { name: 'dbadmin-reviewer' }, spec: { allow: { review_requests: { roles: ['dbadmin'] } } } }));
  const users = Object.values((JSON.parse(json) as { resource: { teleport_user: Record<string, { metadata: { name: string }; spec: { roles: string[] } }> } }).resource.teleport_user);
  assert.deepEqual(users.map((u) => u.metadata.name).sort(), ['alice', 'bob', 'ivan']);
  assert.deepEqual(users.find((u) => u.metadata.name === 'bob')!.spec.roles, ['dbadmin-requester', 'webadmin-requester']);
});

test('several named thresholds with filters are emitted with both counts', () => {
  const json = synthJson((s) =>
    new DualAuthorization(s, 'A', {
      privilegedRole: { name: 'dbadmin', logins: ['root'] },
      requesters: ['bob'],
      reviewers: ['alice', 'ivan', 'mia'],
      thresholds: [{ name: 'peers', filter: '!equals(review.reason, "")', approve: 2, deny: 1 }, { name: 'lead', filter: 'contains(reviewer.roles, "dbadmin-reviewer")', approve: 3, deny: 2 }],
    }),
  );
  assert.ok(Testing.toHaveResourceWithProperties(json, 'teleport_role', { spec: { allow: { request: { thresholds: [{ name: 'peers', approve: 2, deny: 1 }, { name: 'lead', approve: 3, deny: 2 }] } } } }));
});

test('terraformProvider: false emits no teleport resources but keeps teleport.yaml', () => {
  const json = synthJson((s) => new TeleportRole(s, 'R', { name: 'x', allow: { logins: ['a'] } }), false);
  assert.equal(Testing.toHaveResource(json, 'teleport_role'), false);
  const { outdir, error } = synthStack((s) => new TeleportRole(s, 'R', { name: 'x', allow: { logins: ['a'] } }), { terraformProvider: false });
  assert.equal(error, undefined);
  const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, 'stacks/test/teleport.yaml'), 'utf8'));
  assert.equal((docs as unknown[]).length, 1);
});

test('addOverride reaches fields the props do not cover and is schema-checked', () => {
  const ok = synthStack((s) => new TeleportRole(s, 'R', { name: 'k', allow: { logins: ['a'] } }).addOverride('spec.allow.kubernetes_groups', ['viewers']));
  assert.equal(ok.error, undefined);
  assert.match(fs.readFileSync(path.join(ok.outdir, 'stacks/test/teleport.yaml'), 'utf8'), /kubernetes_groups:\n\s+- viewers/);
  const bad = synthStack((s) => new TeleportRole(s, 'R', { name: 'k' }).addOverride('spec.allow.kubernetes_group', ['viewers']));
  assert.match(bad.error?.message ?? '', /\[test\/R\] role\/k \(teleport\.yaml\) spec\.allow\.kubernetes_group: is not a field Teleport knows/);
});
