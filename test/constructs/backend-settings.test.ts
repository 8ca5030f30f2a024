import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualAuthStack } from '../../constructs';
import { Testing } from '../../constructs/cdktf';
import { readSettings, DEFAULT_SETTINGS } from '../../stacks/settings';

function terraformBlock(props: ConstructorParameters<typeof DualAuthStack>[2]): Record<string, unknown> {
  const stack = new DualAuthStack(Testing.app(), 'shared', props);
  return (stack.toTerraform() as { terraform: Record<string, unknown> }).terraform;
}

test('local backend uses a relative path (the cdktf default is absolute)', () => {
  const tf = terraformBlock({ teleportVersion: '15.4' });
  assert.deepEqual(tf.backend, { local: { path: 'terraform.shared.tfstate' } });
});

test('shared backends come from configuration', () => {
  assert.deepEqual((terraformBlock({ teleportVersion: '15.4', backend: { type: 's3', bucket: 'b', key: 'k', region: 'eu-west-1' } }).backend as Record<string, unknown>).s3, {
    bucket: 'b',
    key: 'k',
    region: 'eu-west-1',
    encrypt: true,
  });
  assert.deepEqual(terraformBlock({ teleportVersion: '15.4', backend: { type: 'gcs', bucket: 'g', prefix: 'p' } }).backend, { gcs: { bucket: 'g', prefix: 'p' } });
  assert.deepEqual(terraformBlock({ teleportVersion: '15.4', backend: { type: 'kubernetes', secretSuffix: 'dualauth', namespace: 'teleport' } }).backend, {
    kubernetes: { secret_suffix: 'dualauth', namespace: 'teleport', in_cluster_config: false },
  });
  const remote = terraformBlock({ teleportVersion: '15.4', backend: { type: 'remote', organization: 'acme', workspace: 'teleport' } }).backend as Record<string, { organization: string }>;
  assert.equal(remote.remote?.organization, 'acme');
});

test('settings: context wins over env, env over defaults; bad values are named', () => {
  const ctx: Record<string, unknown> = { teleportVersion: '16.1' };
  const s = readSettings((k) => ctx[k], { DUALAUTH_TELEPORT_VERSION: '14.0', DUALAUTH_OPERATOR_USER: 'me@example.com', DUALAUTH_BACKEND: '{"type":"gcs","bucket":"x"}' });
  assert.equal(s.teleportVersion, '16.1');
  assert.equal(s.operatorUser, 'me@example.com');
  assert.deepEqual(s.backend, { type: 'gcs', bucket: 'x' });
  assert.deepEqual(readSettings(() => undefined, {}), DEFAULT_SETTINGS);
  assert.throws(() => readSettings(() => undefined, { DUALAUTH_BACKEND: '{"type":"ftp"}' }), /DUALAUTH_BACKEND: "type" must be one of local, s3/);
  assert.throws(() => readSettings(() => undefined, { DUALAUTH_BACKEND: '{nope' }), /DUALAUTH_BACKEND is not valid JSON/);
  assert.throws(() => readSettings(() => undefined, { DUALAUTH_TERRAFORM_PROVIDER: 'maybe' }), /DUALAUTH_TERRAFORM_PROVIDER must be true or false/);
});
