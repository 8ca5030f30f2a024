// MattermostBot: the desired-bot file beside cdk.tf.json, the terraform_data that applies it during
// deploy, and (when Terraform is installed) that resource actually run by `terraform apply`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDualAuthApp, DualAuthStack } from '../../constructs';
import { Testing } from '../../constructs/cdktf';
import { MattermostBot, MattermostBotProps } from '../../constructs/mattermost-bot';
import { TerraformData } from '../../constructs/terraform-data';
import { parseBotSpec, renderBotSpec } from '../../mattermost-bot/bot-spec';
import { tempDir } from '../constructs/helpers';
import { TerraformJson } from './helpers';

const BOT: MattermostBotProps = { username: 'teleport', teams: ['myteam'] };

/** Synthesizes a stack holding one bot through the real all-or-nothing synth; returns the stack dir. */
function synthBot(props: MattermostBotProps, outdir = path.join(tempDir(), 'cdktf.out')): { dir: string; bot: MattermostBot; tf: TerraformJson } {
  const da = createDualAuthApp({ outdir });
  const stack = new DualAuthStack(da.app, 'test', { teleportVersion: '15.4', terraformProvider: false });
  const bot = new MattermostBot(stack, 'Bot', props);
  da.synth();
  const dir = path.join(outdir, 'stacks', 'test');
  return { dir, bot, tf: JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as TerraformJson };
}

test('writes mattermost-bot.json beside cdk.tf.json in the bot file format', () => {
  const { dir } = synthBot({ ...BOT, displayName: 'Teleport', description: 'Access requests' });
  const text = fs.readFileSync(path.join(dir, 'mattermost-bot.json'), 'utf8');
  const spec = parseBotSpec(text, 'mattermost-bot.json');
  assert.deepEqual(spec, {
    apiVersion: 'dualauth.dev/v1',
    kind: 'MattermostBot',
    username: 'teleport',
    displayName: 'Teleport',
    description: 'Access requests',
    teams: ['myteam'],
    roles: ['system_user', 'system_post_all'],
  });
  assert.equal(text, renderBotSpec(spec), 'rendered by the format module, byte for byte');
});

test('postAll and createToken shape the roles and the token request', () => {
  const plain = synthBot({ ...BOT, postAll: false, createToken: { description: 'relay token' } });
  const spec = parseBotSpec(fs.readFileSync(path.join(plain.dir, 'mattermost-bot.json'), 'utf8'), 'f');
  assert.deepEqual(spec.roles, ['system_user']);
  assert.deepEqual(spec.token, { description: 'relay token' });
  assert.doesNotMatch(JSON.stringify(plain.tf), /terraform_data/, 'no apply resource unless asked');
});

test('apply: terraform_data runs `dualauth mattermost apply` when the bot file changes; a second one mints the token; no secret in them', () => {
  const stack = new DualAuthStack(Testing.app(), 'test', { teleportVersion: '15.4', terraformProvider: false });
  const bot = new MattermostBot(stack, 'Bot', { ...BOT, apply: { mattermostUrl: 'https://mattermost.example.com' }, createToken: true });
  const json = Testing.synth(stack, true);
  const hash = createHash('sha256').update(renderBotSpec(bot.spec)).digest('hex');
  assert.ok(
    Testing.toHaveResourceWithProperties(json, 'terraform_data', {
      triggers_replace: { bot_spec_sha256: hash, mattermost_url: 'https://mattermost.example.com' },
      provisioner: [{ 'local-exec': { command: 'npx dualauth mattermost apply --bot mattermost-bot.json --url https://mattermost.example.com' } }],
    }),
  );
  // the token is minted by its own resource, once per bot and server, after the bot exists
  assert.ok(
    Testing.toHaveResourceWithProperties(json, 'terraform_data', {
      depends_on: ['terraform_data.Bot_Apply_D7E3A1A0'],
      triggers_replace: { username: 'teleport', mattermost_url: 'https://mattermost.example.com', token_out: 'mattermost-bot.token' },
      provisioner: [{ 'local-exec': { command: 'npx dualauth mattermost apply --bot mattermost-bot.json --url https://mattermost.example.com --create-token --token-out mattermost-bot.token' } }],
    }),
  );
  assert.doesNotMatch(json, /MATTERMOST_TOKEN|"environment"/, 'the admin token comes from the deploy environment, never from cdk.tf.json');
  const tf = JSON.parse(json) as TerraformJson & { terraform?: { required_providers?: object } };
  assert.equal(tf.terraform?.required_providers, undefined, 'terraform_data is built in: no provider to download');

  const other = new MattermostBot(new DualAuthStack(Testing.app(), 'x', { teleportVersion: '15.4', terraformProvider: false }), 'Bot', { ...BOT, displayName: 'Other', apply: { mattermostUrl: 'https://mattermost.example.com' } });
  assert.notEqual(createHash('sha256').update(renderBotSpec(other.spec)).digest('hex'), hash, 'a changed bot changes the trigger');
});

