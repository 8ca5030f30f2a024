import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TeleportApiError, connectTeleport, type TeleportClient, type WatchEvent } from '../../teleport-client/client';
import { credentialsFromIdentity } from '../../teleport-client/tls';
import { startTeleportSimulator, type TeleportSimulator } from '../../simulators/teleport';
import { ROLES, USERS } from './fixtures';

/** Polls until `check` returns a value (not undefined); the deadline only guards against a hang (at least 60 s, for loaded machines). */
async function eventually<T>(check: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + Math.max(ms, 60_000);
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<TeleportApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TeleportApiError, `expected TeleportApiError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.detail, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('Teleport client against the simulator', () => {
  let sim: TeleportSimulator;
  let dir: string;
  const clients: TeleportClient[] = [];

  const connectAs = async (user: string, roles?: string[]) => {
    const c = await connectTeleport({ addr: sim.addr, credentials: credentialsFromIdentity(sim.issueIdentity(user, roles)) });
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-sim-'));
    sim = await startTeleportSimulator({ resources: [...ROLES, ...USERS] });
  });

  after(async () => {
    for (const c of clients) c.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pings over mTLS with an identity file and then sends the server version header', async () => {
    const file = join(dir, 'plugin-identity');
    await sim.writeIdentity('access-plugin', file);
    const client = await connectTeleport({ addr: sim.addr, identityFile: file });
    clients.push(client);
    const info = await client.ping();
    assert.equal(info.clusterName, sim.clusterName);
    assert.equal(info.serverVersion, '17.5.0');
    const pings = sim.callLog.filter((e) => e.method === 'Ping' && e.user === 'access-plugin');
    assert.equal(pings.length, 2);
    assert.equal(pings[0].clientVersion, undefined, 'no version header before the server version is known');
    assert.equal(pings[1].clientVersion, '17.5.0');
    assert.deepEqual(pings[1].roles, ['access-plugin']);
  });

  it('watches access requests: INIT first, then PUT and DELETE events', async () => {
    const plugin = await connectAs('access-plugin');
    const events: WatchEvent[] = [];
    let initKinds: string[] = [];
    const w = plugin.watch(['access_request'], { onInit: (k) => (initKinds = k.map((x) => x.kind)), onEvent: (e) => events.push(e) });
    await w.initialized;
    assert.deepEqual(initKinds, ['access_request']);
    const req = sim.createAccessRequest('alice', ['prod-access'], 'deploy hotfix');
    const put = await eventually(() => events.find((e): e is Extract<WatchEvent, { kind: 'access_request' }> => e.type === 'PUT' && e.kind === 'access_request'));
    assert.equal(put.request.id, req.id);
    assert.equal(put.request.user, 'alice');
    assert.equal(put.request.state, 'PENDING');
    assert.equal(put.request.reason, 'deploy hotfix');
    assert.deepEqual(put.request.thresholds, [{ name: 'two-approvals', approve: 2, deny: 1 }]);
    assert.deepEqual(put.request.role_threshold_mapping, { 'prod-access': { sets: [{ indexes: [0] }] } });
    assert.deepEqual(put.request.suggested_reviewers, ['bob']);
    sim.expire(req.id);
    const del = await eventually(() => events.find((e) => e.type === 'DELETE'));
    assert.deepEqual(del, { type: 'DELETE', kind: 'access_request', name: req.id });
    w.close();
  });

  it('honours watch filters: a user filter only forwards that user’s requests', async () => {
    const plugin = await connectAs('access-plugin');
    const seen: string[] = [];
    const w = plugin.watch([{ kind: 'access_request', filter: { user: 'erin' } }], { onEvent: (e) => e.type === 'PUT' && e.kind === 'access_request' && seen.push(e.request.user) });
    await w.initialized;
    sim.createAccessRequest('alice', ['prod-access']);
    const erins = sim.createAccessRequest('erin', ['prod-access']);
    await eventually(() => (seen.length > 0 ? true : undefined));
    assert.deepEqual(seen, ['erin']);
    assert.equal(sim.request(erins.id).user, 'erin');
    w.close();
    await rejectsWith(
      new Promise((resolve, reject) => {
        const bad = plugin.watch([{ kind: 'access_request', filter: { colour: 'red' } }], { onEvent: () => undefined, onError: (e) => reject(e) });
        bad.initialized.then(resolve, () => undefined);
      }),
      'BadParameter',
      /unknown filter key colour/,
    );
  });

  it('plugin data compare-and-swap: a second writer with a stale expectation fails with CompareFailed', async () => {
    const a = await connectAs('access-plugin');
    const b = await connectAs('access-plugin');
    const req = sim.createAccessRequest('alice', ['prod-access']);
    assert.deepEqual(await a.getPluginData({ resource: req.id, plugin: 'mattermost' }), []);
    // Both saw "no data yet" and try to claim the request.
    await a.updatePluginData({ resource: req.id, plugin: 'mattermost', set: { user: 'alice', messages: 'ch1/p1' }, expect: { messages: '' } });
    await rejectsWith(b.updatePluginData({ resource: req.id, plugin: 'mattermost', set: { user: 'alice', messages: 'ch2/p2' }, expect: { messages: '' } }), 'CompareFailed', /expectations not met for field "messages"/);
    assert.deepEqual(await b.getPluginEntry(req.id, 'mattermost'), { user: 'alice', messages: 'ch1/p1' });
    // With the current value as expectation the update goes through; "" deletes a key.
    await b.updatePluginData({ resource: req.id, plugin: 'mattermost', set: { resolution: 'APPROVED', user: '' }, expect: { messages: 'ch1/p1' } });
    assert.deepEqual(sim.pluginData(req.id), { mattermost: { messages: 'ch1/p1', resolution: 'APPROVED' } });
    await rejectsWith(a.updatePluginData({ resource: 'no-such-request', plugin: 'mattermost', set: { x: '1' } }), 'NotFound');
  });

  it('approves with approve: 2 only after two reviews, applying model thresholds', async () => {
    const bob = await connectAs('bob');
    const carol = await connectAs('carol');
    const req = sim.createAccessRequest('alice', ['prod-access']);
    const afterOne = await bob.submitAccessReview(req.id, { state: 'APPROVED', reason: 'looks fine' });
    assert.equal(afterOne.state, 'PENDING');
    assert.deepEqual(afterOne.reviews.map((r) => [r.author, r.state, r.threshold_indexes]), [['bob', 'APPROVED', [0]]]);
    const afterTwo = await carol.submitAccessReview(req.id, { state: 'APPROVED', reason: 'ok by me' });
    assert.equal(afterTwo.state, 'APPROVED');
    assert.equal(afterTwo.resolve_reason, 'ok by me');
    assert.equal(sim.request(req.id).state, 'APPROVED');
    // A resolved request takes no more reviews.
    sim.seed([{ kind: 'user', version: 'v2', metadata: { name: 'dan' }, spec: { roles: ['reviewer'] } }]);
    const dan = await connectAs('dan');
    await rejectsWith(dan.submitAccessReview(req.id, { state: 'DENIED' }), 'AccessDenied', /already approved/);
  });

  it('rejects a review by the requester, a second review by the same user, and reviews on behalf of others', async () => {
    const erin = await connectAs('erin');
    const bob = await connectAs('bob');
    const own = await erin.createAccessRequest({ user: 'erin', roles: ['prod-access'], reason: 'need it' });
    assert.equal(own.state, 'PENDING');
    await rejectsWith(erin.submitAccessReview(own.id, { state: 'APPROVED' }), 'AccessDenied', /cannot review/);
    await bob.submitAccessReview(own.id, { state: 'APPROVED' });
    await rejectsWith(bob.submitAccessReview(own.id, { state: 'APPROVED' }), 'AccessDenied', /already reviewed/);
    await rejectsWith(bob.submitAccessReview(own.id, { state: 'APPROVED', author: 'carol' }), 'AccessDenied', /on behalf of/);
    const alice = await connectAs('alice');
    await rejectsWith(alice.submitAccessReview(own.id, { state: 'DENIED' }), 'AccessDenied', /cannot submit reviews/);
    assert.equal(sim.request(own.id).reviews.length, 1);
  });

  it('denies a request for a role the user may not request', async () => {
    const alice = await connectAs('alice');
    await rejectsWith(alice.createAccessRequest({ user: 'alice', roles: ['admin'] }), 'BadParameter', /can not request role "admin"/);
    // Creating a request for someone else needs access_request:create.
    await rejectsWith(alice.createAccessRequest({ user: 'erin', roles: ['prod-access'] }), 'AccessDenied');
  });

  it('rejects a client certificate from another CA at the TLS handshake', async () => {
    const before = sim.callLog.length;
    const foreign = sim.foreignIdentity('admin', ['admin']);
    await rejectsWith(connectTeleport({ addr: sim.addr, credentials: credentialsFromIdentity(foreign), timeoutMs: 3000 }), 'ConnectionProblem');
    assert.equal(sim.callLog.length, before, 'no RPC reached a handler');
  });

  it('denies the access-plugin identity anything beyond its rules', async () => {
    const plugin = await connectAs('access-plugin');
    const prod = ROLES.find((r) => r.metadata.name === 'prod-access')!;
    await rejectsWith(plugin.upsertRole({ ...prod, spec: { allow: { logins: ['root', 'admin'] } } }), 'AccessDenied', /access denied to perform action "create" on "role"/);
    await rejectsWith(plugin.getRoles(), 'AccessDenied');
    await rejectsWith(plugin.getUsers(), 'AccessDenied');
    await rejectsWith(plugin.deleteAccessRequest(sim.createAccessRequest('alice', ['prod-access']).id), 'AccessDenied');
    // What it may do: list and read requests.
    assert.ok((await plugin.getAccessRequests()).length > 0);
    assert.equal(sim.cluster.roles.get('prod-access')!.spec.allow!.logins!.length, 1);
    // A role the plugin holds is readable even without role:read (Teleport lets users read their own roles).
    assert.equal((await plugin.getRole('access-plugin')).metadata.name, 'access-plugin');
    await rejectsWith(plugin.getRole('admin'), 'AccessDenied');
  });

  it('lists roles and users with the defaults the server fills in', async () => {
    const admin = await connectAs('admin');
    const roles = await admin.getRoles();
    const dev = roles.find((r) => r.metadata.name === 'dev')!;
    assert.equal(dev.version, 'v7');
    assert.equal(dev.spec.options?.max_session_ttl, '30h0m0s');
    assert.equal(dev.spec.options?.cert_format, 'standard');
    assert.deepEqual(dev.spec.options?.enhanced_recording, ['command', 'network']);
    assert.deepEqual(dev.spec.options?.record_session, { desktop: true, default: 'best_effort' });
    assert.equal(dev.spec.options?.desktop_clipboard, true);
    assert.equal(dev.spec.options?.create_db_user, false);
    assert.deepEqual(dev.spec.options?.idp, { saml: { enabled: true } });
    assert.deepEqual(dev.spec.allow?.namespaces, ['default']);
    assert.deepEqual(dev.spec.deny?.namespaces, ['default']);
    assert.deepEqual(dev.spec.allow?.request?.thresholds, [{ name: 'two-approvals', approve: 2, deny: 1 }]);
    assert.match(dev.metadata.revision ?? '', /^[0-9a-f-]{36}$/);
    const prod = await admin.getRole('prod-access');
    assert.equal(prod.spec.options?.max_session_ttl, '1h0m0s');
    assert.deepEqual(prod.spec.allow?.node_labels, { env: 'prod' });
    const users = await admin.getUsers();
    assert.deepEqual(users.find((u) => u.metadata.name === 'erin')?.spec.roles, ['dev', 'reviewer']);
  });

  it('writes roles: create, conditional update by revision, AlreadyExists and NotFound', async () => {
    const admin = await connectAs('admin');
    const created = await admin.createRole({ kind: 'role', version: 'v8', metadata: { name: 'oncall', labels: { team: 'sre' } }, spec: { allow: { logins: ['ops'] } } });
    assert.equal(created.spec.options?.max_session_ttl, '30h0m0s');
    assert.equal(created.spec.options?.idp, undefined, 'v8 gets no implicit SAML IdP access');
    await rejectsWith(admin.createRole(created), 'AlreadyExists');
    const updated = await admin.updateRole({ ...created, spec: { ...created.spec, allow: { ...created.spec.allow, logins: ['ops', 'deploy'] } } });
    assert.deepEqual(updated.spec.allow?.logins, ['ops', 'deploy']);
    assert.notEqual(updated.metadata.revision, created.metadata.revision);
    // Updating with the old revision loses the race.
    await rejectsWith(admin.updateRole(created), 'CompareFailed');
    await rejectsWith(admin.updateRole({ ...created, metadata: { name: 'nope' } }), 'NotFound');
    await admin.deleteRole('oncall');
    await rejectsWith(admin.getRole('oncall'), 'NotFound');
  });

  it('uses a rotated identity file on the next call without a restart', async () => {
    const file = join(dir, 'rotating-identity');
    await sim.writeIdentity('access-plugin', file);
    const client = await connectTeleport({ addr: sim.addr, identityFile: file });
    clients.push(client);
    await client.ping();
    assert.equal(sim.callLog.at(-1)?.user, 'access-plugin');
    await rejectsWith(client.getRoles(), 'AccessDenied');
    // Rotate: same path, a new certificate (here for the admin user, so the change is visible).
    await sim.writeIdentity('admin', file);
    const roles = await client.getRoles();
    assert.ok(roles.length >= ROLES.length);
    assert.equal(sim.callLog.at(-1)?.user, 'admin');
    assert.equal(sim.callLog.at(-1)?.method, 'ListRoles');
  });

  it('reconnects a dropped watch stream and gets a fresh INIT', async () => {
    const plugin = await connectAs('access-plugin');
    let inits = 0;
    const errors: string[] = [];
    const ids: string[] = [];
    const w = plugin.watch(['access_request'], { onInit: () => inits++, onEvent: (e) => e.type === 'PUT' && e.kind === 'access_request' && ids.push(e.request.id), onError: (e, retry) => errors.push(`${e.code}:${retry}`) }, { reconnect: { minDelayMs: 20, maxDelayMs: 100 } });
    await w.initialized;
    assert.equal(inits, 1);
    sim.dropStreams();
    await eventually(() => (inits === 2 ? true : undefined));
    assert.deepEqual(errors, ['ConnectionProblem:true']);
    const req = sim.createAccessRequest('alice', ['prod-access']);
    await eventually(() => (ids.includes(req.id) ? true : undefined));
    // A server restart behaves the same way.
    await sim.restart();
    await eventually(() => (inits === 3 ? true : undefined));
    assert.equal((await plugin.ping()).clusterName, sim.clusterName);
    w.close();
    await eventually(() => (sim.openStreams() === 0 ? true : undefined));
  });

  it('connects through TLS routing with the Teleport ALPN protocol first', async () => {
    const id = sim.issueIdentity('access-plugin');
    const client = await connectTeleport({ addr: sim.addr, key: id.privateKeyPem, cert: id.tlsCertPem, rootCAs: id.tlsCaPems, alpnRouting: { clusterName: sim.clusterName } });
    clients.push(client);
    assert.equal((await client.ping()).clusterName, sim.clusterName);
  });

  it('reports an invalid version header as BadParameter, as Teleport does', async () => {
    const client = await connectTeleport({ addr: sim.addr, credentials: credentialsFromIdentity(sim.issueIdentity('admin')), clientVersion: 'not-a-version', pingOnConnect: false });
    clients.push(client);
    await rejectsWith(client.ping(), 'BadParameter', /unrecognized client version/);
  });
});
