import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KINDS, parseTeleportVersion, RoleResource, thresholdDecisionProblems } from '../../model';

const role = KINDS.role!;
const base = (): RoleResource => ({
  kind: 'role',
  version: 'v5',
  metadata: { name: 'devops' },
  spec: { allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }] } } },
});
const fields = (r: unknown, v = '15.4') => role.problems(r as RoleResource, parseTeleportVersion(v)).map((p) => p.field);

test('the guide role is valid', () => {
  assert.deepEqual(role.problems(base(), parseTeleportVersion('15.4')), []);
});

test('a misspelt field is caught with its path', () => {
  const r = base() as unknown as { spec: { allow: Record<string, unknown> } };
  r.spec.allow.kubernetes_group = ['x'];
  assert.deepEqual(fields(r), ['spec.allow.kubernetes_group']);
});

test('thresholds that never decide are accepted as Teleport does, and reported apart; deny thresholds rejected; allow max_duration <= 14d', () => {
  const r = base();
  r.spec.allow!.request!.thresholds = [{ approve: 0, deny: 1 }, { approve: 2 } as never];
  r.spec.allow!.request!.max_duration = '15d';
  r.spec.deny = { request: { thresholds: [{ approve: 1, deny: 1 }], max_duration: '30d' } };
  assert.deepEqual(fields(r).sort(), ['spec.allow.request.max_duration', 'spec.deny.request.thresholds']);
  assert.deepEqual(thresholdDecisionProblems(r).map((p) => p.field), ['spec.allow.request.thresholds[0].approve', 'spec.allow.request.thresholds[1].deny']);
  r.spec.allow!.request!.max_duration = '0';
  assert.deepEqual(fields(r), ['spec.deny.request.thresholds']);
});

test('predicates are parsed with the right grammar', () => {
  const r = base();
  r.spec.allow!.request!.thresholds = [{ approve: 1, deny: 1, filter: 'contains(user.roles, "x")' }];
  r.spec.allow!.review_requests = { roles: ['dbadmin'], where: 'contains(review.annotations["a"], "b")' };
  assert.deepEqual(fields(r).sort(), ['spec.allow.request.thresholds[0].filter', 'spec.allow.review_requests.where']);
});

test('versions: v8 needs Teleport 18; api_group needs v8; wildcard logins rejected', () => {
  const r = { ...base(), version: 'v8' as const };
  assert.deepEqual(fields(r, '15.4'), ['version']);
  assert.deepEqual(fields(r, '18.1'), []);
  const k = base();
  k.spec.allow!.kubernetes_resources = [{ kind: 'pod', api_group: 'apps', namespace: '*', name: '*' }];
  assert.deepEqual(fields(k), ['spec.allow.kubernetes_resources[0].api_group']);
  const l = base();
  l.spec.allow!.logins = ['*'];
  assert.deepEqual(fields(l), ['spec.allow.logins']);
});

test('impersonate needs both users and roles', () => {
  const r = base();
  r.spec.allow = { impersonate: { users: ['access-plugin'] } };
  assert.deepEqual(fields(r), ['spec.allow.impersonate.roles']);
});

test('Terraform shape: labels become lists, enum options become numbers', () => {
  const r = base();
  r.spec.allow = { node_labels: { env: 'prod', type: ['db', 'pg'] } };
  r.spec.options = { max_session_ttl: '8h', require_session_mfa: 'hardware_key_touch', create_host_user_mode: 'keep' };
  const tf = role.toTerraform(r) as { spec: { allow: { node_labels: unknown }; options: Record<string, unknown> }; version: string };
  assert.equal(tf.version, 'v5');
  assert.deepEqual(tf.spec.allow.node_labels, { env: ['prod'], type: ['db', 'pg'] });
  assert.deepEqual(tf.spec.options, { max_session_ttl: '8h', require_session_mfa: 3, create_host_user_mode: 3 });
});

test('server defaults fill options and namespaces per version', () => {
  const d = role.withServerDefaults(base()) as RoleResource;
  assert.equal(d.spec.options?.max_session_ttl, '30h0m0s');
  assert.deepEqual(d.spec.allow?.namespaces, ['default']);
  assert.deepEqual(d.spec.options?.idp, { saml: { enabled: true } });
  const v8 = role.withServerDefaults({ ...base(), version: 'v8' }) as RoleResource;
  assert.equal(v8.spec.options?.idp, undefined);
});

test('role versions v3 and v4 are accepted, as Teleport 18 does', () => {
  for (const version of ['v3', 'v4'] as const) assert.deepEqual(fields({ ...base(), version }, '18.0'), []);
  assert.deepEqual(fields({ ...base(), version: 'v9' }, '18.0'), ['version']);
});

test('YAML nulls are read as absent', () => {
  const r = base() as unknown as { spec: Record<string, unknown> };
  r.spec.deny = { logins: null, rules: null };
  r.spec.options = null;
  assert.deepEqual(fields(r), []);
});

test('durations in every duration field use Teleport\'s grammar', () => {
  const r = base();
  r.spec.options = { max_session_ttl: '1y', client_idle_timeout: 'never' };
  r.spec.allow!.request!.max_duration = '0';
  assert.deepEqual(fields(r), []);
  r.spec.options = { max_session_ttl: 'forever', client_idle_timeout: '30 minutes' };
  r.spec.deny = { request: { max_duration: 'soon' } };
  assert.deepEqual(fields(r).sort(), ['spec.deny.request.max_duration', 'spec.options.client_idle_timeout', 'spec.options.max_session_ttl']);
});

test('system role names are reserved, in any case', () => {
  for (const name of ['admin', 'Node', 'proxy']) assert.deepEqual(fields({ ...base(), metadata: { name } }), ['metadata.name']);
  assert.deepEqual(fields({ ...base(), metadata: { name: 'administrators' } }), []);
});

test("'*': value selectors are rejected only where Teleport checks them", () => {
  const r = base();
  r.spec.allow!.node_labels = { '*': 'prod' };
  r.spec.allow!.cluster_labels = { '*': 'prod' };
  assert.deepEqual(fields(r), ["spec.allow.node_labels['*']"]);
});

test('trait templates: one closed {{...}}; single braces are literal text', () => {
  const r = base();
  r.spec.allow!.logins = ['{{internal.logins}}', 'ci-{{external.team}}'];
  r.spec.allow!.node_labels = { host: '^web-[0-9]{2}$', team: '{{regexp.replace(external.groups, "^team-(.*)$", "$1")}}' };
  assert.deepEqual(fields(r), []);
  for (const bad of ['{{internal.logins', 'internal.logins}}', '{{internal.logins}}-{{external.x}}', '{{ }}']) {
    r.spec.allow!.logins = [bad];
    assert.deepEqual(fields(r), ['spec.allow.logins'], bad);
  }
});

test('users: OIDC identities need connector_id and username; SAML and GitHub ones are not checked, as in Teleport', () => {
  const user = KINDS.user!;
  const u = (spec: Record<string, unknown>) => user.problems({ kind: 'user', version: 'v2', metadata: { name: 'bob' }, spec } as never).map((p) => p.field);
  assert.deepEqual(u({ roles: ['access'], oidc_identities: [{ connector_id: 'okta', username: 'bob' }], saml_identities: [{ connector_id: 'adfs' }] }), []);
  assert.deepEqual(u({ oidc_identities: [{ username: 'bob' }, { connector_id: 'okta' }] }), ['spec.oidc_identities[0].connector_id', 'spec.oidc_identities[1].username']);
  assert.deepEqual(u({ roles: null, traits: { logins: null } }), []);
});
