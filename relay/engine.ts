/**
 * The relay's core: turns access_request events into Mattermost posts, with Teleport plugin data as
 * the only state, so a restart, a second replica or the Go plugin all see the same truth.
 *
 * For each request, reconcile() compares the request with its plugin data and does what is missing:
 *
 *  1. Not announced yet (no plugin data) and pending: resolve the recipients, then *claim* the request
 *     by creating its plugin data with compare-and-swap (every key expected absent), as the Go plugin
 *     does before posting. Only the replica whose create succeeds posts; the others see the data.
 *     The claim (relay_claim = owner + lease) and the target channels (relay_targets) are stored too.
 *  2. Claimed: post the root message to every target that has no post yet and record each post in
 *     `messages` (CAS). When all are posted the claim is removed. A claim whose owner died (lease
 *     expired) is taken over by CAS; a live foreign claim is left alone and checked again later.
 *     Every post carries a pending_post_id derived from (request, channel, kind), which Mattermost
 *     deduplicates for 30 s, so a crash between posting and recording does not post twice.
 *  3. Announced: post a thread reply for every review not yet counted in `reviews_count`, re-render the
 *     root posts (status, threshold progress), and on approval/denial/promotion record the
 *     `resolution`; optionally tell the requester. Order: act first, record last, so a crash repeats
 *     an idempotent step instead of skipping one.
 *  4. Deleted (Teleport deletes a request when it expires): the root posts show EXPIRED.
 *
 * Failures are retried by the work queue with backoff; nothing is dropped. Backfill (at start, after
 * every reconnect and periodically) lists the requests and their plugin data and queues whatever is
 * not done, so requests created or reviewed while the relay was away are caught up.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from './log';
import { MattermostApiError } from '../mattermost-client/api-error';
import type { Messages, RequestSnapshot, Status } from './messages';
import { snapshotOf } from './messages';
import type { RelayMetrics } from './metrics';
import { PLUGIN_NAME, casParams, decodePluginData, pendingTargets, type PluginData, type SentMessage } from './plugin-data';
import type { MattermostPort, TeleportPort } from './ports';
import { RecipientResolver, UnknownRecipientError, planRecipients, recipientKind } from './recipients';
import { isTeleportError, type AccessRequest } from '../teleport-client/client';
import { WorkQueue, type JobResult } from './work-queue';

export interface AmrSource {
  /** Raw recipients of the access monitoring rules matching the request ([] when none match). */
  recipientsFor(req: AccessRequest): Promise<string[]>;
}

export interface EngineOptions {
  teleport: TeleportPort;
  /** Mattermost, already behind the rate-limit gate. */
  mattermost: MattermostPort;
  botUserId: string;
  messages: Messages;
  roleToRecipients: Record<string, string[]>;
  amr?: AmrSource;
  notifyRequester?: boolean;
  /** This replica's name in claims. */
  instanceId: string;
  /** How long a claim protects a request being announced; default 30 s. */
  leaseMs?: number;
  concurrency?: number;
  backoff?: { minMs: number; maxMs: number };
  log: Logger;
  metrics: RelayMetrics;
  /** Requests remembered for rendering their expiry (LRU); default 10000. */
  cacheSize?: number;
  resolver?: RecipientResolver;
  /** Called for every root post (benchmark hook). */
  onRootPosted?: (e: { requestId: string; channelId: string; latencyMs: number }) => void;
}

interface Job {
  request?: AccessRequest;
  deleted?: boolean;
  /** When the first event behind this job arrived, performance.now() (for the event-to-post latency). */
  firstEventAt: number;
  /** From a watch event (not a backfill): the request is likely new to everyone. */
  fresh?: boolean;
}

/** The request vanished (deleted while we worked on it). */
class RequestGone extends Error {}
/** Someone else changed the plugin data; read again and redo the step. */
class Conflict extends Error {}

const MAX_ROUNDS = 20;

type Raw = Record<string, string>;

function statusOf(req: AccessRequest): Status {
  switch (req.state) {
    case 'APPROVED':
    case 'DENIED':
    case 'PROMOTED':
      return req.state;
    default:
      return 'PENDING';
  }
}

function validIso(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1 ? undefined : iso;
}

function snapshotFromData(id: string, d: PluginData): RequestSnapshot {
  return { id, user: d.user, roles: d.roles, reason: d.requestReason, resources: d.resources, maxDuration: d.maxDuration, thresholds: [], reviews: [], systemAnnotations: d.systemAnnotations };
}

