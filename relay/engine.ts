/**
 * The relay's core: turns access_request events into chat posts through the messenger port
 * (relay/messenger.ts), with Teleport plugin data as the only state, so a restart, a second replica or
 * the Go plugin all see the same truth.
 *
 * For each request, reconcile() compares the request with its plugin data and does what is missing:
 *
 *  1. Not announced yet (no plugin data) and pending: resolve the recipients, then *claim* the request
 *     and post the root messages (announce.ts). The claim (relay_claim = owner + lease) and the target
 *     addresses (relay_targets) are stored too. A claim whose owner died (lease expired) is taken over
 *     by CAS; a live foreign claim is left alone and checked again later. Every post carries a stable
 *     marker, so a crash between posting and recording does not post twice.
 *  2. Announced: review replies, root re-render, resolution (follow-up.ts).
 *  3. Gone (Teleport deletes a request when it expires): only when a direct read finds no request,
 *     the root posts show EXPIRED (unless it was resolved) and its plugin data is cleared. Leftover
 *     plugin data without a request (deleted while no relay ran) is found by the backfill.
 *
 * Every transition is decided from Teleport's truth: the request in a watch event, or as a direct
 * read returns it now; never from a list taken before an event or from the cache.
 *
 * Failures are retried by the work queue with backoff; nothing is dropped. Backfill (at start, after
 * every reconnect and periodically) lists the requests and their plugin data and queues whatever is
 * not done, so requests created or reviewed while the relay was away are caught up.
 */
import { performance } from 'node:perf_hooks';
import { Announcer } from './announce';
import { randomBytes } from 'node:crypto';
import { Conflict, MAX_ROUNDS, PluginDataStore, RequestGone, ShownRequests, claimHolder, statusOf, type EngineContext, type EngineOptions, type Raw } from './engine-context';
import { faultPoint } from './faults';
import { FollowUp } from './follow-up';
import { PLUGIN_NAME, decodePluginData } from './plugin-data';
import { RecipientResolver } from './recipients';
import type { AccessRequest } from '../teleport-client/client';
import { WorkQueue, type JobResult } from './work-queue';

export type { AmrSource, EngineOptions } from './engine-context';

interface Job {
  /** The request as a watch PUT carried it: Teleport's truth at that event. */
  request?: AccessRequest;
  /** A watch DELETE was seen. */
  deleted?: boolean;
  /** From a list (backfill) or a merge with one: read the request directly before acting. */
  verify?: boolean;
  /** When the first event behind this job arrived, performance.now() (for the event-to-post latency). */
  firstEventAt: number;
  /** From a watch event (not a backfill): the request is likely new to everyone. */
  fresh?: boolean;
}

/**
 * Two jobs for one request: the event's request is kept (a list is never newer evidence than an event
 * processed after it), a deletion never drops what the request still owes (its last state is kept to
 * settle it), and anything that involved a list is verified by a direct read.
 */
function mergeJobs(older: Job, newer: Job): Job {
  return {
    request: newer.request ?? older.request,
    deleted: older.deleted || newer.deleted,
    verify: older.verify || newer.verify,
    firstEventAt: Math.min(older.firstEventAt, newer.firstEventAt),
    fresh: older.fresh && newer.fresh,
  };
}

/** Whether backfill should queue the request: something is missing between it and its plugin data. */
export function needsWork(req: AccessRequest, raw: Raw | undefined): boolean {
  if (!raw || Object.keys(raw).length === 0) return req.state === 'PENDING';
  const { data } = decodePluginData(raw);
  if (data.claim) return true;
  if (data.messages.length === 0) return false;
  if (req.reviews.length > data.reviewsCount) return true;
  // A request that exists is not expired: a recorded EXPIRED is stale and gets undone.
  if (data.resolution === 'EXPIRED') return true;
  return statusOf(req) !== 'PENDING' && data.resolution === '';
}

export class Engine {
  readonly queue: WorkQueue<Job>;
  readonly resolver: RecipientResolver;
  private readonly c: EngineContext;
  private readonly announcer: Announcer;
  private readonly followUp: FollowUp;

  constructor(private readonly o: EngineOptions) {
    this.resolver = o.resolver ?? new RecipientResolver(o.messenger);
    this.c = {
      o,
      session: o.session ?? randomBytes(6).toString('hex'),
      store: new PluginDataStore(o.teleport, o.metrics),
      resolver: this.resolver,
      shown: new ShownRequests(o.cacheSize ?? 10_000),
      lease: o.leaseMs ?? 30_000,
    };
    this.announcer = new Announcer(this.c);
    this.followUp = new FollowUp(this.c);
    this.queue = new WorkQueue<Job>((id, job, attempt) => this.handle(id, job, attempt), {
      concurrency: o.concurrency ?? 64,
      backoff: o.backoff ?? { minMs: 200, maxMs: 30_000 },
      merge: mergeJobs,
      // After the job left the running set: an idle relay shows depth 0.
      onSettled: () => o.metrics.queueDepth.set(this.queue.size),
      onRetry: (id, err, attempt, delay) => {
        o.metrics.jobRetries.inc();
        const level = attempt >= 3 ? 'warn' : 'info';
        o.log[level]('Request processing failed, will retry', { request_id: id, attempt, retry_in_ms: Math.round(delay), error: err });
      },
    });
  }

  // -------------------------------------------------------------------------------------------
  // Inputs

