import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { applyBotPlan, BotReconcileError, formatPlan, planBot } from '../../mattermost-bot/reconcile';
import { createMattermostApi, type MattermostApi } from '../../mattermost-client/client';
import { botSpec, seededServer, writeRequests, type Seeded } from './helpers';

async function reconcileError(p: Promise<unknown>): Promise<BotReconcileError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof BotReconcileError, `expected BotReconcileError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a BotReconcileError');
}

describe('mattermost bot reconcile', () => {
  let s: Seeded;
  let api: MattermostApi;
  beforeEach(async () => {
    s = await seededServer();
    api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: { baseDelayMs: 10 } });
  });
  afterEach(() => s.sim.close());

  test('first apply creates the bot, sets its roles and joins its team; the second plan is empty', async () => {
    const spec = botSpec();
    const plan = await planBot(api, spec);
    assert.deepEqual(formatPlan(plan), [
      '+ create bot teleport (display_name "Teleport", description "Teleport Access Request notifications")',
      '~ roles: "system_user" -> "system_user system_post_all"',
      '+ join team myteam',
    ]);
    assert.equal(writeRequests(s.sim).length, 0, 'planning only reads');
    const result = await applyBotPlan(api, plan);
    assert.equal(result.applied.length, 3);
    assert.equal(result.token, undefined, 'no token unless asked');

    const [bot] = s.sim.bots();
    assert.equal(bot?.username, 'teleport');
    assert.equal(bot?.display_name, 'Teleport');
    assert.equal(bot?.description, 'Teleport Access Request notifications');
    assert.equal(bot?.owner_id, s.admin.id);
    assert.equal(result.botUserId, bot?.user_id);
    assert.equal(s.sim.user('teleport')?.roles, 'system_user system_post_all');
    assert.deepEqual(s.sim.teamsOf(result.botUserId), ['myteam']);
    assert.deepEqual(s.sim.accessTokens(result.botUserId), []);

    s.sim.clearRequests();
    const again = await planBot(api, spec);
    assert.deepEqual(again.actions, []);
    assert.deepEqual(formatPlan(again), ['= no changes']);
    await applyBotPlan(api, again);
    assert.deepEqual(writeRequests(s.sim), [], 'a no-op apply sends no writes');
  });

  test('a drifted display name is put back, and nothing else is touched', async () => {
    await applyBotPlan(api, await planBot(api, botSpec()));
    const bot = s.sim.bots()[0]!;
    await api.patchBot(bot.user_id, { display_name: 'Old' });
    s.sim.clearRequests();
    const plan = await planBot(api, botSpec());
    assert.deepEqual(formatPlan(plan), ['~ display_name: "Old" -> "Teleport"']);
    await applyBotPlan(api, plan);
    assert.equal(s.sim.bots()[0]?.display_name, 'Teleport');
    assert.deepEqual(writeRequests(s.sim).map((r) => `${r.method} ${r.path}`), [`PUT /api/v4/bots/${bot.user_id}`]);
    assert.deepEqual((await planBot(api, botSpec())).actions, []);
  });

  test('a disabled bot is enabled; roles are compared as a set; missing teams are joined, extra ones kept', async () => {
    s.sim.addTeam({ name: 'ops' });
    const bot = s.sim.addBot({
      username: 'teleport',
      displayName: 'Teleport',
      description: 'Teleport Access Request notifications',
      ownerId: s.admin.id,
      roles: ['system_post_all', 'system_user'],
      disabled: true,
    });
    s.sim.addTeamMember('ops', bot.user_id);
    const plan = await planBot(api, botSpec());
    assert.deepEqual(formatPlan(plan), ['~ enable bot teleport (it is disabled)', '+ join team myteam']);
    assert.deepEqual(plan.notes, ['bot is also in team(s) ops, not listed in the file (left as is)']);
    await applyBotPlan(api, plan);
    assert.equal(s.sim.bots()[0]?.delete_at, 0);
    assert.deepEqual(s.sim.teamsOf(bot.user_id).sort(), ['myteam', 'ops']);
    assert.deepEqual((await planBot(api, botSpec())).actions, []);
  });

  test('a token is created only when asked, and it works for posting', async () => {
    const channel = s.sim.addChannel({ team: 'myteam', name: 'access-requests' });
    const first = await applyBotPlan(api, await planBot(api, botSpec()));
    assert.equal(first.token, undefined);
    const plan = await planBot(api, botSpec(), { createToken: true });
    assert.deepEqual(formatPlan(plan), ['+ create token "teleport-mattermost plugin"']);
    const result = await applyBotPlan(api, plan);
    assert.ok(result.token);
    const [stored] = s.sim.accessTokens(result.botUserId);
    assert.equal(stored?.token, result.token.token);
    assert.equal(stored?.description, 'teleport-mattermost plugin');

    // The plugin's view: the new token posts through system_post_all without being a channel member.
    const asBot = createMattermostApi({ url: s.sim.url, token: result.token.token });
    assert.equal((await asBot.getMe()).username, 'teleport');
    const post = await asBot.createPost({ channel_id: channel.id, message: 'hello from the bot' });
    assert.equal(post.user_id, result.botUserId);

    const next = await planBot(api, botSpec(), { createToken: true });
    assert.deepEqual(next.notes, ['bot already has 1 active token(s); a new one is added, none is revoked']);
  });

  test('a non-admin token is reported as missing permission, naming System Admin', async () => {
    const user = s.sim.addUser({ username: 'mallory' });
    const userApi = createMattermostApi({ url: s.sim.url, token: s.sim.issueToken(user.id) });
    const err = await reconcileError(planBot(userApi, botSpec()));
    assert.equal(err.reason, 'forbidden');
    assert.match(err.message, /@mallory, who is not a System Admin/);
    assert.equal(err.apiError?.status, 403);
    assert.deepEqual(writeRequests(s.sim), []);
  });

  test('bot creation disabled: the error names the setting and where to turn it on', async () => {
    s.sim.setSetting('enableBotAccountCreation', false);
    const err = await reconcileError(planBot(api, botSpec()));
    assert.equal(err.reason, 'setting-off');
    assert.match(err.message, /ServiceSettings\.EnableBotAccountCreation is off/);
    assert.match(err.message, /System Console > Integrations > Bot Accounts > "Enable Bot Account Creation"/);
    // With the bot already there, nothing needs the setting.
    s.sim.addBot({ username: 'teleport', ownerId: s.admin.id });
    const plan = await planBot(api, botSpec());
    assert.ok(plan.actions.every((a) => a.kind !== 'create-bot'));
  });

  test('token creation with personal access tokens disabled still works for the bot, with a note', async () => {
    s.sim.setSetting('enableUserAccessTokens', false);
    const plan = await planBot(api, botSpec(), { createToken: true });
    assert.match(plan.notes.join('\n'), /ServiceSettings\.EnableUserAccessTokens is off: bot tokens still work/);
    const result = await applyBotPlan(api, plan);
    assert.ok(result.token);
  });

  test('conflicts and missing teams are explained', async () => {
    s.sim.addUser({ username: 'teleport' });
    const conflict = await reconcileError(planBot(api, botSpec()));
    assert.equal(conflict.reason, 'conflict');
    assert.match(conflict.message, /"teleport" belongs to a regular user account/);

    const missingTeam = await reconcileError(planBot(api, botSpec({ username: 'teleport2', teams: ['nope'] })));
    assert.equal(missingTeam.reason, 'not-found');
    assert.match(missingTeam.message, /team "nope" does not exist/);
  });

  test('a bad token fails at the first call with reason unauthorized', async () => {
    const bad = createMattermostApi({ url: s.sim.url, token: 'wrongtokenwrongtokenwrongt' });
    const err = await reconcileError(planBot(bad, botSpec()));
    assert.equal(err.reason, 'unauthorized');
    assert.equal(err.message.includes('wrongtokenwrongtokenwrongt'), false);
  });
});