test('apply: URLs are shell-quoted and Terraform template sequences escaped', () => {
  const { tf } = synthBot({ ...BOT, apply: { mattermostUrl: "https://mm.example.com/a'b/${x}/%{y}", dualauthCommand: 'node ./bin/dualauth.js' } });
  const data = Object.values(tf.resource.terraform_data ?? {})[0];
  assert.equal(data.provisioner[0]['local-exec'].command, `node ./bin/dualauth.js mattermost apply --bot mattermost-bot.json --url 'https://mm.example.com/a'\\''b/$\${x}/%%{y}'`);
});

test('TerraformData L1: input, triggers_replace and provisioners, no provider', () => {
  const json = Testing.synthScope((scope) => {
    new TerraformData(scope, 'D', { input: { a: 1 }, triggersReplace: ['x'], provisioners: [{ type: 'local-exec', command: 'true', workingDir: 'sub' }] });
  });
  assert.ok(Testing.toHaveResourceWithProperties(json, 'terraform_data', { input: { a: 1 }, triggers_replace: ['x'], provisioner: [{ 'local-exec': { command: 'true', working_dir: 'sub' } }] }));
  assert.doesNotMatch(json, /"provider"/);
});

function hasTerraform(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('terraform apply runs the command once per bot change and mints one token, in the stack dir, with MATTERMOST_TOKEN from the environment', { skip: !hasTerraform() && 'terraform is not installed' }, () => {
  const work = tempDir();
  const log = path.join(work, 'calls.jsonl');
  const fake = path.join(work, 'fake-dualauth.js');
  // stands in for `dualauth`: records how it was called
  fs.writeFileSync(
    fake,
    `const fs = require('fs');
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), token: process.env.MATTERMOST_TOKEN, bot: JSON.parse(fs.readFileSync(process.argv[5], 'utf8')) }) + '\\n');
const out = process.argv.indexOf('--token-out');
if (out > 0) fs.writeFileSync(process.argv[out + 1], 'minted', { flag: 'wx' }); // like dualauth: never overwrites
`,
  );
  const outdir = path.join(work, 'cdktf.out');
  const URL = "https://mattermost.example.com/it's/${x}/%{y}";
  const props = (displayName: string): MattermostBotProps => ({
    ...BOT,
    displayName,
    // quotes and ${...} must reach the command verbatim (shell-quoted, Terraform-escaped)
    apply: { mattermostUrl: URL, dualauthCommand: `node ${fake}` },
    createToken: true,
  });
  const env = { PATH: process.env.PATH, HOME: work, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', MATTERMOST_TOKEN: 'planted-admin-token-4f1d' };
  const terraform = (dir: string, ...args: string[]) => execFileSync('terraform', args, { cwd: dir, env, stdio: 'pipe' });
  const calls = (): { argv: string[]; cwd: string; token: string; bot: { displayName: string } }[] =>
    fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];

  const { dir } = synthBot(props('First'), outdir);
  terraform(dir, 'init', '-input=false', '-no-color');
  terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
  assert.equal(calls().length, 2, 'the bot, then its token');
  const [first, minted] = calls();
  assert.deepEqual(minted?.argv.slice(6), ['--create-token', '--token-out', 'mattermost-bot.token']);
  assert.equal(fs.readFileSync(path.join(dir, 'mattermost-bot.token'), 'utf8'), 'minted');
  assert.deepEqual(first?.argv, ['mattermost', 'apply', '--bot', 'mattermost-bot.json', '--url', URL]);
  assert.equal(fs.realpathSync(first?.cwd ?? ''), fs.realpathSync(dir));
  assert.equal(first?.token, 'planted-admin-token-4f1d');
  assert.equal(first?.bot.displayName, 'First');

  terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
  assert.equal(calls().length, 2, 'unchanged bot: nothing runs');

  synthBot(props('Second'), outdir);
  terraform(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
  assert.equal(calls().length, 3, 'changed bot: applied again, no second token');
  assert.equal(calls()[2]?.bot.displayName, 'Second');
  assert.deepEqual(calls()[2]?.argv.length, 6);
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) assert.doesNotMatch(fs.readFileSync(p, 'utf8'), /planted-admin-token/, `${f} holds the admin token`);
  }
});
