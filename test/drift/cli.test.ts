/** `dualauth drift` as CI runs it: exit codes 0/2/1, formats, flag errors, and no secret in any output. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RoleResource, TeleportResource } from '../../model';
import { driftCommand, type DriftCliOptions } from '../../cli/commands/drift';
import { DriftReport } from '../../drift/types';
import { startMattermostSimulator, type MattermostSimulator } from '../../simulators/mattermost';
import { apply, Cluster, desiredOrg, HARNESS_IGNORES, runCli, startCluster, tempDir, writeStack } from './helpers';

const desired = desiredOrg();
const stack = writeStack(desired);

function dumpFile(resources: TeleportResource[]): string {
  const f = join(tempDir(), 'live.json');
  writeFileSync(f, JSON.stringify(resources));
  return f;
}

function drifted(): TeleportResource[] {
  const live = JSON.parse(JSON.stringify(desired)) as TeleportResource[];
  (live.find((r) => r.metadata.name === 'devops') as RoleResource).spec.allow!.request!.thresholds![0]!.approve = 1;
  return live;
}

/** driftCommand in-process: the CLI's code path (flags, rendering, scrubbing) without a process per case. */
async function inProcess(stackDir: string, o: Partial<DriftCliOptions>, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await driftCommand(stackDir, { format: 'text', ignore: [], defaultIgnores: true, ...o }, { stdout: (x) => (stdout += x), stderr: (x) => (stderr += x), env });
  return { code, stdout, stderr };
}

