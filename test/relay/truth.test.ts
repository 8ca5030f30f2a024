/**
 * Issue 15, one test per bug (each fails on the engine before the fix): what the posts say after
 * crashes, stale lists and deletions must be Teleport's final truth, and posts happen once even
 * without Mattermost's 30 s deduplication window.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePluginData } from '../../relay/plugin-data';
import { block, inline } from '../../relay/neutralise';
import { MemMessenger, MemTeleport, memEngine, pendingRequest, review } from './fakes';

const ID = '11111111-2222-4333-8444-555555555555';

async function announced(tp: MemTeleport, mm: MemMessenger) {
  const e = memEngine(tp, mm);
  const req = pendingRequest(ID);
  tp.requests.set(ID, req);
  e.onRequest(req);
  await e.queue.idle(1);
  assert.equal(mm.roots().length, 2, 'announced to both recipients');
  return { e, req };
}

describe('the relay shows Teleport’s truth', () => {
  it('a live request missing from a stale list is not shown as EXPIRED', async () => {
    const tp = new MemTeleport();
    const mm = new MemMessenger();
    const { e } = await announced(tp, mm);
    tp.listOverride = []; // the list was taken before the request existed
    await e.backfill();
    await e.queue.idle(1);
    assert.ok(mm.roots().every((p) => p.text.includes('PENDING')), mm.roots()[0].text);
    assert.equal(decodePluginData(tp.data.get(ID)!).data.resolution, '');
  });

  it('a request deleted while no relay ran is shown as EXPIRED and its plugin data cleared', async () => {
    const tp = new MemTeleport();
    const mm = new MemMessenger();
    await announced(tp, mm);
    tp.requests.delete(ID); // Teleport keeps the plugin data
    const next = memEngine(tp, mm, { instanceId: 'relay-2' });
    await next.backfill();
    await next.queue.idle(1);
    assert.ok(mm.roots().every((p) => p.text.includes('EXPIRED')), mm.roots()[0].text);
    assert.equal(Object.keys(tp.data.get(ID) ?? {}).length, 0, 'plugin data cleared');
  });

  it('a deletion arriving while a review is queued: the review is replied, the post shows EXPIRED with its progress', async () => {
    const tp = new MemTeleport();
    const mm = new MemMessenger();
    const { e, req } = await announced(tp, mm);
    const reviewed = { ...req, reviews: [review('alice@example.com')] };
    // A job for the request is running (held at its plugin-data read) while a PUT with the review and
    // then the DELETE arrive: both wait, merged into one job.
    let release!: () => void;
    tp.hold = new Promise<void>((r) => (release = r));
    e.onRequest(req);
    e.onRequest(reviewed);
    e.onDeleted(ID);
    tp.requests.delete(ID);
    release();
    await e.queue.idle(1);
    assert.equal(mm.replies().length, 2, 'one reply per root post');
    for (const p of mm.roots()) {
      assert.match(p.text, /EXPIRED/);
      assert.match(p.text, /1 of 2 approvals/);
    }
  });

  it('a later approval wins over a recorded EXPIRED', async () => {
    const tp = new MemTeleport();
    const mm = new MemMessenger();
    const { e, req } = await announced(tp, mm);
    const raw = tp.data.get(ID)!;
    tp.data.set(ID, { ...raw, resolution: 'EXPIRED' }); // a stale verdict from an old relay
    const approved = { ...req, state: 'APPROVED' as const, reviews: [review('alice@example.com'), review('ivan@example.com')], resolve_reason: 'ok' };
    tp.requests.set(ID, approved);
    e.onRequest(approved);
    await e.queue.idle(1);
    assert.ok(mm.roots().every((p) => p.text.includes('APPROVED')), mm.roots()[0].text);
    assert.equal(decodePluginData(tp.data.get(ID)!).data.resolution, 'APPROVED');
  });

  it('a restarted process takes over its own claim at once and finds the post it made before the crash', async () => {
    const tp = new MemTeleport();
    const mm = new MemMessenger();
    const req = pendingRequest(ID);
    tp.requests.set(ID, req);
    const first = memEngine(tp, mm, { session: 'first' });
    // The process dies after its first root post reached the messenger, before recording it.
    let crashed = false;
    mm.afterPost = () => {
      if (!crashed) {
        crashed = true;
        throw new Error('SIGKILL');
      }
    };
    first.onRequest(req);
    await new Promise<void>((r) => {
      const t = setInterval(() => crashed && (clearInterval(t), r()), 1);
    });
    await first.stop();
    mm.afterPost = undefined;
    const claim = decodePluginData(tp.data.get(ID)!).data.claim;
    assert.ok(claim && claim.until > Date.now(), 'the dead process’s claim is still live (60 s lease)');
    // Same instance (same pod name), new process: no waiting for the lease, no Mattermost dedup window.
    const second = memEngine(tp, mm, { session: 'second' });
    second.onRequest(req);
    await second.queue.idle(1);
    assert.equal(mm.roots().length, 2, 'one root post per recipient, none twice');
    const data = decodePluginData(tp.data.get(ID)!).data;
    assert.equal(data.claim, undefined);
    assert.equal(data.messages.length, 2);
  });

  it('two replicas given the same review event reply once (no deduplication by the messenger)', async () => {
    const tp = new MemTeleport();
    const mm = new MemMessenger();
    const { req } = await announced(tp, mm);
    const a = memEngine(tp, mm, { instanceId: 'replica-a' });
    const b = memEngine(tp, mm, { instanceId: 'replica-b' });
    const reviewed = { ...req, reviews: [review('alice@example.com')] };
    tp.requests.set(ID, reviewed);
    a.onRequest(reviewed);
    b.onRequest(reviewed);
    await Promise.all([a.queue.idle(1), b.queue.idle(1)]);
    assert.equal(mm.replies().length, 2, 'one reply per root post');
    assert.equal(decodePluginData(tp.data.get(ID)!).data.reviewsCount, 1);
  });

  it('queue_depth returns to 0 when idle', async () => {
    const tp = new MemTeleport();
    const mm = new MemMessenger();
    const { e } = await announced(tp, mm);
    const metrics = (e as unknown as { o: { metrics: { queueDepth: { get(): Promise<{ values: { value: number }[] }> } } } }).o.metrics;
    assert.equal((await metrics.queueDepth.get()).values[0].value, 0);
  });

  it('U+061C (Arabic letter mark) is stripped like the other bidi marks', () => {
    assert.equal(inline('a\u061cb'), 'ab');
    assert.equal(block('x\u061cy'), '```\nxy\n```');
  });
});
