/**
 * Swapping Teleport's Go plugin and the relay on one cluster: each updates the other's posts, through
 * the same plugin data keys and the same compare-and-swap rules. "The Go plugin" here is
 * go-plugin-model.ts (its codec and CAS, transcribed) plus the Mattermost calls it makes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMattermostApi, type MattermostApi } from '../../mattermost-client/client';
import { connectTeleport, type TeleportClient } from '../../teleport-client/client';
import { goCreate, goDecode, goEmpty, goUpdate } from './go-plugin-model';
import { eventually, postsFor, settled, sleep, startWorld, type World } from './helpers';

describe('interop with the Go plugin on the same cluster', () => {
  let w: World;
  let tp: TeleportClient;
  let mm: MattermostApi;
  before(async () => {
    w = await startWorld();
    tp = await connectTeleport({ addr: w.teleport.addr, identityFile: w.identityFile });
    const { readFileSync } = await import('node:fs');
    mm = createMattermostApi({ url: w.mattermost.url, token: readFileSync(w.tokenFile, 'utf8').trim() });
  });
  after(async () => {
    tp.close();
    await w.close();
  });

  it('the relay picks up a request the Go plugin announced: replies in its threads, updates its posts', async () => {
    const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'announced by Go');
    // The Go plugin: claim by CAS create, post, record the messages by CAS update.
    assert.equal(await goCreate(tp, req.id, { ...goEmpty(), User: 'bob', Roles: ['dbadmin'], RequestReason: 'announced by Go' }), 'created');
    const alice = w.mattermost.user('alice')!;
    const dm = await mm.createDirectChannel(w.botId, alice.id);
    const goPosts: { id: string; channel_id: string }[] = [];
    for (const channel of [w.channelId, dm.id]) goPosts.push(await mm.createPost({ channel_id: channel, message: `*You have new pending request to review!*\n**Request ID**: ${req.id}` }));
    await goUpdate(tp, req.id, (d) => ({ ...d, SentMessages: goPosts.map((p) => ({ ChannelID: p.channel_id, MessageID: p.id })) }));

    const relay = await w.start();
    try {
      await settled(relay);
      await sleep(100);
      assert.equal(postsFor(w.mattermost.posts(), req.id).size, 2, 'the relay does not announce it again');
      w.teleport.review(req.id, 'alice@example.com', 'APPROVED', 'ok');
      await eventually(() => w.replies().filter((r) => goPosts.some((p) => p.id === r.root_id)).length === 2, 5000, 'replies in the Go threads');
      w.teleport.review(req.id, 'ivan@example.com', 'APPROVED', 'ok too');
      await eventually(() => goPosts.every((gp) => /✅ APPROVED · 2 of 2 approvals/.test(w.mattermost.posts().find((p) => p.id === gp.id)!.message)), 5000, 'Go posts updated');
      const data = await eventually(async () => {
        const d = goDecode((await tp.getPluginEntry(req.id, 'mattermost'))!);
        return d.ResolutionTag === 'APPROVED' ? d : undefined;
      }, 5000, 'resolution recorded');
      assert.equal(data.ReviewsCount, 2);
      assert.equal(data.SentMessages.length, 2);
      assert.equal(postsFor(w.mattermost.posts().filter((p) => p.root_id === ''), req.id).size, 2, 'still only the Go plugin root posts');
    } finally {
      await relay.stop();
    }
  });

  it('the Go plugin updates what the relay announced: its CAS expectations match our data', async () => {
    const relay = await w.start();
    const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'announced by the relay <&>');
    try {
      await settled(relay);
      await eventually(() => postsFor(w.rootPosts(), req.id).size === 4 && !w.teleport.pluginData(req.id)?.mattermost?.relay_claim, 5000, 'announced');
    } finally {
      await relay.stop();
    }
    // The Go plugin now runs instead: its Create sees our data and does not post again.
    assert.equal(await goCreate(tp, req.id, { ...goEmpty(), User: 'bob' }), 'exists');
    w.teleport.review(req.id, 'alice@example.com', 'APPROVED');
    w.teleport.review(req.id, 'ivan@example.com', 'APPROVED');
    // Its review replies and resolution go through CAS Update with encode(decode(current)) as the
    // expectation: this only succeeds if our encoding is byte-identical to Go's.
    const updated = await goUpdate(tp, req.id, (d) => ({ ...d, ReviewsCount: 2, ResolutionTag: 'APPROVED', ResolutionReason: '' }));
    assert.equal(updated.SentMessages.length, 4);
    for (const m of updated.SentMessages) await mm.updatePost({ id: m.MessageID, channel_id: m.ChannelID, message: `**Status**: ✅ APPROVED (Go plugin) ${req.id}` });

    // And back to the relay: nothing left to do, nothing posted, the Go plugin's texts stay.
    const before = w.mattermost.posts().length;
    const relay2 = await w.start();
    try {
      await settled(relay2);
      await sleep(200);
      assert.equal(w.mattermost.posts().length, before);
      const roots = w.mattermost.posts().filter((p) => p.root_id === '' && p.message.includes(req.id));
      assert.equal(roots.length, 4);
      assert.ok(roots.every((p) => /Go plugin/.test(p.message)));
    } finally {
      await relay2.stop();
    }
  });
});