describe('dualauth drift (CLI)', () => {
  test('through the binary: exit 0 without drift, 2 with drift, 2 for unmanaged with --fail-on-unmanaged', async () => {
    const clean = dumpFile(desired);
    const dirty = dumpFile(drifted());
    const extra = dumpFile([...desired, { kind: 'role', version: 'v7', metadata: { name: 'shadow' }, spec: {} }]);
    const [ok, text, strict] = await Promise.all([runCli([stack, '--live', clean]), runCli([stack, '--live', dirty]), runCli([stack, '--live', extra, '--fail-on-unmanaged'])]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Result: no drift, exit 0/);
    assert.equal(ok.stderr, '');
    assert.equal(text.code, 2);
    assert.match(text.stdout, /spec\.allow\.request\.thresholds\[0\]\.approve: 2 -> 1/);
    assert.equal(strict.code, 2);
    assert.match(strict.stdout, /\+ role\/shadow unmanaged/);
  });

  test('formats and unmanaged without --fail-on-unmanaged', async () => {
    const dirty = dumpFile(drifted());
    const json = await inProcess(stack, { live: dirty, format: 'json' });
    assert.equal(json.code, 2);
    const report = JSON.parse(json.stdout) as DriftReport;
    assert.deepEqual(report.sections[0]!.findings[0]!.changes, [{ path: 'spec.allow.request.thresholds[0].approve', before: 2, after: 1 }]);
    assert.equal(report.exitCode, 2);
    const md = await inProcess(stack, { live: dirty, format: 'markdown' });
    assert.equal(md.code, 2);
    assert.match(md.stdout, /^## ❌ dualauth drift: drift detected/);
    const extra = dumpFile([...desired, { kind: 'role', version: 'v7', metadata: { name: 'shadow' }, spec: {} }]);
    const unmanaged = await inProcess(stack, { live: extra });
    assert.equal(unmanaged.code, 0);
    assert.match(unmanaged.stdout, /\+ role\/shadow unmanaged/);
    const ignored = await inProcess(stack, { live: extra, ignore: ['sha*'], failOnUnmanaged: true });
    assert.equal(ignored.code, 0, '--ignore takes it out of the unmanaged count');
  });

  test('usage errors from the binary exit 1 (not 2, which means drift)', async () => {
    const clean = dumpFile(desired);
    const cases: [string[], RegExp][] = [
      [[], /missing required argument 'STACK_DIR'/],
      [[stack, '--live', clean, '--format', 'yaml'], /argument 'yaml' is invalid/],
      [[stack, '--live', clean, '--bogus'], /unknown option '--bogus'/],
      [[stack], /say where the live Teleport resources come from: --teleport-addr HOST:PORT --identity FILE, or --live DUMP\.yaml/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 1, `${cases[i]![0].join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, cases[i]![1]);
    });
  });

  test('input errors exit 1 and name the flag or file and the fix', async () => {
    const clean = dumpFile(desired);
    const cases: [string, Partial<DriftCliOptions>, RegExp][] = [
      [join(tempDir(), 'nope'), { live: clean }, /STACK_DIR .*nope is not a directory: give a synthesized stack/],
      [tempDir(), { live: clean }, /teleport\.yaml is missing: STACK_DIR must be a synthesized stack directory/],
      [stack, { live: clean, teleportAddr: 'h:3025', identity: 'x' }, /either --teleport-addr with --identity, or --live/],
      [stack, { teleportAddr: 'h:3025' }, /--teleport-addr needs --identity FILE/],
      [stack, { identity: 'x' }, /--identity needs --teleport-addr HOST:PORT/],
      [stack, { teleportAddr: 'nohost', identity: 'x' }, /--teleport-addr "nohost" is not HOST:PORT/],
      [stack, { live: clean, mattermostUrl: 'http://mm.example' }, /--mattermost-url needs a token in MATTERMOST_TOKEN/],
      [stack, { live: clean, ignore: ['role/a/b'] }, /--ignore "role\/a\/b": expected NAME or KIND\/NAME/],
    ];
    for (const [dir, o, re] of cases) {
      const r = await inProcess(dir, o);
      assert.equal(r.code, 1, `${JSON.stringify(o)}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.match(r.stderr, /^dualauth drift: error: /);
    }
    const noBot = await inProcess(stack, { live: clean, mattermostUrl: 'http://mm.example' }, { MATTERMOST_TOKEN: 'abcdefgh12' });
    assert.equal(noBot.code, 1);
    assert.match(noBot.stderr, /has no mattermost-bot\.json: synthesize a stack with a Mattermost bot, or drop --mattermost-url/);
  });

  describe('against the simulators', () => {
    let c: Cluster;
    let mm: MattermostSimulator;
    before(async () => {
      c = await startCluster();
      await apply(c.admin, desired);
      mm = await startMattermostSimulator();
    });
    after(async () => {
      await c.close();
      await mm.close();
    });

    test('gRPC: exit 0 after apply; unreachable server exits 1 with a clear message', async () => {
      const ignores = HARNESS_IGNORES.flatMap((p) => ['--ignore', p]);
      const [ok, down] = await Promise.all([
        runCli([stack, '--teleport-addr', c.sim.addr, '--identity', c.readerIdentity, ...ignores]),
        runCli([stack, '--teleport-addr', '127.0.0.1:1', '--identity', c.readerIdentity]),
      ]);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /Teleport \(gRPC 127\.0\.0\.1:\d+\): 10 managed, 10 in sync, 2 ignored/);
      assert.equal(down.code, 1);
      assert.match(down.stderr, /dualauth drift: error: teleport: cannot reach Teleport at 127\.0\.0\.1:1 \(--teleport-addr\)/);
      assert.match(down.stdout, /Teleport \(gRPC 127\.0\.0\.1:1\): ERROR: cannot reach Teleport/);
    });

    test('a planted token and the identity key never appear in any output', async () => {
      const token = 'planted-mm-token-7f3a9c2e5b1d';
      const identity = readFileSync(c.readerIdentity, 'utf8');
      // Key and certificate bodies: PEM lines, and the base64 of the SSH certificate and CA keys.
      const keyLines = identity.split(/\s+/).filter((w) => /^[A-Za-z0-9+/=]{40,}$/.test(w));
      assert.ok(keyLines.length > 5);
      // A dump whose server data echoes both secrets back (descriptions are compared, so they reach the diff).
      const leaky = JSON.parse(JSON.stringify(desired)) as TeleportResource[];
      leaky[0]!.metadata.description = `token ${token}`;
      leaky[1]!.metadata.description = identity;
      const leakyDump = dumpFile(leaky);
      const mmStack = writeStack(desired, {
        bot: { apiVersion: 'dualauth.dev/v1', kind: 'MattermostBot', username: 'teleport', displayName: 'T', description: 'd', teams: [], roles: ['system_user'] },
      });
      const env = { MATTERMOST_TOKEN: token };
      const runs = [];
      for (const format of ['text', 'json', 'markdown'] as const) runs.push(await inProcess(mmStack, { live: leakyDump, mattermostUrl: mm.url, format }, env));
      runs.push(
        ...(await Promise.all([
          runCli([mmStack, '--teleport-addr', c.sim.addr, '--identity', c.readerIdentity, '--mattermost-url', mm.url], env),
          runCli([mmStack, '--teleport-addr', '127.0.0.1:1', '--identity', c.readerIdentity, '--mattermost-url', 'http://127.0.0.1:1'], env),
        ])),
      );
      for (const r of runs) {
        assert.equal(r.code, 1, 'Mattermost rejects the planted token');
        const out = r.stdout + r.stderr;
        assert.match(out, /rejected the token in MATTERMOST_TOKEN|cannot reach Mattermost/);
        assert.ok(!out.includes(token), `token leaked:\n${out}`);
        for (const l of keyLines) assert.ok(!out.includes(l.trim().slice(0, 40)), `identity material leaked:\n${out}`);
      }
      assert.match(runs[0]!.stdout, /metadata\.description: \(absent\) -> token \[REDACTED\]\n/);
      assert.match(runs[0]!.stdout, /\[REDACTED PEM\]/);
    });
  });
});
