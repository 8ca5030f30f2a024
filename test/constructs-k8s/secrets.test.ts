// No secret reaches the synthesized output: identity text and tokens planted in the environment (as a
// deploy would set TF_VAR_* and MATTERMOST_TOKEN) appear in no file, and secret variables have no default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp, GUIDE_STACK_ID } from '../../stacks/main';
import { listFiles, tempDir } from '../constructs/helpers';

const IDENTITY = '-----BEGIN RSA PRIVATE KEY-----\nPLANTED-IDENTITY-7c1e9b\n-----END RSA PRIVATE KEY-----\n';
const PLANTED = {
  TF_VAR_teleport_identity: IDENTITY,
  TF_VAR_mattermost_token: 'planted-bot-token-2a9d4f',
  MATTERMOST_TOKEN: 'planted-admin-token-88e0c1',
};
const NEEDLES = ['PLANTED-IDENTITY-7c1e9b', 'planted-bot-token-2a9d4f', 'planted-admin-token-88e0c1'];

function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('planted identity and tokens appear in no synthesized file', () => {
  for (const env of [{}, { DUALAUTH_IDENTITY_SECRET: 'plugin-identity', DUALAUTH_MATTERMOST_TOKEN_SECRET: 'mm' }, { DUALAUTH_PLUGIN_REPLICAS: '2' }]) {
    const outdir = path.join(tempDir(), 'cdktf.out');
    // the secrets sit in the process environment and in the settings environment alike
    withEnv(PLANTED, () => buildApp({ outdir, env: { ...PLANTED, ...env } }).synth());
    const files = listFiles(outdir).filter((f) => fs.statSync(path.join(outdir, f)).isFile());
    assert.ok(files.includes(path.join('stacks', GUIDE_STACK_ID, 'cdk.tf.json')) && files.includes(path.join('stacks', GUIDE_STACK_ID, 'mattermost-bot.json')));
    for (const f of files) {
      const text = fs.readFileSync(path.join(outdir, f), 'utf8');
      for (const n of NEEDLES) assert.ok(!text.includes(n), `${f} contains a planted secret (${n.slice(0, 12)}...)`);
    }
  }
});

test('secret variables are sensitive, ephemeral and have no default; only revisions have one', () => {
  const outdir = path.join(tempDir(), 'cdktf.out');
  buildApp({ outdir, env: {} }).synth();
  const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', GUIDE_STACK_ID, 'cdk.tf.json'), 'utf8')) as { variable: Record<string, Record<string, unknown>> };
  assert.deepEqual(Object.keys(tf.variable).sort(), ['mattermost_token', 'mattermost_token_revision', 'teleport_identity', 'teleport_identity_revision']);
  for (const [name, v] of Object.entries(tf.variable)) {
    if (name.endsWith('_revision')) {
      assert.deepEqual([v.type, v.default, v.sensitive], ['number', 1, undefined], name);
    } else {
      assert.deepEqual([v.type, v.sensitive, v.ephemeral, 'default' in v], ['string', true, true, false], name);
    }
  }
});
