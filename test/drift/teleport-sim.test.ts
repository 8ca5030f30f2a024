/** The "Must show" cases against the Teleport gRPC simulator, through runDrift with an identity file. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { formatIdentityFile } from '../../teleport-client/identity-file';
import { runDrift } from '../../drift/run';
import { DriftReport, SectionResult } from '../../drift/types';
import { apply, Cluster, desiredOrg, HARNESS_IGNORES, role, startCluster, writeStack } from './helpers';

function teleportSection(r: DriftReport): SectionResult {
  const s = r.sections.find((x) => x.system === 'teleport');
  assert.ok(s);
  return s;
}

describe('drift against the Teleport simulator', () => {
  let c: Cluster;
  let stack: string;
  const desired = desiredOrg();

  beforeEach(async () => {
    c = await startCluster();
    stack = writeStack(desired);
    await apply(c.admin, desired);
  });
  afterEach(() => c.close());

  const drift = (o: { identity?: string; addr?: string; failOnUnmanaged?: boolean } = {}) =>
    runDrift({
      stackDir: stack,
      teleport: { kind: 'grpc', addr: o.addr ?? c.sim.addr, identityFile: o.identity ?? c.readerIdentity, timeoutMs: 5000 },
      ignore: HARNESS_IGNORES,
      failOnUnmanaged: o.failOnUnmanaged,
    });

  test('no drift right after applying, with one list call per kind', async () => {
    c.sim.callLog.length = 0;
    const r = await drift();
    const s = teleportSection(r);
    assert.equal(s.state, 'checked', s.reason);
    assert.deepEqual(s.findings.filter((f) => f.status !== 'ignored'), []);
    assert.equal(s.counts.managed, desired.length);
    assert.equal(s.counts.inSync, desired.length);
    assert.equal(r.exitCode, 0);
    assert.equal(r.drift, false);
    const reads = c.sim.callLog.filter((e) => e.user === 'drift-reader').map((e) => e.method).sort();
    assert.deepEqual(reads, ['ListRoles', 'Ping', 'UsersService/ListUsers']);
  });

  test('a server that fills defaults is not drift: the live roles do carry the defaults', async () => {
    const live = c.sim.roles().find((x) => x.metadata.name === 'kube-dev')!;
    assert.equal(live.spec.options?.cert_format, 'standard');
    assert.deepEqual(live.spec.allow?.kubernetes_resources, [{ kind: '*', namespace: '*', name: '*', verbs: ['*'] }]);
    assert.deepEqual(live.spec.allow?.namespaces, ['default']);
    // CheckAndSetDefaults fills record_session only when it is absent: a role that sets ssh keeps just that
    assert.deepEqual(live.spec.options?.record_session, { ssh: 'strict' });
    assert.ok(live.metadata.revision);
    const r = await drift();
    assert.equal(r.exitCode, 0);
    assert.equal(teleportSection(r).counts.changed, 0);
  });

  test('a role edited out of band (threshold lowered to 1) is detected with the exact field', async () => {
    const devops = c.sim.roles().find((x) => x.metadata.name === 'devops')!;
    devops.spec.allow!.request!.thresholds![0]!.approve = 1;
    await c.admin.updateRole(devops);
    const r = await drift();
    const s = teleportSection(r);
    assert.equal(r.exitCode, 2);
    assert.deepEqual(s.findings.filter((f) => f.status !== 'ignored'), [
      { kind: 'role', name: 'devops', status: 'changed', changes: [{ path: 'spec.allow.request.thresholds[0].approve', before: 2, after: 1 }] },
    ]);
    assert.equal(s.counts.changed, 1);
    assert.equal(s.counts.inSync, desired.length - 1);
  });

  test('a user given an extra role is detected', async () => {
    const alice = await c.admin.getUser('alice@example.com');
    await c.admin.updateUser({ ...alice, spec: { ...alice.spec, roles: ['devops', 'dbadmin'] } });
    const r = await drift();
    assert.equal(r.exitCode, 2);
    const f = teleportSection(r).findings.find((x) => x.name === 'alice@example.com');
    assert.deepEqual(f?.changes, [{ path: 'spec.roles', before: ['devops'], after: ['dbadmin', 'devops'] }]);
  });

  test('a deleted role is detected as missing', async () => {
    await c.admin.deleteRole('dbreviewer');
    const r = await drift();
    assert.equal(r.exitCode, 2);
    const s = teleportSection(r);
    assert.deepEqual(
      s.findings.filter((f) => f.status === 'missing').map((f) => `${f.kind}/${f.name}`),
      ['role/dbreviewer'],
    );
    assert.equal(s.counts.missing, 1);
  });

  test('an unmanaged role is reported; built-ins are ignored; --fail-on-unmanaged turns it into drift', async () => {
    await c.admin.upsertRole(role('shadow-admin', { allow: { rules: [{ resources: ['*'], verbs: ['*'] }] } }));
    await c.admin.upsertRole(role('editor', { allow: { rules: [{ resources: ['role'], verbs: ['*'] }] } }));
    const r = await drift();
    const s = teleportSection(r);
    assert.equal(r.exitCode, 0, 'unmanaged alone is not drift by default');
    const byStatus = (st: string) => s.findings.filter((f) => f.status === st).map((f) => `${f.kind}/${f.name}`);
    assert.deepEqual(byStatus('unmanaged'), ['role/shadow-admin']);
    assert.deepEqual(byStatus('ignored'), ['role/drift-reader', 'role/editor', 'role/sim-admin']);
    const strict = await drift({ failOnUnmanaged: true });
    assert.equal(strict.exitCode, 2);
    assert.equal(strict.drift, true);
  });

  test('an unreachable server is an error (exit 1) with a clear message', async () => {
    await c.sim.close();
    const r = await drift();
    const s = teleportSection(r);
    assert.equal(r.exitCode, 1);
    assert.equal(s.state, 'error');
    assert.match(s.reason ?? '', /cannot reach Teleport at 127\.0\.0\.1:\d+ \(--teleport-addr\)/);
  });

  test('an identity from another cluster is an error (exit 1) with a clear message', async () => {
    const foreign = join(c.dir, 'foreign.identity');
    writeFileSync(foreign, formatIdentityFile(c.sim.foreignIdentity('drift-reader', ['drift-reader'])), { mode: 0o600 });
    const r = await drift({ identity: foreign });
    assert.equal(r.exitCode, 1);
    assert.match(teleportSection(r).reason ?? '', /--identity was issued by this cluster/);
  });

  test('a missing or malformed identity file is an error naming --identity', async () => {
    const r = await drift({ identity: join(c.dir, 'nope.identity') });
    assert.equal(r.exitCode, 1);
    assert.match(teleportSection(r).reason ?? '', /^--identity: identity file .*nope\.identity: cannot be read/);
    const junk = join(c.dir, 'junk.identity');
    writeFileSync(junk, 'not an identity\n');
    const r2 = await drift({ identity: junk });
    assert.equal(r2.exitCode, 1);
    assert.match(teleportSection(r2).reason ?? '', /^--identity: /);
  });

  test('an identity that may not list users is an error saying which rules it needs', async () => {
    await c.admin.upsertRole(role('half-reader', { allow: { rules: [{ resources: ['role'], verbs: ['list', 'read'] }] } }));
    const id = join(c.dir, 'half.identity');
    await c.sim.writeIdentity('half-reader', ['half-reader'], id);
    const r = await drift({ identity: id });
    assert.equal(r.exitCode, 1);
    assert.match(teleportSection(r).reason ?? '', /refused listing users .*resources: \[role, user\], verbs: \[list, read\]/);
  });
});
