// Issue 12, relay side, against the Mattermost simulator (which follows mattermost/mattermost api4/post.go and
// app/post.go: the full PUT takes is_pinned/props from the body, patch only what it is given; edit_post is held
// by channel members only):
// - updates go through PUT /posts/{id}/patch with the message only: a pinned root post stays pinned, from_bot
//   and the marker stay;
// - the start-up check refuses a channel recipient the bot is not a member of, naming the config key and the
//   command that fixes it;
// - at run time a 403 on an update in a channel the bot left is reported as such (a metric), retried, and goes
//   through once the bot is back; a 403 for a deleted post stays a permanent refusal.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createMattermostApi, type MattermostApi } from '../../mattermost-client/client';
import { UpdateForbiddenError, MattermostMessenger } from '../../relay/messengers/mattermost/messenger';
import { ConfigError } from '../../relay/config/errors';
import { startRelay } from '../../relay/app';
import { silentLogger } from '../../relay/log';
import { eventually, settled, startWorld, type World } from './helpers';

describe('relay: Mattermost posts stay pinned, and the bot must be in its channels', () => {
  let w: World;
  let api: MattermostApi;
  let admin: MattermostApi;
  before(async () => {
    w = await startWorld();
    api = createMattermostApi({ url: w.mattermost.url, token: readFileSync(w.tokenFile, 'utf8').trim(), retry: false });
    const root = w.mattermost.user('root')!;
    admin = createMattermostApi({ url: w.mattermost.url, token: w.mattermost.issueToken(root.id), retry: false });
  });
  after(() => w.close());

  test('an approved request keeps its pinned root post pinned (patch, not a full PUT)', async () => {
    const relay = await w.start();
    try {
      await settled(relay);
      const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'pin test');
      const root = await eventually(() => w.rootPosts().find((p) => p.channel_id === w.channelId && p.message.includes(req.id)), 5000, 'root post in the channel');
      await admin.pinPost(root.id);
      w.teleport.review(req.id, 'alice@example.com', 'APPROVED', 'ok');
      w.teleport.review(req.id, 'ivan@example.com', 'APPROVED', 'ok');
      const updated = await eventually(() => {
        const p = w.mattermost.posts().find((x) => x.id === root.id);
        return p && /APPROVED/.test(p.message) ? p : undefined;
      }, 5000, 'root post shows APPROVED');
      assert.equal(updated.is_pinned, true, 'still pinned after approval');
      assert.equal(updated.props.from_bot, 'true');
      assert.ok(typeof updated.props.dualauth_marker === 'string', 'the marker is kept');
      const patches = w.mattermost.requests().filter((r) => r.method === 'PUT' && r.path.startsWith('/api/v4/posts/'));
      assert.ok(patches.length > 0 && patches.every((r) => r.path.endsWith('/patch')), 'every update is a patch');
    } finally {
      await relay.stop();
    }
  });

  test('start-up refuses a channel recipient the bot is not a member of, naming the key and the fix', async () => {
    w.mattermost.addChannel({ team: 'myteam', name: 'audit' });
    const config = w.config();
    config.roleToRecipients = { ...config.roleToRecipients, '*': ['myteam/audit'] };
    config.recipientKeys = { ...config.recipientKeys, '*': 'role_to_recipients."*"' };
    const refused = await startRelay(config, { log: silentLogger() }).then(
      async (r) => void (await r.stop()),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof ConfigError, String(refused));
    assert.match(refused.message, /role_to_recipients\."\*"/);
    assert.match(refused.message, /the bot @teleport is not a member of this channel: it could post there but never update its posts/);
    assert.match(refused.message, /dualauth mattermost apply --bot mattermost-bot\.json/);
  });

  test('a 403 on update in a channel the bot left is reported, not permanent, and succeeds once it is back', async () => {
    const forbidden: string[] = [];
    const m = new MattermostMessenger(api, w.botId, { botUsername: 'teleport', onUpdateForbidden: (p) => forbidden.push(p.postId) });
    const ref = await m.postRequest({ to: w.channelId, text: 'PENDING', marker: 'membership-test' });
    await admin.removeFromChannel(w.botId, w.channelId);
    const err = await m.updatePost({ post: ref, text: 'APPROVED' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof UpdateForbiddenError, String(err));
    assert.match(err.message, /403, edit_post\): the bot is not a member of the channel/);
    assert.equal(m.isPermanentError(err), false, 'retried by the work queue, not dropped');
    assert.deepEqual(forbidden, [ref.postId]);
    await admin.addToChannel(w.botId, w.channelId);
    await m.updatePost({ post: ref, text: 'APPROVED' });
    assert.equal(w.mattermost.posts().find((p) => p.id === ref.postId)?.message, 'APPROVED');
  });

  test('running relay: the bot removed from the channel, the approval update is counted as forbidden and lands once it is back', async () => {
    const relay = await w.start();
    try {
      await settled(relay);
      const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'membership lost');
      const root = await eventually(() => w.rootPosts().find((p) => p.channel_id === w.channelId && p.message.includes(req.id)), 5000, 'root post in the channel');
      await admin.removeFromChannel(w.botId, w.channelId);
      w.teleport.review(req.id, 'alice@example.com', 'APPROVED', 'ok');
      w.teleport.review(req.id, 'ivan@example.com', 'APPROVED', 'ok');
      const forbidden = async () => (await relay.metrics.registry.getSingleMetric('dualauth_relay_mattermost_update_forbidden_total')?.get())?.values[0]?.value ?? 0;
      await eventually(async () => (await forbidden()) >= 1, 5000, 'a forbidden update counted');
      assert.doesNotMatch(w.mattermost.posts().find((p) => p.id === root.id)!.message, /APPROVED/);
      await admin.addToChannel(w.botId, w.channelId);
      await eventually(() => /APPROVED/.test(w.mattermost.posts().find((p) => p.id === root.id)!.message), 10_000, 'the update retried after membership is back');
    } finally {
      await relay.stop();
    }
  });

  test('a 403 for a post that no longer exists stays a permanent refusal', async () => {
    const m = new MattermostMessenger(api, w.botId);
    const err = await m.updatePost({ post: { address: w.channelId, postId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa' }, text: 'x' }).then(() => undefined, (e: unknown) => e);
    assert.ok(!(err instanceof UpdateForbiddenError));
    assert.equal(m.isPermanentError(err), true);
  });
});
