/**
 * The self-contained bundle (`npm run build:relay`) run as the container runs it: plain node, from a
 * directory with no node_modules anywhere above it. Also the exit codes and messages of bad configs,
 * and a clean stop on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, postsFor, startWorld, type World } from './helpers';

const ROOT = resolve(__dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, cmd, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

describe('relay bundle (dist/relay) without node_modules', () => {
  let w: World;
  let app: string;
  before(async () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'relay', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    app = mkdtempSync(join(tmpdir(), 'relay-bundle-'));
    cpSync(join(ROOT, 'dist', 'relay'), app, { recursive: true });
    w = await startWorld();
  });
  after(async () => {
    await w.close();
    rmSync(app, { recursive: true, force: true });
  });

  it('is a lone directory: main.js, protos, templates, no node_modules', () => {
    assert.ok(existsSync(join(app, 'main.js')));
    assert.ok(existsSync(join(app, 'proto', 'teleport', 'legacy', 'client', 'proto', 'authservice.proto')));
    assert.ok(existsSync(join(app, 'templates', 'root.hbs')));
    for (let dir = app; dir !== '/'; dir = resolve(dir, '..')) assert.ok(!existsSync(join(dir, 'node_modules')), `node_modules found in ${dir}`);
  });

  it('check-config accepts a good config', async () => {
    const r = await run(['main.js', 'check-config', '--config', w.writeConfig()], app);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /OK \(Teleport 127\.0\.0\.1:\d+ as access-plugin/);
  });

  describe('bad configs exit non-zero with the key named', () => {
    const write = (name: string, text: string) => {
      const path = join(w.dir, name);
      writeFileSync(path, text);
      return path;
    };
    const good = () => ({ teleport: `addr = "${w.teleport.addr}"\nidentity = "${w.identityFile}"`, mattermost: `url = "${w.mattermost.url}"\ntoken = "${w.tokenFile}"` });
    const toml = (t: { teleport: string; mattermost: string }, rest = '') => `[teleport]\n${t.teleport}\n\n[mattermost]\n${t.mattermost}\n${rest}\n[relay]\nlisten_addr = ""\n`;
    const cases: [string, () => string, RegExp][] = [
      ['no credentials in [teleport]', () => write('nocreds.toml', toml({ ...good(), teleport: `addr = "${w.teleport.addr}"` })), /teleport: no credentials configured/],
      ['unreadable identity file', () => write('noid.toml', toml({ ...good(), teleport: `addr = "${w.teleport.addr}"\nidentity = "${join(w.dir, 'missing_id')}"` })), /teleport\.identity: .*missing_id: cannot be read \(ENOENT\)/],
      [
        'identity that does not parse',
        () => {
          writeFileSync(join(w.dir, 'bad_id'), '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n');
          return write('badid.toml', toml({ ...good(), teleport: `addr = "${w.teleport.addr}"\nidentity = "${join(w.dir, 'bad_id')}"` }));
        },
        /teleport\.identity: .*bad_id: the private key is missing/,
      ],
      ['Mattermost URL without scheme', () => write('noscheme.toml', toml({ ...good(), mattermost: `url = "${w.mattermost.url.replace('http://', '')}"\ntoken = "${w.tokenFile}"` })), /mattermost\.url: must start with https:\/\//],
      ['unknown recipient', () => write('unknown.toml', toml(good(), '[role_to_recipients]\ndbadmin = ["alice@example.com", "nobody@example.com"]')), /role_to_recipients\.dbadmin: recipient "nobody@example\.com": no Mattermost user has this email/],
      ['bad Mattermost token', () => write('badtoken.toml', toml({ ...good(), mattermost: `url = "${w.mattermost.url}"\ntoken = "not-a-valid-token-at-all"` })), /mattermost\.token: Mattermost at .* rejected the token \(401\)/],
    ];
    for (const [name, make, message] of cases) {
      it(name, async () => {
        const r = await run(['main.js', 'start', '--config', make()], app);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, message);
        for (const secret of [readFileSync(w.tokenFile, 'utf8').trim(), 'not-a-valid-token-at-all']) assert.ok(!r.stderr.includes(secret), 'the token is never printed');
      });
    }

    it('the same through `dualauth relay start`', async () => {
      const r = await run([join(ROOT, 'bin', 'dualauth.js'), 'relay', 'start', '--config', write('nocreds2.toml', toml({ ...good(), teleport: 'addr = "a.example.com:3025"' }))], ROOT);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /teleport: no credentials configured/);
    });
  });

  it('runs, notifies, and stops cleanly on SIGTERM', async () => {
    const config = w.writeConfig('', 'bundle.toml');
    const child: ChildProcess = spawn(process.execPath, ['main.js', 'start', '--config', config], { cwd: app, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    child.stderr!.on('data', (d) => (logs += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    try {
      const healthUrl = await eventually(() => /"health":"(http:[^"]+)"/.exec(logs)?.[1], 10_000, 'started');
      await eventually(async () => (await fetch(`${healthUrl}/readyz`)).status === 200, 5000, 'ready');
      const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'from the bundle');
      await eventually(() => postsFor(w.rootPosts(), req.id).size === 4, 5000, 'notified');
      await eventually(async () => /dualauth_relay_requests_announced_total [1-9]/.test(await (await fetch(`${healthUrl}/metrics`)).text()), 5000, 'metric');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, logs);
      assert.match(logs, /"msg":"Relay stopped"/);
      for (const line of logs.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), `not a JSON log line: ${line}`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
