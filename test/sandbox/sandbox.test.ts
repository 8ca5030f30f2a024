// `dualauth sandbox` as a user runs it: start it, run the three commands it prints (mattermost apply, relay
// start, drift) and the tsh-like request/review against it, then Ctrl-C (SIGINT): it exits 0 and leaves
// nothing listening. Every wait is on an output line or a process exit, never on time.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { SandboxInfo } from '../../sandbox/sandbox';

const REPO = resolve(__dirname, '..', '..');
const BIN = join(REPO, 'bin', 'dualauth.js');
const started: ChildProcess[] = [];
after(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

interface Running {
  proc: ChildProcess;
  output: () => string;
  /** Resolves when a line matching re has appeared on stdout or stderr; rejects if the process exits first. */
  line: (re: RegExp) => Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let text = '';
  const waiters: { re: RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const hit = text.split('\n').find((l) => w.re.test(l));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  for (const s of [proc.stdout, proc.stderr]) s?.on('data', (d: Buffer) => ((text += d.toString()), check()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    proc.on('exit', (code, signal) => {
      // let the last output land before failing the waiters
      setImmediate(() => {
        check();
        for (const w of waiters.splice(0)) w.reject(new Error(`process exited (${code ?? signal}) before ${w.re}:\n${text}`));
        res({ code, signal });
      });
    });
  });
  return {
    proc,
    output: () => text,
    line: (re) => new Promise((resolveLine, reject) => (waiters.push({ re, resolve: resolveLine, reject }), check())),
    exit,
  };
}

async function finished(r: Running): Promise<string> {
  const { code } = await r.exit;
  assert.equal(code, 0, r.output());
  return r.output();
}

function refused(addr: string): Promise<boolean> {
  const [host, port] = addr.replace(/^https?:\/\//, '').split(':') as [string, string];
  return new Promise((res) => {
    const sock = connect(Number(port), host);
    sock.once('connect', () => (sock.destroy(), res(false)));
    sock.once('error', () => res(true));
  });
}

test('the sandbox serves relay start, mattermost apply and drift, and exits cleanly on SIGINT', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dualauth-sandbox-test-'));
  try {
    const sandbox = run(['sandbox', '--dir', dir]);
    await sandbox.line(/^Sandbox running; press Ctrl-C to stop\.$/);
    const info = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')) as SandboxInfo;
    assert.equal(statSync(info.adminTokenFile).mode & 0o777, 0o600);
    const adminToken = readFileSync(info.adminTokenFile, 'utf8');
    assert.ok(!sandbox.output().includes(adminToken), 'no token is printed');
    for (const cmd of ['mattermost apply', 'relay start', 'drift', 'sandbox request', 'sandbox review']) assert.ok(sandbox.output().includes(`npx dualauth ${cmd}`), cmd);

    // 1. the bot, its team, its channel and its token
    const env = { MATTERMOST_TOKEN: adminToken };
    const applied = await finished(run(['mattermost', 'apply', '--bot', info.botFile, '--url', info.mattermostUrl, '--create-token', '--token-out', info.botTokenFile], env));
    assert.match(applied, new RegExp(`\\+ join channel ${info.channel}`));

    // 2. the relay announces bob's request and follows the reviews to APPROVED
    const relay = run(['relay', 'start', '--config', info.relayConfig]);
    await relay.line(/"msg":"Relay started"/);
    const created = await finished(run(['sandbox', 'request', '--dir', dir, '--user', 'bob@example.com', '--roles', 'dbadmin', '--reason', 'Rotate the prod DB password']));
    const id = /^Request (\S+) by bob@example\.com for dbadmin is PENDING$/m.exec(created)?.[1];
    assert.ok(id, created);
    await relay.line(/"msg":"Request announced".*"posts":2/);
    await finished(run(['sandbox', 'review', id, '--dir', dir, '--user', 'alice@example.com', '--approve']));
    const second = await finished(run(['sandbox', 'review', id, '--dir', dir, '--user', 'ivan', '--approve', '--reason', 'Go ahead']));
    assert.match(second, /is APPROVED$/m);
    await relay.line(/"msg":"Request resolved".*"resolution":"APPROVED"/);
    relay.proc.kill('SIGINT');
    assert.equal((await relay.exit).code, 0);

    // 3. drift: in sync on both systems
    const drift = await finished(
      run(['drift', info.stackDir, '--teleport-addr', info.teleportAddr, '--identity', info.identities['drift-reader'] as string, '--mattermost-url', info.mattermostUrl, '--ignore', 'drift-reader'], env),
    );
    assert.match(drift, /Result: no drift, exit 0/);

    // Ctrl-C
    sandbox.proc.kill('SIGINT');
    const end = await sandbox.exit;
    assert.equal(end.code, 0, sandbox.output());
    assert.match(sandbox.output(), /^Sandbox stopped\.$/m);
    assert.equal(await refused(info.teleportAddr), true, 'Teleport simulator closed');
    assert.equal(await refused(info.mattermostUrl), true, 'Mattermost simulator closed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