  /** A watch PUT (or a backfilled request). */
  onRequest(req: AccessRequest, at = performance.now()): void {
    this.o.metrics.events.inc({ op: 'put' });
    this.queue.push(req.id, { request: req, firstEventAt: at, fresh: req.reviews.length === 0 });
    this.o.metrics.queueDepth.set(this.queue.size);
  }

  /** A watch DELETE: the request expired or was deleted. */
  onDeleted(id: string, at = performance.now()): void {
    this.o.metrics.events.inc({ op: 'delete' });
    this.queue.push(id, { deleted: true, firstEventAt: at });
  }

  /**
   * Lists requests and plugin data and queues every request with something left to do. Nothing is
   * concluded from the lists themselves (a request created while they were taken is missing from
   * them): a request that seems gone, known to us or only through its leftover plugin data (deleted
   * while no relay watched), is queued to be checked by a direct read.
   */
  async backfill(): Promise<{ queued: number; requests: number }> {
    const [requests, data] = await Promise.all([this.o.teleport.getAccessRequests(), this.o.teleport.getPluginData({ resource: '', plugin: PLUGIN_NAME })]);
    faultPoint('during-backfill');
    const byId = new Map(data.map((d) => [d.resource, d.entries[PLUGIN_NAME]]));
    const live = new Set<string>();
    let queued = 0;
    const now = performance.now();
    const check = (id: string) => {
      this.queue.push(id, { verify: true, firstEventAt: now });
      queued++;
    };
    for (const req of requests) {
      live.add(req.id);
      if (needsWork(req, byId.get(req.id))) check(req.id);
    }
    for (const id of this.c.shown.keys()) if (!live.has(id)) check(id);
    for (const [id, raw] of byId) if (!live.has(id) && raw && Object.keys(raw).length > 0 && !this.c.shown.has(id)) check(id);
    this.o.metrics.queueDepth.set(this.queue.size);
    return { queued, requests: requests.length };
  }

  /** Finishes running work (posts in flight) and stops. */
  async stop(): Promise<void> {
    await this.queue.drain();
  }

  // -------------------------------------------------------------------------------------------
  // Processing

  private async handle(id: string, job: Job, attempt: number): Promise<JobResult | void> {
    try {
      let req = job.request;
      if (attempt > 0 || !req || job.deleted || job.verify) {
        // Teleport's truth now: a retry, a list-derived job or a deletion reads the request directly.
        req = (await this.o.teleport.getAccessRequests({ id }))[0];
        if (!req) return await this.followUp.gone(id, job.request);
      }
      return await this.reconcile(req, job.firstEventAt, job.fresh === true && attempt === 0 && !this.c.shown.has(id));
    } catch (e) {
      if (e instanceof RequestGone) return this.followUp.gone(id, job.request);
      throw e;
    } finally {
      this.o.metrics.queueDepth.set(this.queue.size);
    }
  }

  private async reconcile(req: AccessRequest, firstEventAt: number, fresh = false): Promise<JobResult | void> {
    const id = req.id;
    const { store } = this.c;
    // What the last write of this round left in Teleport, when we know it (saves a read).
    let known: Raw | undefined;
    // A request we have never seen, pending: try to claim it straight away. The claim is a CAS that
    // expects no data, so it fails harmlessly when someone was first; then we read, as usual.
    let tryClaimFirst = fresh && req.state === 'PENDING';
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (tryClaimFirst) {
        tryClaimFirst = false;
        const claimed = await this.announcer.claim(req, undefined);
        if (claimed) known = await this.announcer.postRoots(req, claimed, firstEventAt, false);
        continue;
      }
      const raw = known ?? (await store.read(id));
      known = undefined;
      if (!raw) {
        // Teleport's plugins never announce a request that is already resolved: nothing to review.
        if (req.state !== 'PENDING') return;
        const claimed = await this.announcer.claim(req, undefined);
        if (!claimed) continue;
        known = await this.announcer.postRoots(req, claimed, firstEventAt, false);
        continue;
      }
      const { data, problems } = decodePluginData(raw);
      if (problems.length) this.o.log.warn('Plugin data has values the Go plugin would reject', { request_id: id, problems });
      if (data.claim) {
        const holder = claimHolder(this.c, data.claim);
        if (holder === 'other') {
          // Another replica is posting; look again once its lease would have run out.
          return { retryInMs: data.claim.until - Date.now() + 50 + Math.random() * 200 };
        }
        // Ours (a retry), our instance's previous process (dead: we are its successor), or expired.
        const mine = holder === 'me' ? raw : await this.announcer.claim(req, raw, data);
        if (!mine) continue;
        const current = decodePluginData(mine).data;
        if (current.targets !== undefined) {
          known = await this.announcer.postRoots(req, mine, firstEventAt, true);
          continue;
        }
        try {
          await this.followUp.run(req, current, mine, true);
        } catch (e) {
          if (e instanceof Conflict) continue;
          throw e;
        }
        return;
      }
      try {
        await this.followUp.run(req, data, raw);
      } catch (e) {
        if (e instanceof Conflict) continue;
        throw e;
      }
      return;
    }
    throw new Error(`plugin data of ${id} kept changing under us (${MAX_ROUNDS} compare-and-swap rounds)`);
  }

  /** Requests remembered for expiry rendering (tests, benchmark). */
  get cached(): number {
    return this.c.shown.size;
  }
}
