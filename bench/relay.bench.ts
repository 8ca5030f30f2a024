/**
 * Relay benchmark (`npm run bench -- relay`, or `node --import tsx bench/relay.bench.ts`).
 *
 * 1. Latency on loopback: the Teleport simulator (gRPC, mTLS) and the Mattermost simulator (HTTP) run
 *    in a child process, the relay in this one, as in production. Requests are created at a steady
 *    200/s (4 recipients each, rate limiting off); for every root post we take the time from the watch
 *    event reaching the relay to Mattermost answering the post. Then a burst, for throughput.
 * 2. Memory: 100,000 requests (announced, approved, deleted) through the same engine with in-memory
 *    Teleport and Mattermost stand-ins, heap measured after GC every 10,000. The relay must keep no
 *    per-request state once a request is gone.
 *
 * Targets: p99 < 25 ms at 200 requests/s; heap flat across 100,000 requests.
 * BENCH_SECONDS (default 10) and BENCH_MEMORY_REQUESTS (default 100000) shorten or lengthen the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startRelay } from '../relay/app';
import { loadRelayConfig } from '../relay/config/load';
import { Engine } from '../relay/engine';
import { silentLogger } from '../relay/log';
import { Messages } from '../relay/messages';
import { createMetrics } from '../relay/metrics';
import type { MattermostCalls } from '../relay/messengers/mattermost/api';
import { MattermostMessenger } from '../relay/messengers/mattermost/messenger';
import type { AccessRequest } from '../teleport-client/client';
import { MemTeleport } from '../test/relay/fakes';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BURST = Number(process.env.BENCH_BURST ?? 2000);
const MEMORY_REQUESTS = Number(process.env.BENCH_MEMORY_REQUESTS ?? 100_000);
const RECIPIENTS = 4;

// ------------------------------------------------------------------------------------------------
// Child: the simulators.

/** rate 0 = all at once (IPC is JSON: no Infinity). */
type ToChild = { type: 'load'; rate: number; count: number } | { type: 'close' };
type ToParent = { type: 'ready'; config: string } | { type: 'created'; count: number; seconds: number; cpuMs: number };

