// `dualauth init` makes a project that works with this package installed the way a user gets it: the
// package is packed (npm pack, compiled JavaScript only, no TypeScript sources, no tsx) and installed
// into the project's node_modules without the network (its dependencies linked from ours, since the
// npm cache here cannot serve them offline). `cdktf synth` and `dualauth synth` then write the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { readTree } from './tree';

const ROOT = path.resolve(__dirname, '../..');
const NM = path.join(ROOT, 'node_modules');

/** A package copy with a fresh build, packed with npm pack: the tarball a user installs. */
function packTarball(tmp: string): string {
  const pkg = path.join(tmp, 'pkg');
  fs.mkdirSync(pkg);
  for (const f of ['package.json', 'README.md']) fs.copyFileSync(path.join(ROOT, f), path.join(pkg, f));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
  fs.symlinkSync(NM, path.join(pkg, 'node_modules')); // for the build; npm pack never packs node_modules
  execFileSync(process.execPath, [path.join(ROOT, 'cli/build.mjs'), '--outdir', path.join(pkg, 'dist/cjs'), '--no-types'], { stdio: 'pipe' });
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--offline', '--json', '--pack-destination', tmp], { cwd: pkg, encoding: 'utf8' });
  return path.join(tmp, (JSON.parse(out) as { filename: string }[])[0].filename);
}

/** Installs the tarball as node_modules/dualauth and links every other dependency from ours. */
function installOffline(project: string, tarball: string): void {
  const nm = path.join(project, 'node_modules');
  fs.mkdirSync(path.join(nm, 'dualauth'), { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', path.join(nm, 'dualauth'), '--strip-components=1']);
  for (const e of fs.readdirSync(NM)) {
    if (e === 'dualauth' || e.startsWith('.')) continue;
    fs.symlinkSync(path.join(NM, e), path.join(nm, e));
  }
  fs.mkdirSync(path.join(nm, '.bin'));
  fs.symlinkSync(fs.realpathSync(path.join(NM, '.bin/cdktf')), path.join(nm, '.bin/cdktf'));
  fs.symlinkSync('../dualauth/bin/dualauth.js', path.join(nm, '.bin/dualauth'));
}

test('dualauth init, install from the working tree, cdktf synth and dualauth synth with context from the shell: the same bytes, with teleport.yaml', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-init-'));
  const project = path.join(tmp, 'acme-access');
  const tarball = packTarball(tmp);
  const init = spawnSync(process.execPath, [path.join(ROOT, 'bin/dualauth.js'), 'init', project, '--package', `file:${tarball}`], { encoding: 'utf8' });
  assert.equal(init.status, 0, init.stderr);
  for (const f of ['cdktf.json', 'package.json', 'stacks/main.ts', 'README.md', '.gitignore']) assert.ok(fs.existsSync(path.join(project, f)), f);
  assert.equal((JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.dualauth, `file:${tarball}`);

  installOffline(project, tarball);
  const installed = path.join(project, 'node_modules/dualauth');
  const shipped = fs.readdirSync(installed, { recursive: true }) as string[];
  assert.ok(shipped.includes(path.join('dist', 'cjs', 'cli', 'main.js')), 'compiled CLI shipped');
  assert.deepEqual(shipped.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), [], 'no TypeScript sources shipped');

  // context from the shell, the way cdktf takes it (the project's cdktf.json has no "context"): both CLIs must apply it
  const env = {
    PATH: `${path.join(project, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? tmp,
    CHECKPOINT_DISABLE: '1',
    DISABLE_VERSION_CHECK: '1',
    CDKTF_CONTEXT_JSON: JSON.stringify({ teleportVersion: '18' }),
  };
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: project, encoding: 'utf8', env });
    return { ...r, output: `${r.stdout}\n${r.stderr}` };
  };
  const viaCdktf = run(path.join(project, 'node_modules/.bin/cdktf'), ['synth']);
  assert.equal(viaCdktf.status, 0, viaCdktf.output);
  const a = readTree(path.join(project, 'cdktf.out'));
  fs.rmSync(path.join(project, 'cdktf.out'), { recursive: true });
  // the installed package's own bin, compiled JavaScript (no tsx in the package)
  const viaUs = run(process.execPath, [path.join(installed, 'bin/dualauth.js'), 'synth']);
  assert.equal(viaUs.status, 0, viaUs.output);
  assert.match(viaUs.stdout, /synthesized stack dual-authorization into cdktf\.out\/stacks\/dual-authorization/);
  const b = readTree(path.join(project, 'cdktf.out'));
  assert.ok(a['stacks/dual-authorization/teleport.yaml'], 'teleport.yaml written');
  assert.match(a['stacks/dual-authorization/teleport.yaml'], /name: dbadmin/);
  assert.match(a['stacks/dual-authorization/teleport.yaml'], /version: v8/, 'teleportVersion 18 from CDKTF_CONTEXT_JSON');
  assert.deepEqual(b, a);

  const review = run(process.execPath, [path.join(installed, 'bin/dualauth.js'), 'review', 'cdktf.out/stacks/dual-authorization', '--format', 'json']);
  assert.ok(review.status === 0 || review.status === 1, review.output);
  assert.ok(Array.isArray((JSON.parse(review.stdout) as { findings: unknown[] }).findings));
  // drift against a dump equal to the desired state: no drift (exit 0)
  const drift = run(process.execPath, [path.join(installed, 'bin/dualauth.js'), 'drift', 'cdktf.out/stacks/dual-authorization', '--live', 'cdktf.out/stacks/dual-authorization/teleport.yaml', '--skip-terraform']);
  assert.equal(drift.status, 0, drift.output);
  assert.deepEqual(fs.readdirSync(project).filter((f) => f.startsWith('.dualauth-')), [], 'no scratch left');
});

test('dualauth init refuses a directory that is not empty', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-init-'));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/dualauth.js'), 'init', dir], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /is not empty \(notes\.txt\): give a new or empty directory/);
  assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
});
