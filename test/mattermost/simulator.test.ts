// Contract tests for the Mattermost simulator: it must answer the way the real server does (status codes, error
// bodies, content types, permissions, rate limiting), or tests built on it prove nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client4, ClientError } from '@mattermost/client';
import { api, seededServer, type Seeded } from './helpers';

const ID = /^[ybndrfg8ejkmcpqxot1uwisza345h769]{26}$/;

function assertAppError(json: Record<string, unknown> | null, status: number, id: string): void {
  assert.ok(json, 'error body must be JSON');
  assert.deepEqual(Object.keys(json).sort(), ['detailed_error', 'id', 'message', 'request_id', 'status_code']);
  assert.equal(json.id, id);
  assert.equal(json.status_code, status);
  assert.equal(typeof json.message, 'string');
  assert.notEqual(json.message, '');
}

describe('mattermost simulator', () => {
  let s: Seeded;
  before(async () => {
    s = await seededServer();
  });
  after(() => s.sim.close());

  test('401 without a token or with an unknown one: the real AppError body, exact content type', async () => {
    for (const token of [null, 'nosuchtokennosuchtokennosu']) {
      const res = await api(s.sim, token, 'GET', '/users/me');
      assert.equal(res.status, 401);
      assert.equal(res.contentType, 'application/json');
      assertAppError(res.json, 401, 'api.context.session_expired.app_error');
      assert.equal(res.json?.detailed_error, '');
      assert.equal(res.json?.request_id, res.headers.get('x-request-id'));
      assert.match(res.headers.get('x-version-id') ?? '', /^\d+\.\d+\.\d+\.\d+\.\w+\.false$/);
    }
  });

  test('developer mode keeps detailed_error, which then echoes the rejected token', async () => {
    s.sim.setSetting('enableDeveloper', true);
    try {
      const res = await api(s.sim, 'leakedtokenleakedtokenleak', 'GET', '/users/me');
      assert.equal(res.json?.detailed_error, 'token=leakedtokenleakedtokenleak');
    } finally {
      s.sim.setSetting('enableDeveloper', false);
    }
  });

  test('Authorization scheme is case-insensitive (Client4 sends BEARER); a query-string token is refused', async () => {
    const res = await fetch(`${s.sim.url}/api/v4/users/me`, { headers: { Authorization: `bEaReR ${s.adminToken}` } });
    assert.equal(res.status, 200);
    const query = await fetch(`${s.sim.url}/api/v4/users/me?access_token=${s.adminToken}`);
    assert.equal(query.status, 401);
    assert.equal(((await query.json()) as { id: string }).id, 'api.context.token_provided.app_error');
  });

  test('ids are 26-character lowercase base32; malformed ids are 400, unknown ones 404', async () => {
    const me = await api(s.sim, s.adminToken, 'GET', '/users/me');
    assert.match(String(me.json?.id), ID);
    const bad = await api(s.sim, s.adminToken, 'GET', '/users/post-1');
    assert.equal(bad.status, 400);
    assertAppError(bad.json, 400, 'api.context.invalid_url_param.app_error');
    const missingBot = await api(s.sim, s.adminToken, 'GET', '/bots/aaaaaaaaaaaaaaaaaaaaaaaaaa');
    assert.equal(missingBot.status, 404);
    assertAppError(missingBot.json, 404, 'store.sql_bot.get.missing.app_error');
    const missingUser = await api(s.sim, s.adminToken, 'GET', '/users/username/nobody');
    assertAppError(missingUser.json, 404, 'app.user.get_by_username.app_error');
    const missingTeam = await api(s.sim, s.adminToken, 'GET', '/teams/name/noteam');
    assertAppError(missingTeam.json, 404, 'app.team.get_by_name.missing.app_error');
    const unknownRoute = await api(s.sim, s.adminToken, 'GET', '/nope');
    assertAppError(unknownRoute.json, 404, 'api.context.404.app_error');
  });

  test('bot creation: 201 for an admin, 403 for a plain user and for a bot, 400 for a bad body or taken name', async () => {
    const user = s.sim.addUser({ username: 'alice' });
    const userToken = s.sim.issueToken(user.id);
    const denied = await api(s.sim, userToken, 'POST', '/bots', { username: 'alicebot' });
    assert.equal(denied.status, 403);
    assertAppError(denied.json, 403, 'api.context.permissions.app_error');

    const created = await api(s.sim, s.adminToken, 'POST', '/bots', { username: 'builder', display_name: 'Builder' });
    assert.equal(created.status, 201);
    assert.equal(created.json?.username, 'builder');
    assert.equal(created.json?.owner_id, s.admin.id);
    assert.equal('description' in (created.json ?? {}), false, 'empty description is omitted, like omitempty');

    const botToken = s.sim.issueToken(String(created.json?.user_id), { kind: 'access_token' });
    const byBot = await api(s.sim, botToken, 'POST', '/bots', { username: 'botbot' });
    assert.equal(byBot.status, 403);

    const malformed = await api(s.sim, s.adminToken, 'POST', '/bots', '{"username":');
    assertAppError(malformed.json, 400, 'api.context.invalid_body_param.app_error');
    const upper = await api(s.sim, s.adminToken, 'POST', '/bots', { username: 'Upper' });
    assertAppError(upper.json, 400, 'model.bot.is_valid.username.app_error');
    const taken = await api(s.sim, s.adminToken, 'POST', '/bots', { username: 'alice' });
    assertAppError(taken.json, 400, 'app.user.save.username_exists.app_error');
  });

  test('settings off: bot creation 403 api.bot.create_disabled; human PATs 501 while bot tokens still work', async () => {
    const bot = s.sim.addBot({ username: 'existing', ownerId: s.admin.id });
    s.sim.setSetting('enableBotAccountCreation', false);
    s.sim.setSetting('enableUserAccessTokens', false);
    try {
      const create = await api(s.sim, s.adminToken, 'POST', '/bots', { username: 'newbot' });
      assert.equal(create.status, 403);
      assertAppError(create.json, 403, 'api.bot.create_disabled');

      const human = await api(s.sim, s.adminToken, 'POST', `/users/${s.admin.id}/tokens`, { description: 'mine' });
      assert.equal(human.status, 501);
      assertAppError(human.json, 501, 'app.user_access_token.disabled');

      const forBot = await api(s.sim, s.adminToken, 'POST', `/users/${bot.user_id}/tokens`, { description: 'plugin' });
      assert.equal(forBot.status, 200, 'token creation answers 200, not the 201 of the spec');
      const botToken = String(forBot.json?.token);
      assert.match(botToken, ID);
      assert.equal((await api(s.sim, botToken, 'GET', '/users/me')).status, 200, 'bot tokens work with PATs disabled');

      const pat = s.sim.issueToken(s.admin.id, { kind: 'access_token' });
      assert.equal((await api(s.sim, pat, 'GET', '/users/me')).status, 401, 'a human PAT stops working when PATs are off');
    } finally {
      s.sim.setSetting('enableBotAccountCreation', true);
      s.sim.setSetting('enableUserAccessTokens', true);
    }
  });

  test('only manage_roles may set roles; unknown roles and a lone system_admin are 400', async () => {
    const u = s.sim.addUser({ username: 'bob' });
    const t = s.sim.issueToken(u.id);
    const denied = await api(s.sim, t, 'PUT', `/users/${u.id}/roles`, { roles: 'system_user system_admin' });
    assertAppError(denied.json, 403, 'api.context.permissions.app_error');
    const unknown = await api(s.sim, s.adminToken, 'PUT', `/users/${u.id}/roles`, { roles: 'system_user wizard' });
    assertAppError(unknown.json, 400, 'app.role.check_roles_exist.role_not_found');
    const lone = await api(s.sim, s.adminToken, 'PUT', `/users/${u.id}/roles`, { roles: 'system_admin' });
    assert.equal(lone.status, 400);
    const okRes = await api(s.sim, s.adminToken, 'PUT', `/users/${u.id}/roles`, { roles: 'system_user system_post_all' });
    assert.equal(okRes.status, 200);
    assert.deepEqual(okRes.json, { status: 'OK' });
    assert.equal(s.sim.user(u.id)?.roles, 'system_user system_post_all');
  });

  test('GET /config is for admins only; /config/client needs format=old and is public', async () => {
    const u = s.sim.addUser({ username: 'carol' });
    const t = s.sim.issueToken(u.id);
    assertAppError((await api(s.sim, t, 'GET', '/config')).json, 403, 'api.context.permissions.app_error');
    const cfg = await api(s.sim, s.adminToken, 'GET', '/config');
    assert.equal((cfg.json?.ServiceSettings as Record<string, unknown>).EnableBotAccountCreation, true);
    assert.equal((await api(s.sim, null, 'GET', '/config/client')).status, 501);
    const client = await api(s.sim, null, 'GET', '/config/client?format=old');
    assert.equal(client.status, 200);
    assert.equal(client.json?.MaxPostSize, undefined, 'anonymous callers get the limited config');
    const full = await api(s.sim, t, 'GET', '/config/client?format=old');
    assert.equal(full.json?.MaxPostSize, '16383');
    assert.equal((await api(s.sim, null, 'GET', '/system/ping')).json?.status, 'OK');
  });

  describe('channels and posts', () => {
    let bot: { user_id: string };
    let botToken: string;
    let town: { id: string };
    before(() => {
      bot = s.sim.addBot({ username: 'notifier', ownerId: s.admin.id });
      botToken = s.sim.issueToken(bot.user_id, { kind: 'access_token' });
      town = s.sim.addChannel({ team: 'myteam', name: 'town-square' });
      s.sim.addChannel({ team: 'myteam', name: 'secret', type: 'P' });
    });

    test('a bot without system_post_all cannot post where it is not a member; with it, it can', async () => {
      const denied = await api(s.sim, botToken, 'POST', '/posts', { channel_id: town.id, message: 'hi' });
      assert.equal(denied.status, 403);
      assertAppError(denied.json, 403, 'api.context.permissions.app_error');
      await api(s.sim, s.adminToken, 'PUT', `/users/${bot.user_id}/roles`, { roles: 'system_user system_post_all' });
      const posted = await api(s.sim, botToken, 'POST', '/posts', { channel_id: town.id, message: 'hi' });
      assert.equal(posted.status, 201);
      assert.match(String(posted.json?.id), ID);
      assert.deepEqual(posted.json?.props, { from_bot: 'true' });
      // ...but editing needs channel membership, which system_post_all does not give.
      const edit = await api(s.sim, botToken, 'PUT', `/posts/${String(posted.json?.id)}`, {
        id: posted.json?.id,
        channel_id: town.id,
        message: 'edited',
      });
      assert.equal(edit.status, 403);
    });

    test('channel lookup by team/channel name: private channels you cannot read are 404, public ones 403', async () => {
      const outsider = s.sim.addUser({ username: 'dave' });
      const t = s.sim.issueToken(outsider.id);
      assertAppError((await api(s.sim, t, 'GET', '/teams/name/myteam/channels/name/secret')).json, 404, 'app.channel.get_by_name.missing.app_error');
      assertAppError((await api(s.sim, t, 'GET', '/teams/name/myteam/channels/name/town-square')).json, 403, 'api.context.permissions.app_error');
      const found = await api(s.sim, s.adminToken, 'GET', '/teams/name/myteam/channels/name/town-square');
      assert.equal(found.json?.id, town.id);
    });

    test('direct channels: 201 get-or-create, D type, sorted "a__b" name', async () => {
      const erin = s.sim.addUser({ username: 'erin', email: 'Erin+ops@Example.com' });
      const byEmail = await api(s.sim, botToken, 'GET', `/users/email/${encodeURIComponent('erin+ops@example.com')}`);
      assert.equal(byEmail.json?.id, erin.id);
      const first = await api(s.sim, botToken, 'POST', '/channels/direct', [bot.user_id, erin.id]);
      const second = await api(s.sim, botToken, 'POST', '/channels/direct', [erin.id, bot.user_id]);
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.equal(first.json?.id, second.json?.id);
      assert.equal(first.json?.type, 'D');
      assert.equal(first.json?.name, [bot.user_id, erin.id].sort().join('__'));
      const notMine = await api(s.sim, botToken, 'POST', '/channels/direct', [erin.id, s.admin.id]);
      assert.equal(notMine.status, 403);
      const three = await api(s.sim, botToken, 'POST', '/channels/direct', [bot.user_id, erin.id, s.admin.id]);
      assertAppError(three.json, 400, 'api.context.invalid_body_param.app_error');
    });

    test('message length is counted in runes: 16383 passes, 16384 is 400', async () => {
      const astral = '😀'.repeat(16383); // 32766 UTF-16 units, 16383 runes
      const okRes = await api(s.sim, s.adminToken, 'POST', '/posts', { channel_id: town.id, message: astral });
      assert.equal(okRes.status, 201);
      const tooLong = await api(s.sim, s.adminToken, 'POST', '/posts', { channel_id: town.id, message: 'x'.repeat(16384) });
      assertAppError(tooLong.json, 400, 'model.post.is_valid.message_length.app_error');
    });

    test('threads, updates and patches follow the server rules', async () => {
      const root = await api(s.sim, s.adminToken, 'POST', '/posts', { channel_id: town.id, message: 'root' });
      const rootId = String(root.json?.id);
      const reply = await api(s.sim, s.adminToken, 'POST', '/posts', { channel_id: town.id, root_id: rootId, message: 'r1' });
      assert.equal(reply.status, 201);
      assert.equal(reply.json?.root_id, rootId);
      const other = s.sim.addChannel({ team: 'myteam', name: 'other' });
      const cross = await api(s.sim, s.adminToken, 'POST', '/posts', { channel_id: other.id, root_id: rootId, message: 'x' });
      assertAppError(cross.json, 400, 'api.post.create_post.channel_root_id.app_error');
      const badRoot = await api(s.sim, s.adminToken, 'POST', '/posts', { channel_id: town.id, root_id: 'post-1', message: 'x' });
      // App.CreatePost looks the root up before Post.IsValid: a malformed id is "not found", like an unknown one.
      assertAppError(badRoot.json, 400, 'api.post.create_post.root_id.app_error');

      const mismatch = await api(s.sim, s.adminToken, 'PUT', `/posts/${rootId}`, { id: String(reply.json?.id), message: 'm' });
      assertAppError(mismatch.json, 400, 'api.context.invalid_body_param.app_error');
      const missing = await api(s.sim, s.adminToken, 'PUT', '/posts/aaaaaaaaaaaaaaaaaaaaaaaaaa/patch', { message: 'm' });
      assert.equal(missing.status, 403, 'updating a missing post is a permission error, not 404');
      const patched = await api(s.sim, s.adminToken, 'PUT', `/posts/${rootId}/patch`, { message: 'patched' });
      assert.equal(patched.json?.message, 'patched');
      assert.notEqual(patched.json?.edit_at, 0);
      const got = await api(s.sim, s.adminToken, 'GET', `/posts/${rootId}`);
      assert.equal(got.json?.reply_count, 1);
      assertAppError((await api(s.sim, s.adminToken, 'GET', '/posts/aaaaaaaaaaaaaaaaaaaaaaaaaa')).json, 404, 'app.post.get.app_error');
    });

    test('attachment action integrations are kept server-side and stripped from responses', async () => {
      const props = {
        attachments: [{ text: 'approve?', actions: [{ name: 'Approve', integration: { url: 'https://relay/x', context: { s: 1 } } }] }],
      };
      const res = await api(s.sim, s.adminToken, 'POST', '/posts', { channel_id: town.id, message: '', props });
      const action = (res.json?.props as { attachments: { actions: Record<string, unknown>[] }[] }).attachments[0]?.actions[0];
      assert.equal(action?.integration, undefined);
      assert.match(String(action?.id), /^[a-z0-9]{26}$/);
      const stored = s.sim.posts().find((p) => p.id === res.json?.id);
      const storedAction = (stored?.props as typeof props).attachments[0]?.actions[0];
      assert.deepEqual(storedAction?.integration, { url: 'https://relay/x', context: { s: 1 } });
    });

    test('a repeated pending_post_id within 30 s returns the first post instead of a duplicate', async () => {
      const body = { channel_id: town.id, message: 'once', pending_post_id: 'abc:1' };
      const a = await api(s.sim, s.adminToken, 'POST', '/posts', body);
      const b = await api(s.sim, s.adminToken, 'POST', '/posts', body);
      assert.equal(a.json?.id, b.json?.id);
      assert.equal(s.sim.posts().filter((p) => p.message === 'once').length, 1);
    });
  });

  test('Client4 parses the simulator like the real server: data on success, ClientError fields on failure', async () => {
    const client = new Client4();
    client.setUrl(s.sim.url);
    client.setToken(s.adminToken);
    const me = await client.getMe();
    assert.equal(me.username, 'root');
    client.setToken('nosuchtokennosuchtokennosu');
    await assert.rejects(client.getMe(), (err: unknown) => {
      assert.ok(err instanceof ClientError);
      assert.equal(err.status_code, 401);
      assert.equal(err.server_error_id, 'api.context.session_expired.app_error');
      return true;
    });
  });
});

