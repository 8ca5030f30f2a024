// The built-in stack reproduces the guide: compared byte for byte with golden files, and synthesized
// twice (from two working directories) to the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { buildApp, GUIDE_STACK_ID } from '../../stacks/main';
import { tempDir } from './helpers';

const GOLDEN = path.join(__dirname, 'golden');
const ROOT = path.resolve(__dirname, '../..');
const FILES = ['teleport.yaml', 'cdk.tf.json'];

function synth(outdir: string): string {
  // an empty env: defaults only, whatever the developer's shell has set
  buildApp({ outdir, env: {} }).synth();
  return path.join(outdir, 'stacks', GUIDE_STACK_ID);
}

test('the seed stack matches the golden YAML and Terraform JSON', () => {
  const dir = synth(path.join(tempDir(), 'cdktf.out'));
  for (const f of FILES) {
    const got = fs.readFileSync(path.join(dir, f), 'utf8');
    const file = path.join(GOLDEN, f.replace(/\.json$/, '.golden.json').replace(/\.yaml$/, '.golden.yaml'));
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, got);
    assert.equal(got, fs.readFileSync(file, 'utf8'), `${f} differs from ${path.relative(ROOT, file)} (UPDATE_GOLDEN=1 rewrites it)`);
  }
});

test('synthesis is deterministic across runs and working directories', () => {
  const a = tempDir();
  const b = tempDir();
  const run = (cwd: string) =>
    execFileSync(process.execPath, ['--import', pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, path.join(ROOT, 'stacks/main.ts')], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_PATH: path.join(ROOT, 'node_modules') },
    });
  run(a);
  run(b);
  const filesA = fs.readdirSync(path.join(a, 'cdktf.out'), { recursive: true }) as string[];
  assert.ok(filesA.includes(path.join('stacks', GUIDE_STACK_ID, 'teleport.yaml')));
  for (const f of filesA) {
    const pa = path.join(a, 'cdktf.out', f);
    if (fs.statSync(pa).isDirectory()) continue;
    assert.ok(fs.readFileSync(pa).equals(fs.readFileSync(path.join(b, 'cdktf.out', f))), `${f} differs between runs`);
    assert.ok(!fs.readFileSync(pa, 'utf8').includes(a), `${f} contains the absolute output path`);
  }
});

test('a failing synth leaves an earlier output untouched', () => {
  const outdir = path.join(tempDir(), 'cdktf.out');
  const dir = synth(outdir);
  const before = fs.readFileSync(path.join(dir, 'teleport.yaml'));
  assert.throws(() => buildApp({ outdir, env: { DUALAUTH_TELEPORT_VERSION: '15.4', DUALAUTH_OPERATOR_USER: 'bad user/name' } }).synth(), /not a valid Teleport name|impersonate/);
  assert.ok(fs.readFileSync(path.join(dir, 'teleport.yaml')).equals(before));
  assert.deepEqual(fs.readdirSync(path.dirname(outdir)).filter((f) => f.startsWith('.dualauth-synth-')), [], 'scratch directory removed');
});
