// The built-in stack now carries the guide's Step 1 (the Mattermost bot) and the plugin on Kubernetes,
// with placeholders that settings (context or DUALAUTH_* env) override.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { buildApp, GUIDE_STACK_ID } from '../../stacks/main';
import { readSettings } from '../../stacks/settings';
import { tempDir } from '../constructs/helpers';
import { only, TerraformJson } from './helpers';

function synthGuide(env: NodeJS.ProcessEnv = {}, context?: Record<string, unknown>): { tf: TerraformJson; bot: Record<string, unknown>; toml: Record<string, Record<string, unknown>> | undefined } {
  const outdir = path.join(tempDir(), 'cdktf.out');
  buildApp({ outdir, env, context }).synth();
  const dir = path.join(outdir, 'stacks', GUIDE_STACK_ID);
  const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  const cm = tf.resource.kubernetes_config_map_v1;
  const toml = cm ? JSON.parse(JSON.stringify(parseToml(only(tf, 'kubernetes_config_map_v1').data['teleport-mattermost.toml']))) : undefined;
  return { tf, bot: JSON.parse(fs.readFileSync(path.join(dir, 'mattermost-bot.json'), 'utf8')), toml };
}

test('defaults: the bot applied on deploy, the relay announcing dbadmin requests to its reviewers', () => {
  const { tf, bot, toml } = synthGuide();
  assert.equal(bot.username, 'teleport');
  assert.deepEqual(bot.teams, ['myteam']);
  assert.deepEqual(bot.roles, ['system_user', 'system_post_all']);
  const apply = only(tf, 'terraform_data');
  assert.equal(apply.provisioner[0]['local-exec'].command, 'npx dualauth mattermost apply --bot mattermost-bot.json --url https://mattermost.example.com');
  assert.deepEqual(toml?.teleport, { addr: 'teleport.example.com:443', identity: '/var/lib/teleport/plugins/mattermost/teleport-identity/identity', refresh_identity: true });
  assert.equal(toml?.mattermost?.url, 'https://mattermost.example.com');
  assert.deepEqual(toml?.role_to_recipients, { dbadmin: ['alice@example.com', 'ivan@example.com'] });
  const deployment = only(tf, 'kubernetes_deployment_v1');
  assert.equal(deployment.spec.template.spec.container[0].image, 'ghcr.io/dualauth/dualauth-relay:0.1.0');
  assert.equal(only(tf, 'kubernetes_namespace_v1').metadata.name, 'teleport-plugins');
  assert.equal(Object.keys(tf.resource.kubernetes_secret_v1 ?? {}).length, 2, 'identity and token Secrets from variables');
  // the Teleport side of the guide is still there
  assert.ok(Object.keys(tf.resource).some((t) => t.startsWith('teleport_')));
});

