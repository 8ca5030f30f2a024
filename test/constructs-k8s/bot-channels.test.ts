// Issue 12, construct side: the bot file names the channels the stack's recipients post to (apply joins them,
// since only channel members may update posts), and runtime "teleport-plugin" accepts only the recipients
// Teleport's Go plugin reads (integrations/access/mattermost/bot.go FetchRecipient: an email or team/channel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DualAuthStack, TeleportRole } from '../../constructs';
import { AccessPluginDeployment, AccessPluginDeploymentProps } from '../../constructs/access-plugin-deployment';
import { MattermostBot } from '../../constructs/mattermost-bot';
import { parseBotSpec, BotSpecError } from '../../mattermost-bot/bot-spec';
import { listFiles, synthStack } from '../constructs/helpers';
import { BASE } from './helpers';

function synth(build: (s: DualAuthStack) => void): { outdir: string; error?: Error } {
  return synthStack((s) => {
    new TeleportRole(s, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
    build(s);
  }, { terraformProvider: false });
}

const plugin = (props: Partial<AccessPluginDeploymentProps>) => (s: DualAuthStack) => new AccessPluginDeployment(s, 'Plugin', { ...BASE, ...props });

test('the bot file lists the "team/channel" recipients of the stack, even of a plugin declared after the bot', () => {
  const { outdir, error } = synth((s) => {
    new MattermostBot(s, 'Bot', { username: 'teleport', teams: ['myteam', 'ops'], apply: { mattermostUrl: 'https://mm.example.com' } });
    plugin({ roleToRecipients: { dbadmin: ['alice@example.com', 'myteam/access-requests'], '*': ['ops/audit', 'myteam/access-requests'] } })(s);
  });
  assert.equal(error, undefined);
  const file = listFiles(outdir).find((f) => f.endsWith('mattermost-bot.json'));
  assert.ok(file);
  const spec = parseBotSpec(fs.readFileSync(path.join(outdir, file), 'utf8'), 'mattermost-bot.json');
  assert.deepEqual(spec.channels, ['myteam/access-requests', 'ops/audit']);
});

test('no channel recipients: the file has no channels key (the built-in stack output stays as it was)', () => {
  const { outdir, error } = synth((s) => {
    new MattermostBot(s, 'Bot', { username: 'teleport', teams: ['myteam'] });
    plugin({})(s);
  });
  assert.equal(error, undefined);
  const file = listFiles(outdir).find((f) => f.endsWith('mattermost-bot.json')) as string;
  assert.equal(fs.readFileSync(path.join(outdir, file), 'utf8').includes('channels'), false);
});

test('a channel recipient whose team the bot does not join fails synth naming the fix', () => {
  const { error, outdir } = synth((s) => {
    new MattermostBot(s, 'Bot', { username: 'teleport', teams: ['myteam'] });
    plugin({ roleToRecipients: { dbadmin: ['other/requests'] } })(s);
  });
  assert.match(String(error?.message), /\[test\/Bot\] teams: a "team\/channel" recipient of the access plugin names "other\/requests", but team "other" is not in teams: add it/);
  assert.deepEqual(listFiles(outdir), []);
});

test('runtime "teleport-plugin" rejects @user, bare usernames and channel ids (the Go plugin reads only email or team/channel)', () => {
  for (const r of ['@ivan', 'carol.smith', '4xp9fdt5pbgium38k7k6c95oww']) {
    const { error } = synth(plugin({ runtime: 'teleport-plugin', image: 'public.ecr.aws/gravitational/teleport-plugin-mattermost:15.4.22', roleToRecipients: { dbadmin: [r] } }));
    assert.match(String(error?.message), new RegExp(`roleToRecipients\\["dbadmin"\\]\\[0\\]: recipient "${r.replace('.', '\\.')}" is not read by Teleport's Go plugin .* give the user's email .* or use runtime "relay"`));
  }
  const ok = synth(plugin({ runtime: 'teleport-plugin', image: 'public.ecr.aws/gravitational/teleport-plugin-mattermost:15.4.22', roleToRecipients: { dbadmin: ['alice@example.com', 'myteam/town-square'] } }));
  assert.equal(ok.error, undefined);
  // the relay reads all of them
  const relay = synth(plugin({ roleToRecipients: { dbadmin: ['@ivan', 'carol.smith', '4xp9fdt5pbgium38k7k6c95oww'] } }));
  assert.equal(relay.error, undefined);
});

test('the bot file format: channels are team/channel in a listed team', () => {
  const base = { apiVersion: 'dualauth.dev/v1', kind: 'MattermostBot', username: 'teleport', displayName: '', description: '', teams: ['myteam'], roles: ['system_user'] };
  assert.deepEqual(parseBotSpec(JSON.stringify({ ...base, channels: ['myteam/ops'] }), 'bot.json').channels, ['myteam/ops']);
  assert.throws(() => parseBotSpec(JSON.stringify({ ...base, channels: ['ops'] }), 'bot.json'), (e: BotSpecError) => /channels\[0\]: must be "team\/channel"/.test(e.message));
  assert.throws(() => parseBotSpec(JSON.stringify({ ...base, channels: ['other/ops'] }), 'bot.json'), (e: BotSpecError) => /"other\/ops" is in team "other", which is not in teams: add it to teams/.test(e.message));
});
