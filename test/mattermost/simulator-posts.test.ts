// The simulator's post updates and channel membership against the real server's code (mattermost/mattermost):
// - server/channels/api4/post.go updatePost / patchPost / saveIsPinnedPost: edit_post on the channel (plus
//   edit_others_posts for another's post); a missing post is 403; pin needs only read_channel.
// - server/channels/app/post.go UpdatePost: newPost = clone(old); message (edit_at only if it changed); with
//   SafeUpdate false (both routes) is_pinned, has_reactions and props come from the received post; edit_at also
//   moves when file ids or attachments change. PatchPost applies Post.Patch (only given fields; props replaces the
//   whole map) and then UpdatePost.
// - server/channels/app/post.go CreatePost: the root is looked up before Post.IsValid, so a malformed root_id is
//   api.post.create_post.root_id.app_error (400), not model.post.is_valid.root_id.app_error.
// - server/channels/api4/channel.go addChannelMember / getChannelMember / removeChannelMember and
//   server/public/model/role.go (channel_user holds edit_post and manage_*_channel_members, team_user
//   join_public_channels; system_post_all only create_post): the user must be in the channel's team.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, seededServer, type Seeded } from './helpers';

type Json = Record<string, unknown>;

describe('mattermost simulator: post updates as real Mattermost applies them', () => {
  let s: Seeded;
  let botToken: string;
  let botId: string;
  let channelId: string;
  before(async () => {
    s = await seededServer();
    const bot = s.sim.addBot({ username: 'notifier', ownerId: s.admin.id, roles: ['system_user', 'system_post_all'] });
    botId = bot.user_id;
    botToken = s.sim.issueToken(botId, { kind: 'access_token' });
    channelId = s.sim.addChannel({ team: 'myteam', name: 'access-requests' }).id;
    s.sim.addChannelMember(channelId, botId);
  });
  after(() => s.sim.close());

  async function pinnedBotPost(props: Json = { attachments: [{ text: 'PENDING' }], marker: 'req-1' }): Promise<Json> {
    const created = await api(s.sim, botToken, 'POST', '/posts', { channel_id: channelId, message: 'request', props });
    assert.equal(created.status, 201);
    const id = String(created.json?.id);
    const pin = await api(s.sim, botToken, 'POST', `/posts/${id}/pin`);
    assert.equal(pin.status, 200);
    assert.deepEqual(pin.json, { status: 'OK' });
    const got = await api(s.sim, botToken, 'GET', `/posts/${id}`);
    return got.json ?? {};
  }

  test('a pin sets is_pinned without touching edit_at', async () => {
    const post = await pinnedBotPost();
    assert.equal(post.is_pinned, true);
    assert.equal(post.edit_at, 0, 'a pin is not an edit');
  });

  test('full PUT takes is_pinned, has_reactions and props from the body: a pinned post is unpinned, from_bot dropped', async () => {
    const post = await pinnedBotPost();
    const res = await api(s.sim, botToken, 'PUT', `/posts/${String(post.id)}`, { id: post.id, channel_id: channelId, message: 'APPROVED' });
    assert.equal(res.status, 200);
    assert.equal(res.json?.message, 'APPROVED');
    assert.equal(res.json?.is_pinned, false);
    assert.deepEqual(res.json?.props, {});
    assert.notEqual(res.json?.edit_at, 0);
  });

  test('PATCH changes only what it is given: pin, from_bot and other props survive a message patch', async () => {
    const post = await pinnedBotPost();
    const res = await api(s.sim, botToken, 'PUT', `/posts/${String(post.id)}/patch`, { message: 'APPROVED' });
    assert.equal(res.status, 200);
    assert.equal(res.json?.message, 'APPROVED');
    assert.equal(res.json?.is_pinned, true);
    assert.deepEqual(res.json?.props, { attachments: [{ text: 'PENDING' }], marker: 'req-1', from_bot: 'true' });
  });

  test('PATCH with props replaces the whole map (so a client sends back what it keeps)', async () => {
    const post = await pinnedBotPost();
    const res = await api(s.sim, botToken, 'PUT', `/posts/${String(post.id)}/patch`, { props: { attachments: [{ text: 'APPROVED' }] } });
    assert.deepEqual(res.json?.props, { attachments: [{ text: 'APPROVED' }] });
    assert.equal(res.json?.is_pinned, true);
  });

  test('edit_at moves only when the message, file ids or attachments change', async () => {
    const post = await pinnedBotPost();
    const id = String(post.id);
    const sameMessage = await api(s.sim, botToken, 'PUT', `/posts/${id}/patch`, { message: 'request' });
    assert.equal(sameMessage.json?.edit_at, 0, 'same message: no edit');
    const otherProp = await api(s.sim, botToken, 'PUT', `/posts/${id}/patch`, {
      props: { attachments: [{ text: 'PENDING' }], marker: 'req-2', from_bot: 'true' },
    });
    assert.equal(otherProp.json?.edit_at, 0, 'a prop other than attachments: no edit');
    assert.ok(Number(otherProp.json?.update_at) >= Number(post.update_at));
    const attachments = await api(s.sim, botToken, 'PUT', `/posts/${id}/patch`, { props: { attachments: [{ text: 'DENIED' }] } });
    assert.notEqual(attachments.json?.edit_at, 0, 'changed attachments are an edit');
  });

  test('a malformed root_id gets the real error id (the root is looked up first)', async () => {
    for (const rootId of ['post-1', 'aaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      const res = await api(s.sim, botToken, 'POST', '/posts', { channel_id: channelId, root_id: rootId, message: 'x' });
      assert.equal(res.status, 400);
      assert.equal(res.json?.id, 'api.post.create_post.root_id.app_error');
    }
  });
});

describe('mattermost simulator: channel membership and the permissions it carries', () => {
  let s: Seeded;
  let botToken: string;
  let botId: string;
  before(async () => {
    s = await seededServer();
    const bot = s.sim.addBot({ username: 'notifier', ownerId: s.admin.id, roles: ['system_user', 'system_post_all'] });
    botId = bot.user_id;
    botToken = s.sim.issueToken(botId, { kind: 'access_token' });
    s.sim.addTeamMember(s.team.id, botId);
  });
  after(() => s.sim.close());

  test('system_post_all lets a team member post in a channel it is not in, but not edit there: 403 edit_post', async () => {
    s.sim.setSetting('enableDeveloper', true);
    try {
      const channel = s.sim.addChannel({ team: 'myteam', name: 'ops' });
      const created = await api(s.sim, botToken, 'POST', '/posts', { channel_id: channel.id, message: 'request' });
      assert.equal(created.status, 201);
      const patch = await api(s.sim, botToken, 'PUT', `/posts/${String(created.json?.id)}/patch`, { message: 'APPROVED' });
      assert.equal(patch.status, 403);
      assert.equal(patch.json?.id, 'api.context.permissions.app_error');
      assert.match(String(patch.json?.detailed_error), /permission=edit_post/);
      // joining the public channel itself (join_public_channels, from team_user) restores editing
      const join = await api(s.sim, botToken, 'POST', `/channels/${channel.id}/members`, { user_id: botId });
      assert.equal(join.status, 201);
      assert.equal(join.json?.user_id, botId);
      assert.equal(join.json?.roles, 'channel_user');
      const again = await api(s.sim, botToken, 'PUT', `/posts/${String(created.json?.id)}/patch`, { message: 'APPROVED' });
      assert.equal(again.status, 200);
    } finally {
      s.sim.setSetting('enableDeveloper', false);
    }
  });

  test('private channel: the bot cannot add itself; an admin can, idempotently (201 both times)', async () => {
    const secret = s.sim.addChannel({ team: 'myteam', name: 'secret', type: 'P' });
    const self = await api(s.sim, botToken, 'POST', `/channels/${secret.id}/members`, { user_id: botId });
    assert.equal(self.status, 403);
    for (let i = 0; i < 2; i++) {
      const added = await api(s.sim, s.adminToken, 'POST', `/channels/${secret.id}/members`, { user_id: botId });
      assert.equal(added.status, 201);
    }
    assert.deepEqual(s.sim.channelMembers(secret.id), [botId]);
    const member = await api(s.sim, botToken, 'GET', `/channels/${secret.id}/members/${botId}`);
    assert.equal(member.status, 200);
    assert.equal(member.json?.channel_id, secret.id);
  });

  test('adding others to a public channel needs manage_public_channel_members: channel members have it, outsiders not', async () => {
    const channel = s.sim.addChannel({ team: 'myteam', name: 'general' });
    const carol = s.sim.addUser({ username: 'carol' });
    const dan = s.sim.addUser({ username: 'dan' });
    s.sim.addTeamMember(s.team.id, carol.id);
    s.sim.addTeamMember(s.team.id, dan.id);
    const carolToken = s.sim.issueToken(carol.id);
    const denied = await api(s.sim, carolToken, 'POST', `/channels/${channel.id}/members`, { user_id: dan.id });
    assert.equal(denied.status, 403);
    s.sim.addChannelMember(channel.id, carol.id);
    const allowed = await api(s.sim, carolToken, 'POST', `/channels/${channel.id}/members`, { user_id: dan.id });
    assert.equal(allowed.status, 201);
  });

  test('the user must already be in the channel team; bad bodies and unknown channels get the real errors', async () => {
    const other = s.sim.addTeam({ name: 'otherteam' });
    const channel = s.sim.addChannel({ team: other.name, name: 'elsewhere' });
    const notInTeam = await api(s.sim, s.adminToken, 'POST', `/channels/${channel.id}/members`, { user_id: botId });
    assert.equal(notInTeam.status, 404);
    assert.equal(notInTeam.json?.id, 'app.team.get_member.missing.app_error');
    const bad = await api(s.sim, s.adminToken, 'POST', `/channels/${channel.id}/members`, { user_id: 'nope' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json?.id, 'api.context.invalid_body_param.app_error');
    const unknown = await api(s.sim, s.adminToken, 'POST', '/channels/aaaaaaaaaaaaaaaaaaaaaaaaaa/members', { user_id: botId });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json?.id, 'app.channel.get.existing.app_error');
    const nonMember = await api(s.sim, s.adminToken, 'GET', `/channels/${channel.id}/members/${botId}`);
    assert.equal(nonMember.status, 404);
    assert.equal(nonMember.json?.id, 'app.channel.get_member.missing.app_error');
  });

  test('removing the bot from a channel takes edit_post away again', async () => {
    const channel = s.sim.addChannel({ team: 'myteam', name: 'leaving' });
    s.sim.addChannelMember(channel.id, botId);
    const created = await api(s.sim, botToken, 'POST', '/posts', { channel_id: channel.id, message: 'request' });
    const removed = await api(s.sim, s.adminToken, 'DELETE', `/channels/${channel.id}/members/${botId}`);
    assert.equal(removed.status, 200);
    const patch = await api(s.sim, botToken, 'PUT', `/posts/${String(created.json?.id)}/patch`, { message: 'x' });
    assert.equal(patch.status, 403);
  });
});
