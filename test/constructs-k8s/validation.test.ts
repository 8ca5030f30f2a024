// Every bad input of MattermostBot and AccessPluginDeployment fails synth with a message naming the
// construct path, the prop and the fix, and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualAuthStack, TeleportRole } from '../../constructs';
import { AccessPluginDeployment, AccessPluginDeploymentProps } from '../../constructs/access-plugin-deployment';
import { MattermostBot, MattermostBotProps } from '../../constructs/mattermost-bot';
import { listFiles, synthStack } from '../constructs/helpers';
import { BASE } from './helpers';

function expectFailure(build: (s: DualAuthStack) => void, ...patterns: RegExp[]): string {
  const { outdir, error } = synthStack((s) => {
    new TeleportRole(s, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
    build(s);
  }, { terraformProvider: false });
  assert.ok(error, 'synth should fail');
  for (const p of patterns) assert.match(error.message, p);
  assert.deepEqual(listFiles(outdir), [], 'nothing may be written');
  return error.message;
}

const plugin = (props: Partial<AccessPluginDeploymentProps>) => (s: DualAuthStack) => new AccessPluginDeployment(s, 'Plugin', { ...BASE, ...props });
const bot = (props: Partial<MattermostBotProps>) => (s: DualAuthStack) => new MattermostBot(s, 'Bot', { username: 'teleport', teams: ['myteam'], ...props });

test('a valid stack synthesizes (the failures below are the props, not the harness)', () => {
  const { error } = synthStack((s) => {
    new TeleportRole(s, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
    plugin({})(s);
    bot({ apply: { mattermostUrl: 'https://mattermost.example.com' } })(s);
  }, { terraformProvider: false });
  assert.equal(error, undefined);
});

test('Teleport address without a port, or with a scheme', () => {
  expectFailure(plugin({ teleportAddress: 'teleport.example.com' }), /\[test\/Plugin\] teleportAddress: "teleport\.example\.com" has no port: give host:port, e\.g\. "teleport\.example\.com:443"/);
  expectFailure(plugin({ teleportAddress: 'https://teleport.example.com:443' }), /\[test\/Plugin\] teleportAddress: .* has a URL scheme: give host:port/);
  expectFailure(plugin({ teleportAddress: 'teleport.example.com:99999' }), /teleportAddress: .* has port 99999, outside 1-65535/);
});

test('Mattermost URL that is not http(s)', () => {
  expectFailure(plugin({ mattermostUrl: 'ftp://mattermost.example.com' }), /\[test\/Plugin\] mattermostUrl: "ftp:\/\/mattermost\.example\.com" uses ftp: give an http\(s\) URL, e\.g\. "https:\/\/mattermost\.example\.com"/);
  expectFailure(plugin({ mattermostUrl: 'mattermost.example.com' }), /\[test\/Plugin\] mattermostUrl: "mattermost\.example\.com" is not a URL: give the server's base URL/);
  expectFailure(plugin({ mattermostUrl: 'https://bot:s3cret@mattermost.example.com' }), /\[test\/Plugin\] mattermostUrl: the URL contains credentials: give the bare server URL/);
});

test('recipients that cannot be an email, team/channel, username or channel id', () => {
  expectFailure(plugin({ roleToRecipients: undefined, recipients: [''] }), /\[test\/Plugin\] recipients\[0\]: recipient is empty: give an email, "team\/channel"/);
  expectFailure(plugin({ roleToRecipients: undefined, recipients: ['myteam/ops/extra'] }), /\[test\/Plugin\] recipients\[0\]: recipient "myteam\/ops\/extra" has 2 slashes: write "team\/channel" with exactly one/);
  expectFailure(plugin({ roleToRecipients: { dbadmin: ['myteam/Town Square'] } }), /\[test\/Plugin\] roleToRecipients\["dbadmin"\]\[0\]: recipient "myteam\/Town Square" contains whitespace: use the channel's URL name/);
  expectFailure(plugin({ roleToRecipients: { dbadmin: ['/town-square'] } }), /roleToRecipients\["dbadmin"\]\[0\]: recipient "\/town-square" is not "team\/channel"/);
  expectFailure(plugin({ roleToRecipients: { dbadmin: ['alice@'] } }), /recipient "alice@" is not a valid email/);
  expectFailure(plugin({ roleToRecipients: { dbadmin: [] } }), /roleToRecipients\["dbadmin"\]: is empty: give at least one recipient/);
});

test('valid recipient forms pass', () => {
  const { error } = synthStack((s) => {
    new TeleportRole(s, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
    plugin({ roleToRecipients: { dbadmin: ['alice@example.com', 'myteam/town-square', '@ivan', 'carol.smith', '4xp9fdt5pbgium38k7k6c95oww'], '*': ['ops-team/access_requests'] } })(s);
  }, { terraformProvider: false });
  assert.equal(error, undefined);
});

test('roleToRecipients naming a role the stack does not declare ("*" and externalRoles are fine)', () => {
  expectFailure(plugin({ roleToRecipients: { dbadmn: ['alice@example.com'] } }), /\[test\/Plugin\] roleToRecipients\["dbadmn"\]: role "dbadmn" is not declared in this stack \(did you mean "dbadmin"\?\): use a declared role \(dbadmin\), "\*" for all roles, or list it in the stack's externalRoles/);
  const ok = synthStack((s) => {
    new TeleportRole(s, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
    plugin({ roleToRecipients: { '*': ['alice@example.com'], editor: ['ivan@example.com'] } })(s);
  }, { terraformProvider: false, externalRoles: ['editor'] });
  assert.equal(ok.error, undefined);
});

test('recipients together with roleToRecipients (Teleport would silently drop the map)', () => {
  expectFailure(plugin({ recipients: ['myteam/town-square'] }), /\[test\/Plugin\] recipients: .* replace all of roleToRecipients: move these recipients to roleToRecipients\["\*"\]/);
});

test('replicas below 1 or fractional', () => {
  expectFailure(plugin({ replicas: 0 }), /\[test\/Plugin\] replicas: 0 is not a whole number of at least 1: give 1/);
  expectFailure(plugin({ replicas: 1.5 }), /replicas: 1\.5 is not a whole number/);
});

test('identity as existing Secret and variable, or neither; token likewise', () => {
  expectFailure(plugin({ identity: { existingSecret: 'plugin-identity', variable: 'teleport_identity' } }), /\[test\/Plugin\] identity: existingSecret and variable given together: give exactly one of existingSecret \(a Secret you created with kubectl\), variable/);
  expectFailure(plugin({ identity: {} }), /\[test\/Plugin\] identity: no source given: give exactly one of existingSecret/);
  expectFailure(plugin({ identity: { variable: 'v', tbot: { image: 'i', clusterName: 'c', token: 't' } } }), /identity: variable and tbot given together/);
  expectFailure(plugin({ mattermostToken: {} }), /\[test\/Plugin\] mattermostToken: no source given: give exactly one of existingSecret or variable/);
  expectFailure(plugin({ mattermostToken: { existingSecret: 'mm', variable: 'mattermost_token' } }), /mattermostToken: existingSecret and variable given together/);
  expectFailure(plugin({ mattermostToken: { variable: 'teleport_identity' } }), /mattermostToken\.variable: "teleport_identity" is also the identity variable/);
  expectFailure(plugin({ identity: { variable: 'TF_VAR_bad name' } }), /identity\.variable: "TF_VAR_bad name" is not a Terraform variable name/);
});

test('other bad props: log severity, Go plugin without image, names, tbot', () => {
  expectFailure(plugin({ logSeverity: 'verbose' }), /\[test\/Plugin\] logSeverity: "verbose" is not one of debug, info, warn, error/);
  expectFailure(plugin({ runtime: 'teleport-plugin' }), /\[test\/Plugin\] image: runtime "teleport-plugin" needs Teleport's image .*public\.ecr\.aws\/gravitational\/teleport-plugin-mattermost:15\.4\.22/);
  expectFailure(plugin({ namespace: 'Teleport_Plugins' }), /\[test\/Plugin\] namespace: "Teleport_Plugins" is not a Kubernetes name/);
  expectFailure(plugin({ identity: { tbot: { image: 'i', clusterName: '', token: 't', proxyServer: 'p:443', authServer: 'a' } } }), /identity\.tbot\.clusterName: is empty[\s\S]*identity\.tbot: proxyServer and authServer given together[\s\S]*identity\.tbot\.authServer: "a" has no port/);
});

test('two deployments that would fight over a namespace, a name or a variable', () => {
  expectFailure(
    (s) => {
      plugin({})(s);
      new AccessPluginDeployment(s, 'Second', { ...BASE });
    },
    /\[test\/Second\] name: "mattermost-access-plugin" in namespace "teleport-plugins" is also used by test\/Plugin/,
    /createNamespace: namespace "teleport-plugins" is also created by test\/Plugin: set createNamespace: false on all but one/,
    /variable: Terraform variable "teleport_identity" is also used by test\/Plugin/,
  );
});

test('every problem is listed at once', () => {
  expectFailure(plugin({ teleportAddress: 'nohost', mattermostUrl: 'ftp://x', replicas: 0, identity: {} }), /teleportAddress[\s\S]*mattermostUrl[\s\S]*replicas[\s\S]*identity/);
});

test('bot username against Mattermost username rules', () => {
  expectFailure(bot({ username: 'Teleport' }), /\[test\/Bot\] username: "Teleport" must start with a lowercase letter: use 3-22 characters: a lowercase letter, then lowercase letters, digits/);
  expectFailure(bot({ username: 'tb' }), /\[test\/Bot\] username: "tb" has 2 characters/);
  expectFailure(bot({ username: 'a-very-long-bot-username-x' }), /username: "a-very-long-bot-username-x" has 26 characters/);
  expectFailure(bot({ username: 'tele port' }), /username: "tele port" contains characters Mattermost rejects/);
  expectFailure(bot({ username: 'teleport.' }), /username: "teleport\." ends with "\."/);
  expectFailure(bot({ username: 'channel' }), /username: "channel" is reserved by Mattermost/);
});

test('bot teams, apply URL and file names', () => {
  expectFailure(bot({ teams: ['My Team'] }), /\[test\/Bot\] teams\[0\]: team "My Team" is not a team URL name: use the 2-64 character lowercase handle from the team's URL/);
  expectFailure(bot({ teams: ['myteam', 'myteam'] }), /teams: must not list the same value twice \(in mattermost-bot\.json\)/);
  expectFailure(bot({ apply: { mattermostUrl: 'mattermost.example.com' } }), /\[test\/Bot\] apply\.mattermostUrl: "mattermost\.example\.com" is not a URL/);
  expectFailure(bot({ apply: { mattermostUrl: 'https://m.example.com', dualauthCommand: ' ' } }), /apply\.dualauthCommand is empty: leave it out for "npx dualauth"/);
  expectFailure(bot({ fileName: '../bot.json' }), /\[test\/Bot\] fileName "\.\.\/bot\.json" must be a relative path inside the stack directory/);
  expectFailure(bot({ createToken: { tokenOut: '/etc/token' } }), /createToken\.tokenOut "\/etc\/token" must be a relative path inside the stack directory/);
  expectFailure(bot({ displayName: 'x'.repeat(65) }), /displayName: must be at most 64 characters \(in mattermost-bot\.json\)/);
  expectFailure(
    (s) => {
      bot({})(s);
      new MattermostBot(s, 'Other', { username: 'other', teams: [] });
    },
    /\[test\/Other\] fileName "mattermost-bot\.json" is also written by test\/Bot: give each bot its own fileName/,
  );
});
