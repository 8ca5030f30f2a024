/**
 * Issue 15's fault suite: the relay as real OS processes (relay/main.ts, what the image runs), killed
 * with SIGKILL at chosen points (DUALAUTH_RELAY_FAULT makes the process kill itself there, see
 * relay/faults.ts: deterministic, no timing), or killed by the test while a root post is in flight
 * (applied, its answer held back), two replicas, Mattermost faults (429, 5xx before and after the
 * write, slow answers, no deduplication) and Teleport faults (stream drop, restart, request deleted while
 * the relay is down). After each: exactly one root post per recipient, one reply per review on each,
 * and the final text equal to Teleport's final state, for every request.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { eventually, startWorld, type World } from './helpers';

const repoRoot = path.resolve(__dirname, '..', '..');
const RECIPIENTS = 4; // dbadmin: alice, ivan (DMs), myteam/access-requests, @carol

interface Proc {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnRelay(config: string, fault = ''): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'relay/main.ts'), 'start', '--config', config], {
    cwd: repoRoot,
    env: { ...process.env, DUALAUTH_RELAY_FAULT: fault },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(l));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, lines, exited };
}

const seen = (p: Proc, re: RegExp) => p.lines.some((l) => re.test(l));

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  await p.exited;
}

async function killedAt(p: Proc, point: string): Promise<void> {
  const end = await p.exited;
  assert.equal(end.signal, 'SIGKILL', `killed itself at ${point}: ${p.lines.slice(-3).join(' | ')}`);
  assert.ok(seen(p, new RegExp(`SIGKILL at ${point}`)));
}

describe('fault suite: real relay processes, SIGKILL at chosen points', { timeout: 240_000 }, () => {
  let w: World;
  let config: string;
  before(async () => {
    w = await startWorld();
    // A stable instance id (as a pod name): the restarted process is the dead one's successor.
    config = w.writeConfig('instance_id = "relay-pod"\nresync_interval = "1s"', 'faults.toml');
  });
  after(async () => w.close());

  /** Every request: one root post per recipient, `reviews` replies on each, and `status` in its text. */
  async function settledAs(id: string, status: string, reviews: number, ms = 20_000): Promise<void> {
    await eventually(
      () => {
        const roots = w.rootPosts().filter((p) => p.message.includes(id));
        const perChannel = new Map<string, number>();
        for (const r of roots) perChannel.set(r.channel_id, (perChannel.get(r.channel_id) ?? 0) + 1);
        if (roots.length !== RECIPIENTS || perChannel.size !== RECIPIENTS) return false;
        if (!roots.every((r) => r.message.includes(`**Status**: `) && r.message.includes(status))) return false;
        const replies = w.replies().filter((r) => roots.some((root) => root.id === r.root_id));
        return replies.length === RECIPIENTS * reviews;
      },
      ms,
      `request ${id} shown ${status} with ${reviews} review(s) once per recipient`,
    );
    // Then make sure nothing more arrives (a late duplicate): the relay keeps reconciling every second.
    const count = () => w.rootPosts().filter((p) => p.message.includes(id)).length + w.replies().filter((r) => w.rootPosts().some((root) => root.id === r.root_id && root.message.includes(id))).length;
    const before = count();
    await eventually(() => w.teleport.pluginData(id) === undefined || !w.teleport.pluginData(id)?.mattermost?.relay_claim, 10_000, 'claim released');
    assert.equal(count(), before, 'no late duplicate');
  }

  for (const point of ['before-claim', 'after-claim', 'between-post-and-record'] as const) {
    it(`killed ${point}: the restarted process announces once and follows up`, async () => {
      const first = spawnRelay(config, point);
      await eventually(() => seen(first, /Backfill done/), 20_000, 'first relay up');
      const req = w.teleport.createAccessRequest('bob', ['dbadmin'], `crash ${point}`);
      await killedAt(first, point);
      // Mattermost forgets its pending_post_id window (a restart, or past 30 s): no dedup to lean on.
      w.mattermost.forgetPendingPostIds();
      const second = spawnRelay(config);
      try {
        await settledAs(req.id, 'PENDING', 0);
        w.teleport.review(req.id, 'alice@example.com', 'APPROVED');
        w.teleport.review(req.id, 'ivan@example.com', 'APPROVED');
        await settledAs(req.id, 'APPROVED', 2);
      } finally {
        await stop(second);
      }
    });
  }

  it('killed while a root post is in flight (applied by Mattermost, answer not yet back), without dedup', async () => {
    const first = spawnRelay(config);
    await eventually(() => seen(first, /Backfill done/), 20_000, 'first relay up');
    w.mattermost.clearRequests();
    // The first root post is served (the post exists) but its answer is held back: the relay is killed
    // at exactly that moment, as soon as the simulator has applied the write.
    w.mattermost.holdNext(1, 120_000, { method: 'POST', path: '/api/v4/posts' });
    const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'crash in flight');
    await eventually(() => w.mattermost.requests().some((r) => r.method === 'POST' && r.path === '/api/v4/posts' && r.status === 201), 20_000, 'a root post applied');
    first.child.kill('SIGKILL');
    await first.exited;
    w.mattermost.forgetPendingPostIds();
    const second = spawnRelay(config);
    try {
      await settledAs(req.id, 'PENDING', 0);
      w.teleport.setState(req.id, 'APPROVED', 'ok');
      await settledAs(req.id, 'APPROVED', 0);
    } finally {
      await stop(second);
    }
  });

  it('killed during a review reply, without dedup: one reply per review', async () => {
    const first = spawnRelay(config, 'during-review');
    await eventually(() => seen(first, /Backfill done/), 20_000, 'first relay up');
    const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'crash during review');
    await settledAs(req.id, 'PENDING', 0);
    w.teleport.review(req.id, 'alice@example.com', 'APPROVED');
    await killedAt(first, 'during-review');
    w.mattermost.forgetPendingPostIds();
    const second = spawnRelay(config);
    try {
      await settledAs(req.id, 'PENDING', 1);
      w.teleport.review(req.id, 'ivan@example.com', 'DENIED');
      await settledAs(req.id, 'DENIED', 2);
    } finally {
      await stop(second);
    }
  });

  it('killed during backfill; a request deleted while no relay ran ends EXPIRED', async () => {
    const a = spawnRelay(config);
    await eventually(() => seen(a, /Backfill done/), 20_000, 'relay up');
    const gone = w.teleport.createAccessRequest('bob', ['dbadmin'], 'deleted while down');
    await settledAs(gone.id, 'PENDING', 0);
    a.child.kill('SIGKILL');
    await a.exited;
    w.teleport.deleteRequest(gone.id); // plugin data stays, as in Teleport
    const fresh = w.teleport.createAccessRequest('bob', ['dbadmin'], 'created while down');
    const b = spawnRelay(config, 'during-backfill');
    await killedAt(b, 'during-backfill');
    const c = spawnRelay(config);
    try {
      await settledAs(gone.id, 'EXPIRED', 0);
      await settledAs(fresh.id, 'PENDING', 0);
      await eventually(() => Object.keys(w.teleport.pluginData(gone.id)?.mattermost ?? {}).length === 0, 10_000, 'plugin data of the deleted request cleared');
      w.teleport.setState(fresh.id, 'DENIED', 'no');
      await settledAs(fresh.id, 'DENIED', 0);
    } finally {
      await stop(c);
    }
  });

  it('two replicas, Mattermost 429, 5xx before and after the write, slow answers and resets, a stream drop and an Auth restart', async () => {
    const a = spawnRelay(w.writeConfig('instance_id = "replica-a"\nresync_interval = "1s"', 'a.toml'));
    const b = spawnRelay(w.writeConfig('instance_id = "replica-b"\nresync_interval = "1s"', 'b.toml'));
    try {
      await eventually(() => seen(a, /Backfill done/) && seen(b, /Backfill done/), 20_000, 'both replicas up');
      w.mattermost.force429(3, { path: '/api/v4/posts' });
      w.mattermost.failNext(2, 502, { path: '/api/v4/posts', afterHandling: true });
      w.mattermost.failNext(2, 503, { path: '/api/v4/posts' });
      w.mattermost.holdNext(2, 1500, { path: '/api/v4/posts' }); // slow answers
      w.mattermost.dropNextConnections(2); // connection resets
      const reqs = [1, 2, 3].map((i) => w.teleport.createAccessRequest('bob', ['dbadmin'], `replicas ${i}`));
      for (const r of reqs) await settledAs(r.id, 'PENDING', 0);
      w.teleport.dropStreams();
      w.mattermost.forgetPendingPostIds();
      w.teleport.review(reqs[0].id, 'alice@example.com', 'APPROVED');
      w.teleport.review(reqs[1].id, 'alice@example.com', 'DENIED');
      await w.teleport.restart();
      w.teleport.review(reqs[0].id, 'ivan@example.com', 'APPROVED');
      w.teleport.expire(reqs[2].id);
      await settledAs(reqs[0].id, 'APPROVED', 2, 30_000);
      await settledAs(reqs[1].id, 'DENIED', 1, 30_000);
      await settledAs(reqs[2].id, 'EXPIRED', 0, 30_000);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  });
});
