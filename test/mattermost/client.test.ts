// The Mattermost client's retry policy and error mapping, exercised against the simulator over real HTTP.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createMattermostApi, MattermostApiError, normaliseSiteUrl, type RetryEvent } from '../../mattermost-client/client';
import { decideRetry, isRetrySafe, serverWaitHintMs } from '../../mattermost-client/retry-policy';
import { closedPort, seededServer, type Seeded } from './helpers';

const FAST = { baseDelayMs: 10, maxDelayMs: 50 };

async function rejection(p: Promise<unknown>): Promise<MattermostApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof MattermostApiError, `expected MattermostApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('mattermost client retries', () => {
  let s: Seeded;
  before(async () => {
    s = await seededServer();
  });
  after(() => s.sim.close());

  test('5xx on a read is retried with backoff until it succeeds', async () => {
    s.sim.clearRequests();
    s.sim.failNext(2, 503);
    const events: RetryEvent[] = [];
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: FAST, onRetry: (e) => events.push(e) });
    const me = await api.getMe();
    assert.equal(me.id, s.admin.id);
    assert.deepEqual(s.sim.requests().map((r) => r.status), [503, 503, 200]);
    assert.deepEqual(events.map((e) => [e.attempt, e.status]), [[1, 503], [2, 503]]);
  });

  test('a 5xx on a create that is not idempotent (POST /bots) is not resent', async () => {
    s.sim.clearRequests();
    s.sim.failNext(1, 500, { method: 'POST', path: '/api/v4/bots' });
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: FAST });
    const err = await rejection(api.createBot({ username: 'once' }));
    assert.equal(err.status, 500);
    assert.equal(err.serverErrorId, 'simulator.injected_failure.app_error');
    assert.equal(err.attempts, 1);
    assert.equal(s.sim.requests().length, 1);
  });

  test('createPost is resent after an ambiguous 5xx and the server deduplicates it (pending_post_id)', async () => {
    const channel = s.sim.addChannel({ team: 'myteam', name: 'alerts' });
    s.sim.clearRequests();
    // The post is saved, then the answer is lost: the client cannot tell and must resend safely.
    s.sim.failNext(1, 502, { path: '/api/v4/posts', afterHandling: true });
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: FAST });
    const post = await api.createPost({ channel_id: channel.id, message: 'exactly once' });
    assert.deepEqual(s.sim.requests().map((r) => r.status), [502, 201]);
    const stored = s.sim.posts().filter((p) => p.message === 'exactly once');
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.id, post.id);
  });

  test('4xx other than 429 is never retried, and maps to status + Mattermost error id', async () => {
    s.sim.clearRequests();
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: FAST });
    const notFound = await rejection(api.getUserByUsername('nobody'));
    assert.equal(notFound.status, 404);
    assert.equal(notFound.serverErrorId, 'app.user.get_by_username.app_error');
    assert.equal(notFound.attempts, 1);
    assert.equal(notFound.path, '/api/v4/users/username/nobody');
    const user = s.sim.addUser({ username: 'plain' });
    const plain = createMattermostApi({ url: s.sim.url, token: s.sim.issueToken(user.id), retry: FAST });
    const forbidden = await rejection(plain.getConfig());
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.serverErrorId, 'api.context.permissions.app_error');
    assert.equal(s.sim.requests().length, 2);
  });

  test('a dropped connection on a read is retried', async () => {
    s.sim.clearRequests();
    s.sim.dropNextConnections(1);
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: FAST });
    assert.equal((await api.getMe()).id, s.admin.id);
    assert.deepEqual(s.sim.requests().map((r) => r.status), [0, 200]);
  });

  test('connection refused is retried up to maxAttempts, then reported with status 0', async () => {
    const port = await closedPort();
    const api = createMattermostApi({ url: `http://127.0.0.1:${port}`, token: s.adminToken, retry: { ...FAST, maxAttempts: 3 } });
    const err = await rejection(api.getMe());
    assert.equal(err.status, 0);
    assert.equal(err.networkCode, 'ECONNREFUSED');
    assert.equal(err.attempts, 3);
    assert.match(err.message, /failed after 3 attempts: connection failed \(ECONNREFUSED\)/);
  });

  test('Retry-After is honoured before the next attempt', async () => {
    s.sim.clearRequests();
    s.sim.force429(1, { retryAfterSeconds: 1 });
    // The pause is asked of an injected sleep and counted, not measured on the wall clock.
    const waits: number[] = [];
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: FAST, sleep: async (ms) => void waits.push(ms) });
    await api.getMe();
    assert.deepEqual(waits, [1000], 'waited Retry-After (1 s) once before the next attempt');
    const [limited, served] = s.sim.requests();
    assert.equal(limited?.status, 429);
    assert.equal(served?.status, 200);
  });

  test('a longer pause than maxRetryAfterMs is not waited out: the 429 is reported', async () => {
    s.sim.clearRequests();
    s.sim.force429(1, { retryAfterSeconds: 120 });
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken, retry: FAST });
    const err = await rejection(api.getMe());
    assert.equal(err.status, 429);
    assert.equal(err.serverErrorId, '', 'the limiter answers in plain text, without an AppError id');
    assert.match(err.message, /rate limited \(limit exceeded\); server asked to wait 120 s/);
    assert.equal(s.sim.requests().length, 1);
  });

  test('the token never appears in errors, even when the server echoes it (developer mode)', async () => {
    const secret = 'supersecrettokenvalue12345';
    s.sim.setSetting('enableDeveloper', true);
    try {
      const events: RetryEvent[] = [];
      const api = createMattermostApi({ url: s.sim.url, token: secret, retry: FAST, onRetry: (e) => events.push(e) });
      const err = await rejection(api.getMe());
      assert.equal(err.status, 401);
      assert.equal(err.detailedError, 'token=[REDACTED]', 'the server did echo it; we scrubbed it');
      for (const text of [err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10 }), JSON.stringify(events)]) {
        assert.equal(text.includes(secret), false);
      }
    } finally {
      s.sim.setSetting('enableDeveloper', false);
    }
  });

  test('getBots pages through every bot; disabled ones only on request', async () => {
    // 250 bots: more than one page of 200.
    for (let i = 0; i < 250; i++) s.sim.addBot({ username: `pager${String(i).padStart(3, '0')}`, ownerId: s.admin.id, disabled: i === 0 });
    const api = createMattermostApi({ url: s.sim.url, token: s.adminToken });
    s.sim.clearRequests();
    const active = (await api.getBots()).filter((b) => b.username.startsWith('pager'));
    assert.equal(s.sim.requests().length, 2, 'two pages');
    const all = (await api.getBots({ includeDeleted: true })).filter((b) => b.username.startsWith('pager'));
    assert.equal(active.length, 249);
    assert.equal(all.length, 250);
    assert.equal(new Set(all.map((b) => b.user_id)).size, 250, 'no bot twice across pages');
    const disabled = s.sim.bots().find((b) => b.username === 'pager000')!;
    await assert.rejects(api.getBot(disabled.user_id), (err: MattermostApiError) => err.status === 404);
    assert.equal((await api.getBot(disabled.user_id, { includeDeleted: true })).username, 'pager000');
  });

  test('a token with whitespace is refused up front without quoting it', () => {
    assert.throws(
      () => createMattermostApi({ url: s.sim.url, token: 'abc def\n' }),
      (err: Error) => !err.message.includes('abc def') && /whitespace/.test(err.message),
    );
  });
});

