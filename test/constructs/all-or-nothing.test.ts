// Synthesis writes all of the output or none of it: nothing before synth(), one new directory beside
// the output switched in by rename, Terraform's own files kept, the old output intact on any failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, App } from 'cdktf';
import { DualAuthStack, TeleportRole, createDualAuthApp, resolveOutdir, SCRATCH_PREFIX } from '../../constructs';
import { switchOutput } from '../../constructs/output-switch';
import { buildApp, GUIDE_STACK_ID } from '../../stacks/main';
import { tempDir } from './helpers';

/** Every file under `dir` with its bytes, for byte-for-byte comparison of whole trees. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = path.join(dir, f);
    out[f] = fs.statSync(p).isDirectory() ? '<dir>' : fs.readFileSync(p, 'base64');
  }
  return out;
}

const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('.dualauth-'));

test('errors before synth() (bad settings) create nothing: no output, no scratch directory', () => {
  const root = tempDir();
  const outdir = path.join(root, 'cdktf.out');
  assert.throws(() => buildApp({ outdir, env: { DUALAUTH_PLUGIN_REPLICAS: 'many' } }), /replicas .*DUALAUTH_PLUGIN_REPLICAS/);
  assert.throws(() => buildApp({ outdir, env: { DUALAUTH_TELEPORT_VERSION: 'garbage' } }));
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a duplicate construct id fails before synth and leaves nothing behind', () => {
  const root = tempDir();
  const da = createDualAuthApp({ outdir: path.join(root, 'cdktf.out') });
  const stack = new DualAuthStack(da.app, 's', { teleportVersion: '15.4' });
  new TeleportRole(stack, 'R', { name: 'r' });
  assert.throws(() => new TeleportRole(stack, 'R', { name: 'r2' }), /There is already a Construct with name 'R'/);
  assert.deepEqual(fs.readdirSync(root), []);
});

test('Terraform files of a stack directory survive a new synthesis; stale generated files do not', () => {
  const outdir = path.join(tempDir(), 'cdktf.out');
  buildApp({ outdir, env: {} }).synth();
  const stackDir = path.join(outdir, 'stacks', GUIDE_STACK_ID);
  fs.mkdirSync(path.join(stackDir, '.terraform', 'providers'), { recursive: true });
  fs.writeFileSync(path.join(stackDir, '.terraform', 'providers', 'p'), 'provider');
  fs.writeFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'lock');
  fs.writeFileSync(path.join(stackDir, `terraform.${GUIDE_STACK_ID}.tfstate`), '{"state":1}');
  fs.writeFileSync(path.join(stackDir, 'teleport', 'role-gone.yaml'), 'stale');
  buildApp({ outdir, env: {} }).synth();
  assert.equal(fs.readFileSync(path.join(stackDir, '.terraform', 'providers', 'p'), 'utf8'), 'provider');
  assert.equal(fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf8'), 'lock');
  assert.equal(fs.readFileSync(path.join(stackDir, `terraform.${GUIDE_STACK_ID}.tfstate`), 'utf8'), '{"state":1}');
  assert.ok(!fs.existsSync(path.join(stackDir, 'teleport', 'role-gone.yaml')));
  assert.ok(fs.existsSync(path.join(stackDir, 'teleport.yaml')));
  assert.deepEqual(leftovers(path.dirname(outdir)), []);
});

test('a validation failure leaves the previous output byte-identical and no scratch directory', () => {
  const outdir = path.join(tempDir(), 'cdktf.out');
  buildApp({ outdir, env: {} }).synth();
  fs.writeFileSync(path.join(outdir, 'stacks', GUIDE_STACK_ID, 'terraform.tfstate'), 'state');
  const before = snapshot(outdir);
  assert.throws(() => buildApp({ outdir, env: { DUALAUTH_OPERATOR_USER: 'bad user/name' } }).synth());
  assert.deepEqual(snapshot(outdir), before);
  assert.deepEqual(leftovers(path.dirname(outdir)), []);
});

test('an output path that is a file gets a message naming it and the fix; the file is untouched', () => {
  const root = tempDir();
  const file = path.join(root, 'out.txt');
  fs.writeFileSync(file, 'mine');
  const da = buildApp({ outdir: file, env: {} });
  assert.throws(() => da.synth(), (err: Error) => {
    assert.match(err.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a file, not a directory`));
    assert.match(err.message, /give another output directory \(dualauth synth -o DIR/);
    return true;
  });
  assert.equal(fs.readFileSync(file, 'utf8'), 'mine');
  assert.deepEqual(fs.readdirSync(root), ['out.txt']);
});

for (const failAt of [1, 2, 3, 4]) {
  test(`switching the output in: a failing rename (step ${failAt}) restores the old output exactly`, () => {
    const root = tempDir();
    const target = path.join(root, 'cdktf.out');
    const next = path.join(root, `${SCRATCH_PREFIX}x`);
    const write = (p: string, c: string) => (fs.mkdirSync(path.dirname(p), { recursive: true }), fs.writeFileSync(p, c));
    write(path.join(target, 'manifest.json'), 'old manifest');
    write(path.join(target, 'stacks/a/cdk.tf.json'), 'old tf');
    write(path.join(target, 'stacks/a/teleport.yaml'), 'old yaml');
    write(path.join(target, 'stacks/a/.terraform/plugins/x'), 'plugin');
    write(path.join(target, 'stacks/a/terraform.a.tfstate'), 'state');
    write(path.join(next, 'manifest.json'), 'new manifest');
    write(path.join(next, 'stacks/a/cdk.tf.json'), 'new tf');
    write(path.join(next, 'stacks/a/teleport.yaml'), 'new yaml');
    const before = snapshot(target);
    let calls = 0;
    const rename = (from: string, to: string) => {
      calls++;
      if (calls === failAt) throw Object.assign(new Error('injected'), { code: 'ENOSPC' });
      fs.renameSync(from, to);
    };
    // renames in order: .terraform, state file, target -> old, next -> target
    assert.throws(() => switchOutput(next, target, rename), /injected/);
    assert.deepEqual(snapshot(target), before);
    assert.equal(fs.readFileSync(path.join(next, 'stacks/a/teleport.yaml'), 'utf8'), 'new yaml');
    assert.deepEqual(leftovers(root).filter((f) => !f.startsWith(SCRATCH_PREFIX)), [], 'no old-tree directory left');
  });
}

test('switching the output in keeps Terraform files and replaces every generated file', () => {
  const root = tempDir();
  const target = path.join(root, 'out');
  const next = path.join(root, 'next');
  fs.mkdirSync(path.join(target, 'stacks/a/.terraform'), { recursive: true });
  fs.writeFileSync(path.join(target, 'stacks/a/cdk.tf.json'), 'old');
  fs.writeFileSync(path.join(target, 'stacks/a/.terraform/x'), 'x');
  fs.mkdirSync(path.join(next, 'stacks/a'), { recursive: true });
  fs.writeFileSync(path.join(next, 'stacks/a/cdk.tf.json'), 'new');
  switchOutput(next, target);
  assert.deepEqual(snapshot(target), { stacks: '<dir>', 'stacks/a': '<dir>', 'stacks/a/.terraform': '<dir>', 'stacks/a/.terraform/x': Buffer.from('x').toString('base64'), 'stacks/a/cdk.tf.json': Buffer.from('new').toString('base64') });
  assert.deepEqual(fs.readdirSync(root), ['out']);
});

test('a plain cdktf App with a DualAuthStack gets teleport.yaml from the stack\'s own synthesizer', () => {
  const plainOut = path.join(tempDir(), 'cdktf.out');
  const app = new App({ outdir: plainOut, stackTraces: false });
  const stack = new DualAuthStack(app, 'mine', { teleportVersion: '15.4' });
  new TeleportRole(stack, 'Viewer', { name: 'viewer', allow: { logins: ['viewer'] } });
  app.synth();
  const ours = createDualAuthApp({ outdir: path.join(tempDir(), 'cdktf.out') });
  const stack2 = new DualAuthStack(ours.app, 'mine', { teleportVersion: '15.4' });
  new TeleportRole(stack2, 'Viewer', { name: 'viewer', allow: { logins: ['viewer'] } });
  const oursOut = ours.synth();
  const yaml = fs.readFileSync(path.join(plainOut, 'stacks/mine/teleport.yaml'), 'utf8');
  assert.match(yaml, /name: viewer/);
  assert.deepEqual(snapshot(plainOut), snapshot(oursOut));
});

test('under the cdktf CLI (error annotations do not throw there) an error annotation still keeps the old output', () => {
  const outdir = path.join(tempDir(), 'cdktf.out');
  buildApp({ outdir, env: {} }).synth();
  const before = snapshot(outdir);
  const saved = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  try {
    const da = createDualAuthApp({ outdir });
    const stack = new DualAuthStack(da.app, GUIDE_STACK_ID, { teleportVersion: '15.4' });
    const role = new TeleportRole(stack, 'R', { name: 'r' });
    Annotations.of(role).addError('planted error');
    assert.throws(() => da.synth(), /synthesis found errors; .*cdktf\.out was left as it was:\n\[dual-authorization\/R\] planted error/);
  } finally {
    if (saved === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = saved;
  }
  assert.deepEqual(snapshot(outdir), before);
  assert.deepEqual(leftovers(path.dirname(outdir)), []);
});

test('the output directory: a CLI\'s CDKTF_OUTDIR (cdktf synth -o) wins over the app\'s outdir', () => {
  assert.equal(resolveOutdir('mine', { CDKTF_OUTDIR: '/from/cli' }), '/from/cli');
  assert.equal(resolveOutdir('mine', {}), path.resolve('mine'));
  assert.equal(resolveOutdir(undefined, {}), path.resolve('cdktf.out'));
});

test('a failing synth into a new nested output path removes the parents it made', () => {
  const root = tempDir();
  assert.throws(() => buildApp({ outdir: path.join(root, 'a', 'b', 'cdktf.out'), env: { DUALAUTH_OPERATOR_USER: 'bad user/name' } }).synth());
  assert.deepEqual(fs.readdirSync(root), []);
  buildApp({ outdir: path.join(root, 'a', 'b', 'cdktf.out'), env: {} }).synth();
  assert.ok(fs.existsSync(path.join(root, 'a', 'b', 'cdktf.out', 'stacks', GUIDE_STACK_ID, 'teleport.yaml')));
  assert.deepEqual(fs.readdirSync(path.join(root, 'a', 'b')), ['cdktf.out']);
});