/** True when Mattermost will answer the same way again (the target is gone or forbidden). */
function isPermanentMattermostError(e: unknown): boolean {
  return e instanceof MattermostApiError && (e.status === 400 || e.status === 403 || e.status === 404);
}

/** Whether backfill should queue the request: something is missing between it and its plugin data. */
export function needsWork(req: AccessRequest, raw: Raw | undefined): boolean {
  if (!raw || Object.keys(raw).length === 0) return req.state === 'PENDING';
  const { data } = decodePluginData(raw);
  if (data.claim) return true;
  if (data.messages.length === 0) return false;
  if (req.reviews.length > data.reviewsCount) return true;
  return statusOf(req) !== 'PENDING' && data.resolution === '';
}

export class Engine {
  readonly queue: WorkQueue<Job>;
  readonly resolver: RecipientResolver;
  private readonly cache = new Map<string, { snapshot: RequestSnapshot; data: PluginData }>();
  private readonly lease: number;
  private readonly cacheSize: number;

  constructor(private readonly o: EngineOptions) {
    this.lease = o.leaseMs ?? 30_000;
    this.cacheSize = o.cacheSize ?? 10_000;
    this.resolver = o.resolver ?? new RecipientResolver(o.mattermost, o.botUserId);
    this.queue = new WorkQueue<Job>((id, job, attempt) => this.handle(id, job, attempt), {
      concurrency: o.concurrency ?? 64,
      backoff: o.backoff ?? { minMs: 200, maxMs: 30_000 },
      merge: (older, newer) => ({ ...newer, request: newer.request ?? older.request, firstEventAt: Math.min(older.firstEventAt, newer.firstEventAt), fresh: older.fresh && newer.fresh }),
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

  /** Lists requests and plugin data and queues every request with something left to do. */
  async backfill(): Promise<{ queued: number; requests: number }> {
    const [requests, data] = await Promise.all([this.o.teleport.getAccessRequests(), this.o.teleport.getPluginData({ resource: '', plugin: PLUGIN_NAME })]);
    const byId = new Map(data.map((d) => [d.resource, d.entries[PLUGIN_NAME]]));
    const live = new Set<string>();
    let queued = 0;
    const now = performance.now();
    for (const req of requests) {
      live.add(req.id);
      if (needsWork(req, byId.get(req.id))) {
        this.queue.push(req.id, { request: req, firstEventAt: now });
        queued++;
      }
    }
    // Requests we knew that are gone now were deleted (expired) while we were not watching.
    for (const id of this.cache.keys()) {
      if (!live.has(id)) {
        this.queue.push(id, { deleted: true, firstEventAt: now });
        queued++;
      }
    }
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
      if (job.deleted) return await this.expire(id);
      let req = job.request;
      if (attempt > 0 || !req) {
        // A retry works from fresh state: the request may have moved on (or gone) since.
        req = (await this.o.teleport.getAccessRequests({ id }))[0];
        if (!req) return await this.expire(id);
      }
      return await this.reconcile(req, job.firstEventAt, job.fresh === true && attempt === 0 && !this.cache.has(id));
    } catch (e) {
      if (e instanceof RequestGone) return this.expire(id);
      throw e;
    } finally {
      this.o.metrics.queueDepth.set(this.queue.size);
    }
  }

  private async read(id: string): Promise<Raw | undefined> {
    const items = await this.o.teleport.getPluginData({ resource: id, plugin: PLUGIN_NAME });
    const raw = items.find((i) => i.resource === id || items.length === 1)?.entries[PLUGIN_NAME];
    return raw && Object.keys(raw).length > 0 ? raw : undefined;
  }

  /** Compare-and-swap from `current` to `next`: the new stored map, or null when someone else wrote first. */
  private async cas(id: string, current: Raw | undefined, next: PluginData): Promise<Raw | null> {
    const { set, expect } = casParams(current, next);
    try {
      await this.o.teleport.updatePluginData({ resource: id, plugin: PLUGIN_NAME, set, expect });
    } catch (e) {
      if (isTeleportError(e, 'CompareFailed')) {
        this.o.metrics.casConflicts.inc();
        return null;
      }
      if (isTeleportError(e, 'NotFound')) throw new RequestGone();
      throw e;
    }
    const out: Raw = { ...(current ?? {}) };
    for (const [k, v] of Object.entries(set)) {
      if (v === '') delete out[k];
      else out[k] = v;
    }
    return out;
  }

  private async reconcile(req: AccessRequest, firstEventAt: number, fresh = false): Promise<JobResult | void> {
    const id = req.id;
    // What the last write of this round left in Teleport, when we know it (saves a read).
    let known: Raw | undefined;
    // A request we have never seen, pending: try to claim it straight away. The claim is a CAS that
    // expects no data, so it fails harmlessly when someone was first; then we read, as usual.
    let tryClaimFirst = fresh && req.state === 'PENDING';
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (tryClaimFirst) {
        tryClaimFirst = false;
        const claimed = await this.claim(req, undefined);
        if (claimed) known = await this.postRoots(req, claimed, firstEventAt);
        continue;
      }
      const raw = known ?? (await this.read(id));
      known = undefined;
      if (!raw) {
        // Teleport's plugins never announce a request that is already resolved: nothing to review.
        if (req.state !== 'PENDING') return;
        const claimed = await this.claim(req, undefined);
        if (!claimed) continue;
        known = await this.postRoots(req, claimed, firstEventAt);
        continue;
      }
      const { data, problems } = decodePluginData(raw);
      if (problems.length) this.o.log.warn('Plugin data has values the Go plugin would reject', { request_id: id, problems });
      if (data.claim) {
        const now = Date.now();
        if (data.claim.owner !== this.o.instanceId && data.claim.until > now) {
          // Another replica is announcing it; look again once its lease would have run out.
          return { retryInMs: data.claim.until - now + 50 + Math.random() * 200 };
        }
        const mine = data.claim.owner === this.o.instanceId ? raw : await this.claim(req, raw, data);
        if (!mine) continue;
        known = await this.postRoots(req, mine, firstEventAt);
        continue;
      }
      try {
        await this.followUp(req, data, raw);
      } catch (e) {
        if (e instanceof Conflict) continue;
        throw e;
      }
      return;
    }
    throw new Error(`plugin data of ${id} kept changing under us (${MAX_ROUNDS} compare-and-swap rounds)`);
  }

  /** Creates (or takes over) the claim; null when another writer got there first. */
  private async claim(req: AccessRequest, current: Raw | undefined, existing?: PluginData): Promise<Raw | null> {
    let next: PluginData;
    if (existing) {
      this.o.log.info('Taking over an abandoned announcement', { request_id: req.id, previous_owner: existing.claim?.owner });
      next = { ...existing, claim: { owner: this.o.instanceId, until: Date.now() + this.lease } };
    } else {
      const targets = await this.targetsFor(req);
      next = {
        user: req.user,
        roles: req.roles,
        requestReason: req.reason ?? '',
        reviewsCount: 0,
        resolution: '',
        resolveReason: '',
        resources: snapshotOf(req).resources,
        suggestedReviewers: req.suggested_reviewers,
        systemAnnotations: req.system_annotations,
        loginsByRole: {},
        maxDuration: validIso(req.max_duration),
        messages: [],
        claim: { owner: this.o.instanceId, until: Date.now() + this.lease },
        targets,
      };
    }
    return this.cas(req.id, current, next);
  }

  private async targetsFor(req: AccessRequest): Promise<string[]> {
    let amr: string[] = [];
    if (this.o.amr) {
      try {
        amr = await this.o.amr.recipientsFor(req);
      } catch (e) {
        this.o.log.warn('Could not evaluate access monitoring rules; using the configured recipients', { request_id: req.id, error: e });
      }
    }
    const plan = planRecipients(amr, this.o.roleToRecipients, req.roles, req.suggested_reviewers);
    for (const s of req.suggested_reviewers) {
      if (recipientKind(s) !== 'email') this.o.log.debug('Suggested reviewer is not an email address, not notified', { request_id: req.id, reviewer: s });
    }
    const { targets, unknown } = await this.resolver.resolveAll(plan.raw);
    for (const u of unknown) {
      this.o.metrics.unknownRecipients.inc();
      this.o.log.warn('Recipient not found in Mattermost, skipped', { request_id: req.id, recipient: u.raw, reason: u.reason, source: plan.source });
    }
    if (targets.length === 0) this.o.log.warn('No Mattermost recipient for the request', { request_id: req.id, roles: req.roles });
    return targets.map((t) => t.channelId);
  }

  private pendingPostId(...parts: (string | number)[]): string {
    // Mattermost deduplicates creates by pending_post_id for 30 s; a stable one makes retries idempotent.
    return `${this.o.botUserId}:${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
  }

  /**
   * Posts the root message to every target still without one, recording each post. Returns the
   * stored data when all went well (undefined when it should be read again).
   */
  private async postRoots(req: AccessRequest, raw: Raw, firstEventAt: number): Promise<Raw | undefined> {
    let cur = raw;
    let data = decodePluginData(cur).data;
    // Renew the lease before a batch that may take a while (rate limits): the claim must outlive it.
    if (data.claim && data.claim.until - Date.now() < this.lease / 2) {
      const renewed = await this.cas(req.id, cur, { ...data, claim: { owner: this.o.instanceId, until: Date.now() + this.lease } });
      if (!renewed) return undefined;
      cur = renewed;
      data = decodePluginData(cur).data;
    }
    const targets = pendingTargets(data);
    const text = this.o.messages.root(snapshotOf(req), data.resolution || statusOf(req), req.resolve_reason);
    const results = await Promise.allSettled(
      targets.map((channelId) => this.o.mattermost.createPost({ channel_id: channelId, message: text, pending_post_id: this.pendingPostId(req.id, channelId, 'root') })),
    );
    const posted: SentMessage[] = [];
    const dropped = new Set<string>();
    let transient: unknown;
    results.forEach((r, i) => {
      const channelId = targets[i];
      if (r.status === 'fulfilled') {
        posted.push({ channelId, postId: r.value.id });
        this.o.metrics.posts.inc({ type: 'root', result: 'ok' });
        const latencyMs = performance.now() - firstEventAt;
        this.o.metrics.eventToPost.observe(latencyMs / 1000);
        this.o.onRootPosted?.({ requestId: req.id, channelId, latencyMs });
      } else if (isPermanentMattermostError(r.reason)) {
        dropped.add(channelId);
        this.o.metrics.posts.inc({ type: 'root', result: 'rejected' });
        this.o.log.warn('Mattermost refused the post; recipient dropped', { request_id: req.id, channel_id: channelId, error: r.reason });
      } else {
        transient ??= r.reason;
        this.o.metrics.posts.inc({ type: 'root', result: 'error' });
      }
    });
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const have = new Set(data.messages.map((m) => m.channelId));
      const messages = [...data.messages, ...posted.filter((p) => !have.has(p.channelId))];
      const remainingTargets = (data.targets ?? []).filter((t) => !dropped.has(t));
      const done = remainingTargets.every((t) => messages.some((m) => m.channelId === t));
      const next: PluginData = { ...data, messages, targets: done ? undefined : remainingTargets, claim: done ? undefined : data.claim };
      const saved = await this.cas(req.id, cur, next);
      if (saved) {
        if (done) {
          this.o.metrics.requestsAnnounced.inc();
          this.o.log.info('Request announced', { request_id: req.id, user: req.user, roles: req.roles, posts: messages.length });
        }
        this.remember(req, next);
        if (transient) throw transient;
        return saved;
      }
      const reread = await this.read(req.id);
      if (!reread) throw new RequestGone();
      cur = reread;
      data = decodePluginData(cur).data;
      if (!data.claim || data.claim.owner !== this.o.instanceId) {
        // Our lease ran out and another replica took over; it reposts with the same pending ids.
        this.o.log.warn('Lost the claim while posting', { request_id: req.id, owner: data.claim?.owner });
        return undefined;
      }
    }
    if (transient) throw transient;
    return undefined;
  }

  /** Replies for new reviews, root re-render, resolution. Throws Conflict when the data moved. */
  private async followUp(req: AccessRequest, data: PluginData, raw: Raw): Promise<void> {
    if (data.messages.length === 0) {
      this.forget(req.id);
      return;
    }
    const status = statusOf(req);
    const snapshot = snapshotOf(req);
    const newReviews = req.reviews.slice(data.reviewsCount);
    const resolving = status !== 'PENDING' && data.resolution === '';
    if (newReviews.length === 0 && !resolving) {
      if (status === 'PENDING') this.remember(req, data);
      else this.forget(req.id);
      return;
    }
    for (let i = data.reviewsCount; i < req.reviews.length; i++) {
      const review = req.reviews[i];
      const text = this.o.messages.review(snapshot, review, req.reviews.slice(0, i + 1));
      await this.all(
        data.messages.map((m) => () =>
          this.o.mattermost.createPost({ channel_id: m.channelId, root_id: m.postId, message: text, pending_post_id: this.pendingPostId(req.id, m.channelId, 'review', i) }),
        ),
        'reply',
        req.id,
      );
    }
    const shown: Status = data.resolution || status;
    const reason = resolving ? req.resolve_reason : data.resolveReason;
    await this.updateRoots(req.id, data.messages, this.o.messages.root(snapshot, shown, reason));
    if (resolving && this.o.notifyRequester) await this.notifyRequester(snapshot, status, req.resolve_reason);
    const next: PluginData = {
      ...data,
      reviewsCount: Math.max(data.reviewsCount, req.reviews.length),
      resolution: resolving ? status : data.resolution,
      resolveReason: resolving ? req.resolve_reason ?? '' : data.resolveReason,
    };
    const saved = await this.cas(req.id, raw, next);
    if (!saved) throw new Conflict();
    if (resolving) {
      this.o.log.info('Request resolved', { request_id: req.id, resolution: status });
      this.forget(req.id);
    } else this.remember(req, next);
  }

  /** Runs Mattermost writes; permanent refusals are logged and skipped, transient ones thrown. */
  private async all(calls: (() => Promise<unknown>)[], type: string, requestId: string): Promise<void> {
    const results = await Promise.allSettled(calls.map((c) => c()));
    let transient: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') this.o.metrics.posts.inc({ type, result: 'ok' });
      else if (isPermanentMattermostError(r.reason)) {
        this.o.metrics.posts.inc({ type, result: 'rejected' });
        this.o.log.warn('Mattermost refused an update (post deleted or bot removed?); skipped', { request_id: requestId, type, error: r.reason });
      } else {
        this.o.metrics.posts.inc({ type, result: 'error' });
        transient ??= r.reason;
      }
    }
    if (transient) throw transient;
  }

  private updateRoots(requestId: string, messages: SentMessage[], text: string): Promise<void> {
    return this.all(
      messages.map((m) => () => this.o.mattermost.updatePost({ id: m.postId, channel_id: m.channelId, message: text })),
      'update',
      requestId,
    );
  }

  private async notifyRequester(s: RequestSnapshot, status: Status, reason?: string): Promise<void> {
    const kind = recipientKind(s.user);
    if (kind !== 'email' && kind !== 'username') return;
    let channelId: string;
    try {
      channelId = (await this.resolver.resolve(s.user)).channelId;
    } catch (e) {
      if (e instanceof UnknownRecipientError) {
        this.o.log.info('Requester has no Mattermost account; not notified', { request_id: s.id, user: s.user });
        return;
      }
      throw e;
    }
    await this.all(
      [() => this.o.mattermost.createPost({ channel_id: channelId, message: this.o.messages.requester(s, status, reason), pending_post_id: this.pendingPostId(s.id, channelId, 'requester', status) })],
      'dm',
      s.id,
    );
  }

  /** The request is gone (expired or deleted): show EXPIRED on its posts. */
  private async expire(id: string): Promise<void> {
    const cached = this.cache.get(id);
    const raw = await this.read(id);
    const data = raw ? decodePluginData(raw).data : cached?.data;
    if (!data || data.resolution !== '' || data.messages.length === 0) {
      this.forget(id);
      return;
    }
    const snapshot = cached?.snapshot ?? snapshotFromData(id, data);
    await this.updateRoots(id, data.messages, this.o.messages.root(snapshot, 'EXPIRED'));
    if (this.o.notifyRequester) await this.notifyRequester(snapshot, 'EXPIRED');
    if (raw) {
      try {
        await this.cas(id, raw, { ...data, resolution: 'EXPIRED' });
      } catch (e) {
        if (!(e instanceof RequestGone)) throw e;
      }
    }
    this.o.log.info('Request expired or deleted', { request_id: id });
    this.forget(id);
  }

  private remember(req: AccessRequest, data: PluginData): void {
    this.cache.delete(req.id);
    this.cache.set(req.id, { snapshot: snapshotOf(req), data });
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }

  private forget(id: string): void {
    this.cache.delete(id);
  }

  /** Requests remembered for expiry rendering (tests, benchmark). */
  get cached(): number {
    return this.cache.size;
  }
}
