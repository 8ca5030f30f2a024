/**
 * The Terraform part, with a stub `terraform` first on PATH that logs its arguments, writes the plan file and
 * prints recorded `terraform show -json` output (test/drift/fixtures).
 */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, test } from 'node:test';
import { parsePlanDrift, terraformDrift } from '../../drift/terraform';
import { runDrift } from '../../drift/run';
import { renderText } from '../../drift/report/text';
import { desiredOrg, runCli, tempDir, writeStack } from './helpers';

const FIXTURES = join(__dirname, 'fixtures');

interface Stub {
  dir: string;
  log: string;
  env: NodeJS.ProcessEnv;
}

/** A `terraform` script: plan exits with planExit (after writing -out=FILE), show prints the fixture. */
function stubTerraform(fixture: string, o: { planExit?: number; showExit?: number } = {}): Stub {
  const dir = tempDir('dualauth-tfstub-');
  const log = join(dir, 'calls.log');
  const script = [
    '#!/bin/sh',
    'echo "$PWD :: $*" >> "$STUB_LOG"',
    'case "$1" in',
    '  plan)',
    '    for a in "$@"; do case "$a" in -out=*) : > "${a#-out=}";; esac; done',
    '    echo "Note: Objects have changed outside of Terraform" ',
    `    [ ${o.planExit ?? 0} -ne 0 ] && echo "Error: Failed to query available provider packages" >&2`,
    `    exit ${o.planExit ?? 0};;`,
    '  show)',
    `    [ ${o.showExit ?? 0} -ne 0 ] && exit ${o.showExit ?? 0}`,
    '    cat "$STUB_JSON"; exit 0;;',
    'esac',
    'exit 1',
  ].join('\n');
  writeFileSync(join(dir, 'terraform'), `${script}\n`);
  chmodSync(join(dir, 'terraform'), 0o755);
  return { dir, log, env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}`, STUB_LOG: log, STUB_JSON: join(FIXTURES, fixture) } };
}

const calls = (s: Stub) => readFileSync(s.log, 'utf8').trim().split('\n');

describe('terraform refresh-only drift', () => {
  test('runs plan -refresh-only then show -json in the stack directory and reads resource_drift', async () => {
    const stack = writeStack([], { terraform: true, initialised: true });
    const stub = stubTerraform('refresh-only-drift.json');
    const r = await terraformDrift({ dir: stack, env: stub.env });
    assert.equal(r.state, 'checked');
    const [plan, show] = calls(stub);
    assert.match(plan!, new RegExp(`^${stack} :: plan -refresh-only -input=false -lock=false -no-color -out=(\\S+drift\\.tfplan)$`));
    const planFile = /-out=(\S+)/.exec(plan!)![1]!;
    assert.equal(show, `${stack} :: show -json -no-color ${planFile}`);
    if (r.state !== 'checked') return;
    assert.deepEqual(
      r.findings.map((f) => [f.status, f.name, f.changes.map((c) => `${c.path}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`)]),
      [
        ['changed', 'teleport_provision_token.ci', ['metadata.name: "(sensitive)" -> "(sensitive, changed)"', 'spec.roles: ["Bot"] -> ["Bot","Node"]']],
        ['changed', 'teleport_role.devops', ['spec.allow.request.thresholds[0].approve: 2 -> 1']],
        ['missing', 'teleport_user.bob', []],
      ],
    );
    assert.equal(r.findings.find((f) => f.status === 'missing')?.note, 'deleted outside Terraform');
    assert.deepEqual(r.notes, ['teleport_role.reviewer moved from teleport_role.dbreviewer (not drift)']);
    assert.equal(r.managed, 4, 'managed resources of the prior state, child modules included, data sources not');
    assert.doesNotMatch(JSON.stringify(r), /planted-secret-token/);
  });

  test('the plan JSON decides, not the exit code: plan exiting 2 with no resource_drift is no drift', async () => {
    const stack = writeStack(desiredOrg(), { terraform: true, initialised: true });
    const stub = stubTerraform('refresh-only-clean.json', { planExit: 2 });
    const r = await runDrift({ stackDir: stack, teleport: { kind: 'dump', file: join(FIXTURES, 'refresh-only-clean.json') }, env: stub.env });
    const tf = r.sections.find((s) => s.system === 'terraform')!;
    assert.equal(tf.state, 'checked');
    assert.deepEqual(tf.findings, []);
    assert.equal(tf.counts.inSync, 2);
  });

  test('not initialised, or no terraform on PATH: skipped with the reason, and the rest goes on', async () => {
    const bare = writeStack([], { terraform: true });
    const skipped = await terraformDrift({ dir: bare, env: stubTerraform('refresh-only-drift.json').env });
    assert.deepEqual(skipped, { state: 'skipped', reason: `${bare} is not initialised (no .terraform/): run terraform init there to include Terraform's refresh-only plan` });

    const init = writeStack([], { terraform: true, initialised: true });
    const noTf = await terraformDrift({ dir: init, env: { PATH: tempDir() } });
    assert.equal(noTf.state, 'skipped');
    assert.match(noTf.state === 'skipped' ? noTf.reason : '', /terraform is not on PATH/);
  });

  test('a failing plan is an error (exit 1) quoting terraform', async () => {
    const stack = writeStack(desiredOrg(), { terraform: true, initialised: true });
    const stub = stubTerraform('refresh-only-drift.json', { planExit: 1 });
    const live = join(tempDir(), 'live.json');
    writeFileSync(live, '[]');
    const r = await runDrift({ stackDir: stack, teleport: { kind: 'dump', file: live }, env: stub.env });
    const tf = r.sections.find((s) => s.system === 'terraform')!;
    assert.equal(tf.state, 'error');
    assert.match(tf.reason ?? '', /terraform plan -refresh-only failed in .* \(exit 1\):\nError: Failed to query available provider packages/);
    assert.equal(r.exitCode, 1, 'an error wins over the Teleport drift found in the same run');
    assert.match(renderText(r), /\nTerraform: ERROR: terraform plan -refresh-only failed in .*\n {4}Error: Failed to query/);
  });

  test('plan JSON checks: unknown major format, errored plans, non-objects', () => {
    assert.throws(() => parsePlanDrift({ format_version: '2.0' }), /unsupported format_version "2.0"/);
    assert.throws(() => parsePlanDrift({ format_version: '1.2', errored: true }), /errored/);
    assert.throws(() => parsePlanDrift('nope'), /not .*JSON object/);
    assert.deepEqual(parsePlanDrift({ format_version: '1.0', future_key: 1 }), { managed: 0, findings: [], notes: [] });
  });

  test('through the CLI with the stub first on PATH: Terraform drift alone gives exit 2', async () => {
    const desired = desiredOrg();
    const stack = writeStack(desired, { terraform: true, initialised: true });
    const live = join(tempDir(), 'live.json');
    writeFileSync(live, JSON.stringify(desired));
    const stub = stubTerraform('refresh-only-drift.json');
    const r = await runCli([stack, '--live', live], { PATH: stub.env.PATH!, STUB_LOG: stub.log, STUB_JSON: stub.env.STUB_JSON! });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /Teleport \(dump .*\): 10 managed, 10 in sync/);
    assert.match(r.stdout, /~ teleport_role\.devops changed\n {6}spec\.allow\.request\.thresholds\[0\]\.approve: 2 -> 1/);
    assert.match(r.stdout, /- teleport_user\.bob missing: deleted outside Terraform/);
    assert.doesNotMatch(r.stdout + r.stderr, /planted-secret-token/);
  });
});
