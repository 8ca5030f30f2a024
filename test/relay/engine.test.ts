/**
 * The engine with a Teleport connection that "dies" at the worst moment: the root posts are made but
 * the process is killed before they are recorded in plugin data. The next relay must finish the job
 * without a second post (Mattermost deduplicates by the stable pending_post_id) and without loss.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../relay/engine';
import { silentLogger } from '../../relay/log';
import { createMattermostApi } from '../../mattermost-client/client';
import { Messages } from '../../relay/messages';
import { MattermostMessenger } from '../../relay/messengers/mattermost/messenger';
import { createMetrics } from '../../relay/metrics';
import { decodePluginData } from '../../relay/plugin-data';
import type { TeleportPort } from '../../relay/ports';
import { connectTeleport, type TeleportClient } from '../../teleport-client/client';
import { WorkQueue } from '../../relay/work-queue';
import { eventually, postsFor, sleep, startWorld, type World } from './helpers';

const RECIPIENTS = { dbadmin: ['alice@example.com', 'ivan@example.com', 'myteam/access-requests', '@carol'] };

describe('engine: killed between posting and recording', () => {
  let w: World;
  let tp: TeleportClient;
  before(async () => {
    w = await startWorld();
    tp = await connectTeleport({ addr: w.teleport.addr, identityFile: w.identityFile });
  });
  after(async () => {
    tp.close();
    await w.close();
  });

  const engine = (instanceId: string, port: TeleportPort, leaseMs = 400) =>
    new Engine({
      teleport: port,
      messenger: new MattermostMessenger(createMattermostApi({ url: w.mattermost.url, token: readFileSync(w.tokenFile, 'utf8').trim(), retry: { baseDelayMs: 10, maxAttempts: 2 } }), w.botId),
      messages: new Messages(),
      roleToRecipients: RECIPIENTS,
      instanceId,
      leaseMs,
      backoff: { minMs: 20, maxMs: 100 },
      log: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
    });

  for (const [name, second] of [
    ['a new instance takes over once the dead one’s lease runs out', 'relay-2'],
    ['the same instance restarted resumes at once', 'relay-1'],
  ] as const) {
    it(name, async () => {
      let killed = false;
      const dying: TeleportPort = {
        watch: (k, h, o) => tp.watch(k, h, o),
        getAccessRequests: (f) => tp.getAccessRequests(f),
        getPluginData: (f) => tp.getPluginData(f),
        async updatePluginData(p) {
          // The process dies right after the posts, before recording them.
          if (killed || (p.set.messages ?? '') !== '') {
            killed = true;
            throw new Error('process killed');
          }
          return tp.updatePluginData(p);
        },
      };
      const req = w.teleport.createAccessRequest('bob', ['dbadmin'], `crash test ${name}`);
      // The same instance restarted must not wait for its own lease: make waiting impossible (60 s lease,
      // far beyond the 5 s the test waits) instead of timing it.
      const lease = second === 'relay-1' ? 60_000 : 400;
      const first = engine('relay-1', dying, lease);
      first.onRequest(req);
      await eventually(() => killed && postsFor(w.rootPosts(), req.id).size === 4, 5000, 'posted, then killed');
      await first.stop();
      const stored = decodePluginData(w.teleport.pluginData(req.id)!.mattermost).data;
      assert.equal(stored.messages.length, 0, 'nothing recorded');
      assert.equal(stored.claim?.owner, 'relay-1');

      const next = engine(second, tp, lease);
      next.onRequest(w.teleport.request(req.id));
      const data = await eventually(() => {
        const d = decodePluginData(w.teleport.pluginData(req.id)!.mattermost).data;
        return !d.claim && d.messages.length === 4 ? d : undefined;
      }, 5000, 'recorded');
      await sleep(100);
      assert.deepEqual([...postsFor(w.rootPosts(), req.id).values()], [1, 1, 1, 1], 'no second post');
      const postIds = new Set(w.rootPosts().filter((p) => p.message.includes(req.id)).map((p) => p.id));
      assert.ok(data.messages.every((m) => postIds.has(m.postId)), 'the recorded posts are the ones made before the crash');
      await next.stop();
    });
  }
});

describe('work queue', () => {
  it('runs one job per key at a time, merges waiting ones, retries failures with backoff', async () => {
    const log: string[] = [];
    let fail = 2;
    const q = new WorkQueue<number>(
      async (key, n, attempt) => {
        log.push(`${key}:${n}:${attempt}`);
        await sleep(20);
        if (key === 'b' && fail-- > 0) throw new Error('boom');
      },
      { concurrency: 4, backoff: { minMs: 5, maxMs: 20 }, merge: (a, b) => Math.max(a, b) },
    );
    q.push('a', 1);
    q.push('a', 2); // waits for a:1, then runs with the latest payload
    q.push('a', 3); // merged into the waiting a:2
    q.push('b', 1);
    await q.idle();
    assert.deepEqual(log.filter((l) => l.startsWith('a')), ['a:1:0', 'a:3:0']);
    assert.deepEqual(log.filter((l) => l.startsWith('b')), ['b:1:0', 'b:1:1', 'b:1:2']);
  });

  it('drain lets running jobs finish and drops queued ones', async () => {
    const done: string[] = [];
    const q = new WorkQueue<string>(
      async (key) => {
        await sleep(30);
        done.push(key);
      },
      { concurrency: 1 },
    );
    q.push('x', 'x');
    q.push('y', 'y');
    await sleep(5);
    await q.drain();
    assert.deepEqual(done, ['x']);
    q.push('z', 'z');
    await sleep(50);
    assert.deepEqual(done, ['x'], 'no work after drain');
  });
});
