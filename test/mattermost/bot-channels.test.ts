// `dualauth mattermost apply` puts the bot into the channels its file names (the stack's "team/channel"
// recipients) with POST /channels/{id}/members, as real Mattermost requires for editing posts there
// (api4/post.go: edit_post on the channel, held by channel_user only; api4/channel.go addChannelMember).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { compareMattermostBot } from '../../drift/mattermost';
import { applyBotPlan, BotReconcileError, formatPlan, planBot } from '../../mattermost-bot/reconcile';
import { createMattermostApi, type MattermostApi } from '../../mattermost-client/client';
import { api as rawApi, botSpec, seededServer, type Seeded } from './helpers';

describe('bot channel membership', () => {
  let s: Seeded;
  let api: MattermostApi;
  beforeEach(async () => {
    s = await seededServer();
    s.sim.addChannel({ team: 'myteam', name: 'access-requests' });
    s.sim.addChannel({ team: 'myteam', name: 'audit', type: 'P' });
    api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: false });
  });
  afterEach(() => s.sim.close());

  test('apply joins public and private channels after the team; a second plan is empty; drift agrees', async () => {
    const spec = botSpec({ channels: ['myteam/access-requests', 'myteam/audit'] });
    const plan = await planBot(api, spec);
    assert.deepEqual(formatPlan(plan).slice(-3), ['+ join team myteam', '+ join channel myteam/access-requests', '+ join channel myteam/audit']);
    const result = await applyBotPlan(api, plan);
    for (const c of s.sim.channels().filter((c) => c.team_id === s.team.id)) {
      assert.ok(s.sim.channelMembers(c.id).includes(result.botUserId), `bot in ${c.name}`);
    }
    assert.deepEqual((await planBot(api, spec)).actions, []);
    assert.deepEqual((await compareMattermostBot(api, spec)).findings, []);

    // the bot can now update what it posts there
    const botToken = s.sim.issueToken(result.botUserId, { kind: 'access_token' });
    const channelId = s.sim.channels().find((c) => c.name === 'access-requests')!.id;
    const post = await rawApi(s.sim, botToken, 'POST', '/posts', { channel_id: channelId, message: 'PENDING' });
    const patch = await rawApi(s.sim, botToken, 'PUT', `/posts/${String(post.json?.id)}/patch`, { message: 'APPROVED' });
    assert.equal(patch.status, 200);
  });

  test('a bot removed from a channel is drift and the next apply adds it back', async () => {
    const spec = botSpec({ channels: ['myteam/access-requests'] });
    const { botUserId } = await applyBotPlan(api, await planBot(api, spec));
    const channelId = s.sim.channels().find((c) => c.name === 'access-requests')!.id;
    await api.removeFromChannel(botUserId, channelId);
    const drift = await compareMattermostBot(api, spec);
    assert.deepEqual(drift.findings[0]?.changes, [{ path: 'channels', before: ['myteam/access-requests'], after: [] }]);
    assert.deepEqual(formatPlan(await planBot(api, spec)), ['+ join channel myteam/access-requests']);
  });

  test('a channel that does not exist stops the plan with the fix', async () => {
    const err = await planBot(api, botSpec({ channels: ['myteam/nope'] })).catch((e: unknown) => e);
    assert.ok(err instanceof BotReconcileError);
    assert.match(err.message, /channel "myteam\/nope" does not exist on the server .*: create it, or fix "channels" in the bot file/);
  });
});