describe('mattermost client under a 429 storm', () => {
  // Deterministic under any load: the simulator's limiter runs on a manual clock that only the client's
  // injected sleep advances (by the server's Retry-After). Nothing is timed; events are counted.
  test('every call eventually succeeds and the server never served more than its limit', async () => {
    const perSecond = 100;
    const burst = 4;
    const calls = 20;
    let now = 0;
    const waits: number[] = [];
    const s = await seededServer({ clock: () => now });
    try {
      const api = createMattermostApi({
        url: s.sim.url,
        token: s.adminToken,
        // Every 429 is followed by a pause after which a request is allowed, so 20 calls need at most
        // 20 + 20 attempts between them; 40 per call leaves no room for starvation to fail the test.
        retry: { maxAttempts: 40, baseDelayMs: 0, maxDelayMs: 0 },
        sleep: async (ms) => {
          waits.push(ms);
          now += ms;
        },
      });
      s.sim.setRateLimit({ perSecond, burst });
      s.sim.clearRequests();
      const results = await Promise.all(Array.from({ length: calls }, () => api.getMe()));
      assert.equal(results.length, calls);
      assert.ok(results.every((u) => u.id === s.admin.id));
      const requests = s.sim.requests();
      // The clock stands still until the first 429 is waited out, so the 6th request is always limited.
      const firstLimited = requests.findIndex((r) => r.status === 429);
      assert.equal(firstLimited, burst + 1, 'the first burst + 1 requests are served, the next is limited');
      assert.equal(waits.length, requests.filter((r) => r.status === 429).length, 'one pause per 429');
      assert.ok(waits.every((ms) => ms >= 1000), 'each pause is the Retry-After the server asked for');
      const served = requests.filter((r) => !r.rateLimited).map((r) => r.at).sort((a, b) => a - b);
      assert.equal(served.length, calls, 'each call was served exactly once');
      // GCRA guarantee: any k served requests spanning d ms satisfy k <= burst + 1 + d * perSecond / 1000.
      for (let i = 0; i < served.length; i++) {
        for (let j = i; j < served.length; j++) {
          const span = served[j]! - served[i]!;
          assert.ok(j - i + 1 <= burst + 1 + (span * perSecond) / 1000 + 1e-9, `served ${j - i + 1} requests in ${span} ms`);
        }
      }
    } finally {
      await s.sim.close();
    }
  });
});