async function child(): Promise<void> {
  // The simulator answers "Keep-Alive: timeout=1", which Node's fetch (undici) reads as "close after
  // each request" (it keeps a 1 s safety margin), so every request would open a new connection. A real
  // Mattermost (Go net/http) sends no such hint and keeps connections open: give the simulator's HTTP
  // server a 60 s keep-alive so the benchmark measures the relay, not TCP handshakes.
  const http = await import('node:http');
  Object.defineProperty(http.Server.prototype, 'keepAliveTimeout', {
    configurable: true,
    get(this: { _benchKeepAlive?: number }) {
      return this._benchKeepAlive ?? 60_000;
    },
    set(this: { _benchKeepAlive?: number }, v: number) {
      this._benchKeepAlive = Math.max(v, 60_000);
    },
  });
  const { startWorld } = await import('../test/relay/helpers');
  const w = await startWorld();
  const send = (m: ToParent) => process.send!(m);
  process.on('message', async (m: ToChild) => {
    if (m.type === 'close') {
      await w.close();
      process.exit(0);
    }
    if (m.type === 'load') {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      if (m.rate === 0) for (let i = 0; i < m.count; i++) w.teleport.createAccessRequest('bob', ['dbadmin'], `burst ${i}`);
      else {
        // Steady arrivals: request i is due at t0 + i/rate; catch up if a timer fires late.
        let made = 0;
        await new Promise<void>((done) => {
          const tick = () => {
            const due = Math.min(m.count, Math.floor(((performance.now() - t0) * m.rate) / 1000) + 1);
            while (made < due) w.teleport.createAccessRequest('bob', ['dbadmin'], `load ${made++}`);
            if (made >= m.count) done();
            else setTimeout(tick, Math.max(0, t0 + (made * 1000) / m.rate - performance.now()));
          };
          tick();
        });
      }
      // Let the relay drain (the simulators keep serving it), then report this process's CPU.
      await new Promise((r) => setTimeout(r, 50));
      const cpu = process.cpuUsage(cpu0);
      send({ type: 'created', count: m.count, seconds: (performance.now() - t0) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  });
  // Only the bot's dbadmin recipients: alice, ivan (DMs), the channel and carol (DM) = 4 per request.
  send({ type: 'ready', config: w.writeConfig('concurrency = 256') });
}

// ------------------------------------------------------------------------------------------------
// Parent: the relay and the measurements.

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc') as () => void);
  g();
  g();
}

async function latency(): Promise<void> {
  const sims: ChildProcess = fork(__filename, ['--child'], { execArgv: [...(process.env.BENCH_CHILD_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CHILD_PROF] : []), ...(process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter(Boolean), '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends ToParent['type']>(type: T) => new Promise<Extract<ToParent, { type: T }>>((res) => sims.on('message', (m: ToParent) => m.type === type && res(m as Extract<ToParent, { type: T }>)));
  const debug = (m: string) => process.env.BENCH_DEBUG && process.stderr.write(`[bench] ${m}\n`);
  const ready = await next('ready');
  debug('simulators ready');
  const { config } = loadRelayConfig(ready.config);
  config.relay.listenAddr = null;
  let latencies: number[] = [];
  let posted = 0;
  let lastPostAt = 0;
  const relay = await startRelay(config, {
    log: silentLogger(),
    onRootPosted: (e) => {
      latencies.push(e.latencyMs);
      posted++;
      lastPostAt = performance.now();
    },
  });
  debug('relay started');
  await new Promise((r) => setTimeout(r, 500));
  const waitFor = async (posts: number) => {
    const end = performance.now() + 60_000;
    while (posted < posts && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
    if (posted < posts) throw new Error(`only ${posted} of ${posts} posts arrived`);
  };

  // Warm-up: a relay in production is long-running, so measure it with its JIT-compiled code, warm
  // connection pools and recipient cache, not its first seconds.
  const warm = Number(process.env.BENCH_WARMUP ?? 1500);
  sims.send({ type: 'load', rate: 250, count: warm } satisfies ToChild);
  await next('created');
  await waitFor(warm * RECIPIENTS);
  await new Promise((r) => setTimeout(r, 500));
  debug('warmed up');
  latencies = [];
  posted = 0;

  const count = RATE * SECONDS;
  const gcPauses: number[] = [];
  const gcObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => gcPauses.push(e.duration)));
  gcObserver.observe({ entryTypes: ['gc'] });
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  sims.send({ type: 'load', rate: RATE, count } satisfies ToChild);
  const created = await next('created');
  await waitFor(count * RECIPIENTS);
  const steady = [...latencies].sort((a, b) => a - b);
  const relayCpu = process.cpuUsage(cpu0);
  gcObserver.disconnect();
  loopDelay.disable();
  const relayCpuMs = (relayCpu.user + relayCpu.system) / 1000;
  const steadyRps = count / ((lastPostAt - t0) / 1000);

  latencies = [];
  posted = 0;
  const b0 = performance.now();
  sims.send({ type: 'load', rate: 0, count: BURST } satisfies ToChild);
  await next('created');
  await waitFor(BURST * RECIPIENTS);
  const burstRps = BURST / ((lastPostAt - b0) / 1000);
  const burst = [...latencies].sort((a, b) => a - b);

  gc();
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  await relay.stop();
  sims.send({ type: 'close' } satisfies ToChild);

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`relay latency, watch event -> Mattermost post (loopback, ${RECIPIENTS} recipients/request, rate limiting off)`);
  console.log(`  steady ${RATE} req/s for ${SECONDS} s: ${count} requests (${(count / created.seconds).toFixed(0)} req/s offered), ${steady.length} posts, ${steadyRps.toFixed(0)} req/s completed`);
  console.log(`    relay CPU ${(relayCpuMs / count).toFixed(2)} ms/request (user ${(relayCpu.user / 1000 / count).toFixed(2)}, system ${(relayCpu.system / 1000 / count).toFixed(2)}); simulators CPU while creating: ${((created.cpuMs / (created.seconds * 1000)) * 100).toFixed(0)}% of a core
    relay event loop delay p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)}; GC pauses ${gcPauses.length}, longest ${ms(Math.max(0, ...gcPauses))}
    p50 ${ms(percentile(steady, 50))}  p90 ${ms(percentile(steady, 90))}  p99 ${ms(percentile(steady, 99))}  max ${ms(steady[steady.length - 1])}  (target p99 < 25 ms: ${percentile(steady, 99) < 25 ? 'met' : 'MISSED'})`);
  console.log(`  relay heap after ${count + BURST + Number(process.env.BENCH_WARMUP ?? 1500)} requests: ${heapMb.toFixed(1)} MB (after GC)`);
  console.log(`  burst of ${BURST} requests at once: ${burstRps.toFixed(0)} req/s (${(burstRps * RECIPIENTS).toFixed(0)} posts/s), p50 ${ms(percentile(burst, 50))}, p99 ${ms(percentile(burst, 99))}`);
}

// ------------------------------------------------------------------------------------------------
// Memory: the engine with in-memory stand-ins.

/** The engine tests' in-memory Teleport; the memory run also forgets a finished request's plugin data. */
class BenchTeleport extends MemTeleport {
  delete(id: string): void {
    this.requests.delete(id);
    this.data.delete(id);
  }
}

function memMattermost(): MattermostCalls & { posts: number } {
  let n = 0;
  const id = () => (n++).toString(36).padStart(26, '0');
  const port = {
    posts: 0,
    getMe: async () => ({ id: 'bot'.padEnd(26, '0'), username: 'teleport' }),
    getUserByEmail: async (email: string) => ({ id: `u-${email}`.padEnd(26, '0'), username: email }),
    getUserByUsername: async (u: string) => ({ id: `u-${u}`.padEnd(26, '0'), username: u }),
    getChannel: async (cid: string) => ({ id: cid }),
    getChannelByName: async (t: string, c: string) => ({ id: `c-${t}-${c}`.padEnd(26, '0') }),
    createDirectChannel: async (_a: string, b: string) => ({ id: `d-${b}`.slice(0, 26) }),
    createPost: async (p: { channel_id: string }) => {
      port.posts++;
      return { id: id(), channel_id: p.channel_id };
    },
    patchPost: async (postId: string) => ({ id: postId, channel_id: '' }),
    getChannelMember: async () => ({}),
  };
  return port;
}

function request(i: number): AccessRequest {
  return {
    id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    user: 'bob',
    roles: ['dbadmin'],
    state: 'PENDING',
    reason: `memory run ${i}`,
    created: new Date().toISOString(),
    thresholds: [{ approve: 1, deny: 1 }],
    role_threshold_mapping: { dbadmin: { sets: [{ indexes: [0] }] } },
    reviews: [],
    suggested_reviewers: [],
    system_annotations: {},
    resolve_annotations: {},
  };
}

async function memory(): Promise<void> {
  const tp = new BenchTeleport();
  const mm = memMattermost();
  const engine = new Engine({
    teleport: tp,
    messenger: new MattermostMessenger(mm, 'bot'.padEnd(26, '0')),
    messages: new Messages(),
    roleToRecipients: { dbadmin: ['alice@example.com', 'ivan@example.com', 'myteam/access-requests', '@carol'] },
    instanceId: 'bench',
    concurrency: 256,
    log: silentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
  });
  const batch = 1000;
  const samples: { done: number; heapMb: number }[] = [];
  const t0 = performance.now();
  for (let start = 0; start < MEMORY_REQUESTS; start += batch) {
    const reqs = Array.from({ length: batch }, (_, k) => request(start + k));
    for (const r of reqs) {
      tp.requests.set(r.id, r);
      engine.onRequest(r);
    }
    await engine.queue.idle(1);
    for (const r of reqs) {
      const approved: AccessRequest = { ...r, state: 'APPROVED', resolve_reason: 'ok', reviews: [{ author: 'alice@example.com', state: 'APPROVED', threshold_indexes: [0] }] };
      tp.requests.set(r.id, approved);
      engine.onRequest(approved);
    }
    await engine.queue.idle(1);
    for (const r of reqs) {
      tp.delete(r.id);
      engine.onDeleted(r.id);
    }
    await engine.queue.idle(1);
    const done = start + batch;
    if (done % 10_000 === 0) {
      gc();
      samples.push({ done, heapMb: process.memoryUsage().heapUsed / 1024 / 1024 });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const base = samples[0];
  const last = samples[samples.length - 1];
  console.log(`relay memory: ${MEMORY_REQUESTS} requests (announced to ${RECIPIENTS} recipients, approved, deleted) in ${seconds.toFixed(1)} s, ${(MEMORY_REQUESTS / seconds).toFixed(0)} req/s in-process, ${mm.posts} posts`);
  console.log(`  heap after GC: ${samples.map((s) => `${s.done / 1000}k ${s.heapMb.toFixed(1)} MB`).join(', ')}`);
  const growth = last.heapMb - base.heapMb;
  console.log(`  growth from ${base.done / 1000}k to ${last.done / 1000}k: ${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MB (${((growth * 1024 * 1024) / (last.done - base.done)).toFixed(1)} bytes/request); remembered requests: ${engine.cached}; ${Math.abs(growth) < 5 ? 'flat' : 'NOT FLAT'}`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  if (SECONDS > 0) await latency();
  if (MEMORY_REQUESTS > 0) await memory();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
