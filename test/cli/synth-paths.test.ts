// One resolution of settings for every synth path: `cdktf synth`, `cdktf synth` with context from the
// shell (CDKTF_CONTEXT_JSON, the way cdktf takes it; checked in init.test.ts), `dualauth synth` (and
// `npm run synth:fast`, which is `dualauth synth`) produce byte-identical output trees for the same
// cdktf.json and environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { readTree } from './tree';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/dualauth.js');
const CDKTF = path.join(ROOT, 'node_modules/.bin/cdktf');
const APP = `node --import ${pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href} ${path.join(ROOT, 'stacks/main.ts')}`;

function project(cdktfJson: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-paths-'));
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: APP, output: 'cdktf.out', ...cdktfJson }, null, 2));
  return dir;
}

function run(cwd: string, cmd: string, args: string[], env: Record<string, string>, outdir: string): { tree: Record<string, string>; output: string } {
  fs.rmSync(path.join(cwd, outdir), { recursive: true, force: true });
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', ...env } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return { tree: readTree(path.join(cwd, outdir)), output: r.stdout + r.stderr };
}

test('npm run synth:fast is dualauth synth, and npm run synth turns the cdktf version check off', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts['synth:fast'], 'node bin/dualauth.js synth');
  assert.match(scripts.synth, /CHECKPOINT_DISABLE=1 .*cdktf synth/);
});

test('cdktf.json context: cdktf synth and dualauth synth write the same bytes (v8 roles for Teleport 18)', () => {
  const dir = project({ context: { teleportVersion: '18', teamName: 'ops' } });
  const env = { DUALAUTH_PLUGIN_REPLICAS: '2', DUALAUTH_MATTERMOST_TEAM: 'ignored-because-context-wins' };
  const viaCdktf = run(dir, CDKTF, ['synth'], env, 'cdktf.out');
  const viaUs = run(dir, process.execPath, [BIN, 'synth'], env, 'cdktf.out');
  assert.deepEqual(Object.keys(viaUs.tree), Object.keys(viaCdktf.tree));
  assert.deepEqual(viaUs.tree, viaCdktf.tree);
  const yaml = viaUs.tree['stacks/dual-authorization/teleport.yaml'];
  assert.match(yaml, /kind: role\nmetadata:\n  name: dbadmin\n[\s\S]*?version: v8/);
  assert.doesNotMatch(yaml, /version: v5/);
  assert.match(viaUs.tree['stacks/dual-authorization/mattermost-bot.json'], /"ops"/);
  assert.match(viaUs.tree['stacks/dual-authorization/cdk.tf.json'], /"replicas": "2"|"replicas": 2/);
  assert.doesNotMatch(viaCdktf.output, /ENOTFOUND|checkpoint/i, 'the version check stays quiet');
});

// cdktf synth with CDKTF_CONTEXT_JSON from the shell against dualauth synth: test/cli/init.test.ts (in a
// `dualauth init` project, saving a third run of the slow cdktf CLI here)
test('dualauth synth -c gives the same bytes as CDKTF_CONTEXT_JSON from the shell', () => {
  const dir = project({});
  const ctx = { CDKTF_CONTEXT_JSON: JSON.stringify({ teleportVersion: '18', botUsername: 'teleport-bot' }) };
  const viaEnv = run(dir, process.execPath, [BIN, 'synth', '-o', 'out-a'], ctx, 'out-a');
  const viaFlags = run(dir, process.execPath, [BIN, 'synth', '-o', 'out-a', '-c', 'teleportVersion=18', '-c', 'botUsername=teleport-bot'], {}, 'out-a');
  assert.deepEqual(viaFlags.tree, viaEnv.tree);
  assert.match(viaEnv.tree['stacks/dual-authorization/teleport.yaml'], /version: v8/);
  assert.match(viaEnv.tree['stacks/dual-authorization/mattermost-bot.json'], /"teleport-bot"/);
});

test('dualauth synth says when CDKTF_CONTEXT_JSON is overridden by cdktf.json, as cdktf does silently', () => {
  const dir = project({ context: { teleportVersion: '15.4' } });
  const r = run(dir, process.execPath, [BIN, 'synth'], { CDKTF_CONTEXT_JSON: '{"teleportVersion":"18"}' }, 'cdktf.out');
  assert.match(r.output, /note: CDKTF_CONTEXT_JSON is ignored because cdktf\.json has a "context"/);
  assert.match(r.tree['stacks/dual-authorization/teleport.yaml'], /version: v5/);
});

test('dualauth synth: no cdktf.json, a failing app, an output path that is a file', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-paths-'));
  const r1 = spawnSync(process.execPath, [BIN, 'synth'], { cwd: empty, encoding: 'utf8' });
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /no cdktf\.json in .*dualauth init/);
  const dir = project({});
  fs.writeFileSync(path.join(dir, 'out.txt'), 'x');
  const r2 = spawnSync(process.execPath, [BIN, 'synth', '-o', 'out.txt'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /out\.txt is a file, not a directory: .*Remove or rename the file, or give another output directory/);
  assert.doesNotMatch(r2.stderr, /^EEXIST/m);
  assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), 'x');
  const r3 = spawnSync(process.execPath, [BIN, 'synth', '--app', 'node -e "process.exit(0)"'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r3.status, 1);
  assert.match(r3.stderr, /wrote no .*manifest\.json: it must call app\.synth\(\)/);
});