describe('retry policy and URL rules', () => {
  test('decideRetry: 429 always, 5xx only when safe, other 4xx never; refused connections always', () => {
    const h = (init: Record<string, string> = {}) => new Headers(init);
    assert.deepEqual(decideRetry({ kind: 'http', status: 429, headers: h({ 'Retry-After': '2' }), data: '' }, false), {
      retry: true,
      waitAtLeastMs: 2000,
    });
    assert.deepEqual(decideRetry({ kind: 'http', status: 503, headers: h(), data: '' }, true), { retry: true, waitAtLeastMs: 0 });
    assert.deepEqual(decideRetry({ kind: 'http', status: 503, headers: h(), data: '' }, false), { retry: false });
    for (const status of [400, 401, 403, 404, 413]) {
      assert.deepEqual(decideRetry({ kind: 'http', status, headers: h(), data: '' }, true), { retry: false });
    }
    assert.deepEqual(decideRetry({ kind: 'network', code: 'ECONNREFUSED', notSent: true }, false), { retry: true, waitAtLeastMs: 0 });
    assert.deepEqual(decideRetry({ kind: 'network', code: 'ECONNRESET', notSent: false }, false), { retry: false });
    assert.deepEqual(decideRetry({ kind: 'network', code: 'ECONNRESET', notSent: false }, true), { retry: true, waitAtLeastMs: 0 });
    assert.deepEqual(decideRetry({ kind: 'network', code: 'EFETCH', detail: 'bad port', notSent: false }, true), { retry: false });
  });

  test('wait hints: Retry-After seconds or date, else X-Ratelimit-Reset seconds', () => {
    assert.equal(serverWaitHintMs(new Headers({ 'Retry-After': '3' })), 3000);
    assert.equal(serverWaitHintMs(new Headers({ 'Retry-After': new Date(10_000).toUTCString() }), 4_000), 6000);
    assert.equal(serverWaitHintMs(new Headers({ 'X-Ratelimit-Reset': '5' })), 5000);
    assert.equal(serverWaitHintMs(new Headers()), null);
  });

  test('isRetrySafe: reads, PUTs and get-or-create POSTs; not bot or token creation', () => {
    assert.equal(isRetrySafe('GET', '/api/v4/users/me', undefined), true);
    assert.equal(isRetrySafe('PUT', '/api/v4/posts/x', '{}'), true);
    assert.equal(isRetrySafe('POST', '/api/v4/channels/direct', '[]'), true);
    assert.equal(isRetrySafe('POST', '/api/v4/posts', '{"pending_post_id":"a:1"}'), true);
    assert.equal(isRetrySafe('POST', '/api/v4/posts', '{"message":"x"}'), false);
    assert.equal(isRetrySafe('POST', '/api/v4/bots', '{}'), false);
    assert.equal(isRetrySafe('POST', '/api/v4/users/abc/tokens', '{}'), false);
  });

  test('site URLs: http(s) only, trailing slash and /api/v4 dropped', () => {
    assert.equal(normaliseSiteUrl('https://mm.example.com/api/v4/'), 'https://mm.example.com');
    assert.equal(normaliseSiteUrl('http://mm.example.com/chat/'), 'http://mm.example.com/chat');
    assert.throws(() => normaliseSiteUrl('ftp://mm.example.com'), /http:\/\/ or https:\/\//);
    assert.throws(() => normaliseSiteUrl('mm.example.com'), /not a valid URL/);
  });
});