test('settings override the placeholders (env, and context over env)', () => {
  const { tf, bot, toml } = synthGuide({
    DUALAUTH_MATTERMOST_URL: 'https://chat.acme.io',
    DUALAUTH_MATTERMOST_TEAM: 'acme',
    DUALAUTH_MATTERMOST_BOT: 'access-bot',
    DUALAUTH_RECIPIENTS: 'acme/access-requests, carol@acme.io',
    DUALAUTH_NAMESPACE: 'access',
    DUALAUTH_PLUGIN_IMAGE: 'registry.acme.io/relay@sha256:0123012301230123012301230123012301230123012301230123012301230123',
    DUALAUTH_IDENTITY_SECRET: 'plugin-identity',
    DUALAUTH_MATTERMOST_TOKEN_SECRET: 'mattermost-token',
    DUALAUTH_PLUGIN_REPLICAS: '2',
  }, { teamName: 'from-context' });
  assert.equal(bot.username, 'access-bot');
  // the channel recipient's team is joined too, and the bot file names the channel for apply to join
  assert.deepEqual(bot.teams, ['from-context', 'acme']);
  assert.deepEqual(bot.channels, ['acme/access-requests']);
  assert.equal(toml?.mattermost?.url, 'https://chat.acme.io');
  assert.deepEqual(toml?.role_to_recipients, { '*': ['acme/access-requests', 'carol@acme.io'], dbadmin: ['alice@example.com', 'ivan@example.com'] });
  assert.equal(tf.resource.kubernetes_secret_v1, undefined, 'existing Secrets are used as they are');
  assert.equal(tf.resource.kubernetes_namespace_v1, undefined, 'nor is their namespace created again');
  assert.equal(only(tf, 'kubernetes_deployment_v1').metadata.namespace, 'access');
  assert.equal(tf.variable, undefined);
  const deployment = only(tf, 'kubernetes_deployment_v1');
  assert.equal(deployment.spec.template.spec.container[0].image, 'registry.acme.io/relay@sha256:0123012301230123012301230123012301230123012301230123012301230123');
  assert.equal(deployment.spec.replicas, '2');
  assert.ok(tf.resource.kubernetes_pod_disruption_budget_v1);
  assert.match(only(tf, 'terraform_data').provisioner[0]['local-exec'].command, /--url https:\/\/chat\.acme\.io$/);
});

test('the Kubernetes part and the bot apply can be switched off; the Go plugin image can replace the relay', () => {
  const off = synthGuide({ DUALAUTH_KUBERNETES: 'false', DUALAUTH_APPLY_BOT: 'false' });
  assert.ok(!Object.keys(off.tf.resource).some((t) => t.startsWith('kubernetes_') || t === 'terraform_data'));
  assert.equal((off.tf as { provider?: Record<string, unknown> }).provider?.kubernetes, undefined);
  assert.equal(off.bot.username, 'teleport', 'the bot file is still written for `dualauth mattermost apply`');
  const go = synthGuide({ DUALAUTH_PLUGIN_RUNTIME: 'teleport-plugin', DUALAUTH_PLUGIN_IMAGE: 'public.ecr.aws/gravitational/teleport-plugin-mattermost:15.4.22' });
  assert.equal(only(go.tf, 'kubernetes_deployment_v1').spec.template.spec.container[0].command[0], '/usr/local/bin/teleport-plugin');
});

test('bad settings name the context key and env var', () => {
  assert.throws(() => readSettings(() => undefined, { DUALAUTH_PLUGIN_REPLICAS: 'two' }), /replicas \(context\) \/ DUALAUTH_PLUGIN_REPLICAS must be a whole number of at least 1, got "two"/);
  assert.throws(() => readSettings(() => undefined, { DUALAUTH_PLUGIN_RUNTIME: 'go' }), /pluginRuntime \(context\) \/ DUALAUTH_PLUGIN_RUNTIME must be "relay" or "teleport-plugin"/);
  assert.throws(() => readSettings(() => undefined, { DUALAUTH_KUBERNETES: 'yes' }), /kubernetes \(context\) \/ DUALAUTH_KUBERNETES must be true or false/);
  assert.throws(() => readSettings(() => undefined, { DUALAUTH_RECIPIENTS: '["a",' }), /recipients \(context\) \/ DUALAUTH_RECIPIENTS is not valid JSON/);
  assert.deepEqual(readSettings(() => undefined, { DUALAUTH_RECIPIENTS: '["acme/ops","x@y.z"]' }).recipients, ['acme/ops', 'x@y.z']);
  // bad values that only the constructs can judge fail synth with the construct path
  assert.throws(() => buildApp({ outdir: path.join(tempDir(), 'cdktf.out'), env: { DUALAUTH_MATTERMOST_URL: 'mattermost.acme.io' } }).synth(), /\[dual-authorization\/MattermostBot\] apply\.mattermostUrl: [\s\S]*\[dual-authorization\/MattermostPlugin\] mattermostUrl: "mattermost\.acme\.io" is not a URL/);
});