describe('mattermost simulator rate limiting', () => {
  test('GCRA: burst+1 requests pass, then a plain-text 429 with the limiter headers and no API headers', async () => {
    const s = await seededServer({ rateLimit: { perSecond: 2, burst: 2 } });
    try {
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push(await api(s.sim, s.adminToken, 'GET', '/users/me'));
      assert.deepEqual(seen.map((r) => r.status), [200, 200, 200, 429]);
      assert.deepEqual(seen.map((r) => r.headers.get('x-ratelimit-remaining')), ['2', '1', '0', '0']);
      for (const r of seen) assert.equal(r.headers.get('x-ratelimit-limit'), '3');
      const limited = seen[3]!;
      assert.equal(limited.contentType, 'text/plain; charset=utf-8');
      assert.equal(limited.text, 'limit exceeded\n');
      assert.equal(limited.headers.get('retry-after'), '1');
      assert.equal(limited.headers.get('x-ratelimit-reset'), '2');
      assert.equal(limited.headers.get('x-request-id'), null);
      assert.equal(seen[0]!.headers.get('retry-after'), null, 'Retry-After only on 429');
      assert.equal(s.sim.requests().filter((r) => r.rateLimited).length, 1);
    } finally {
      await s.sim.close();
    }
  });

  test('with VaryByUser the bucket is per token', async () => {
    const s = await seededServer({ rateLimit: { perSecond: 1, burst: 0, varyByUser: true } });
    try {
      const other = s.sim.issueToken(s.admin.id);
      assert.equal((await api(s.sim, s.adminToken, 'GET', '/users/me')).status, 200);
      assert.equal((await api(s.sim, s.adminToken, 'GET', '/users/me')).status, 429);
      assert.equal((await api(s.sim, other, 'GET', '/users/me')).status, 200);
    } finally {
      await s.sim.close();
    }
  });
});
