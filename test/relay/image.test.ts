/**
 * The container image, built without a Docker daemon (relay/image/build-oci.sh: buildah, vfs, FROM
 * scratch, OCI archive), then its root file system run with chroot as the numeric non-root user, with
 * an empty environment: it must start, notify, stop cleanly on SIGTERM and write nothing to its root
 * file system. Skipped where buildah or root (for chroot) is missing.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, postsFor, startWorld, type World } from './helpers';

const ROOT = resolve(__dirname, '..', '..');
const hasBuildah = spawnSync('buildah', ['--version']).status === 0;
const CHROOT = ['/usr/sbin/chroot', '/usr/bin/chroot'].find((p) => existsSync(p));
const isRoot = process.getuid?.() === 0;
const skip = !hasBuildah ? 'buildah is not installed (apt-get install buildah)' : !isRoot || !CHROOT ? 'chroot (as root) is not available' : false;

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(`${p.slice(dir.length)} ${e.isDirectory() ? 'd' : statSync(p).size}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('relay image: daemonless build, run with chroot', { skip }, () => {
  let w: World;
  let storage: string;
  let archive: string;
  const tag = 'localhost/dualauth-relay:test';
  const b = (...args: string[]) => execFileSync('buildah', ['--storage-driver', 'vfs', '--root', storage, '--runroot', join(storage, 'run'), ...args], { encoding: 'utf8' }).trim();

  before(async () => {
    storage = mkdtempSync(join(tmpdir(), 'relay-buildah-'));
    archive = join(storage, 'relay.oci.tar');
    execFileSync(join(ROOT, 'relay', 'image', 'build-oci.sh'), [archive], { env: { ...process.env, TAG: tag, BUILDAH_STORAGE: storage }, stdio: 'pipe' });
    w = await startWorld();
  });
  after(async () => {
    await w?.close();
    try {
      b('rm', '--all');
      b('rmi', '--all', '--force');
    } catch {
      // best effort
    }
    rmSync(storage, { recursive: true, force: true });
  });

  it('is an OCI archive with a numeric non-root user and an exec-form entrypoint', () => {
    assert.ok(statSync(archive).size > 1_000_000);
    const cfg = (JSON.parse(b('inspect', '--type', 'image', tag)) as { OCIv1: { config: { User: string; Entrypoint: string[]; Cmd: string[] } } }).OCIv1.config;
    assert.equal(cfg.User, '65532:65532');
    assert.deepEqual(cfg.Entrypoint, ['/nodejs/bin/node', '/app/main.js']);
    assert.deepEqual(cfg.Cmd, ['start', '--config', '/etc/teleport-mattermost.toml']);
  });

  it('starts from its root file system, notifies, stops on SIGTERM, writes nothing', async () => {
    const ctr = b('from', tag);
    const mnt = b('mount', ctr);
    try {
      // The files a Kubernetes pod would mount: config, identity and token, readable by uid 65532.
      const secrets = join(mnt, 'var', 'lib', 'teleport', 'plugins', 'mattermost');
      mkdirSync(secrets, { recursive: true });
      for (const [src, name] of [[w.identityFile, 'auth_id'], [w.tokenFile, 'mattermost_token']] as const) {
        copyFileSync(src, join(secrets, name));
        chownSync(join(secrets, name), 65532, 65532);
        chmodSync(join(secrets, name), 0o600);
      }
      const text = readFileSync(w.writeConfig('', 'image.toml'), 'utf8').replace(w.identityFile, '/var/lib/teleport/plugins/mattermost/auth_id').replace(w.tokenFile, '/var/lib/teleport/plugins/mattermost/mattermost_token');
      writeFileSync(join(mnt, 'etc', 'teleport-mattermost.toml'), text);
      const before = listing(mnt);

      // An empty environment: nothing from the host leaks in.
      const child = spawn(CHROOT!, ['--userspec=65532:65532', mnt, '/nodejs/bin/node', '/app/main.js', 'relay', 'start', '--config', '/etc/teleport-mattermost.toml'], { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
      let logs = '';
      child.stderr.on('data', (d) => (logs += d));
      child.stdout.on('data', (d) => (logs += d));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      try {
        const health = await eventually(() => /"health":"(http:[^"]+)"/.exec(logs)?.[1], 10_000, `started: ${logs}`);
        await eventually(async () => (await fetch(`${health}/readyz`)).status === 200, 5000, 'ready');
        const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'from the image');
        await eventually(() => postsFor(w.rootPosts(), req.id).size === 4, 5000, 'notified');
        child.kill('SIGTERM');
        assert.equal(await exited, 0, logs);
        assert.match(logs, /Relay stopped/);
      } finally {
        child.kill('SIGKILL');
      }
      assert.deepEqual(listing(mnt), before, 'the root file system is unchanged');
    } finally {
      b('umount', ctr);
      b('rm', ctr);
    }
  });
});
