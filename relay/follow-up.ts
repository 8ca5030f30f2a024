/**
 * After the announcement: a thread reply for every review not yet counted in `reviews_count`, the
 * root posts re-rendered (status, threshold progress), and on approval/denial/promotion the
 * `resolution` recorded; optionally the requester told. Replies are posts, so they are made under a
 * claim written before them (the intent): one replica replies, and a process resuming after a crash
 * (or taking over a dead claim) first looks for the replies already made by their markers. Order: act
 * first, record last, so a crash repeats an idempotent step instead of skipping one.
 *
 * A request that is gone (absent in a direct read: expired or deleted, while we watched or not):
 * whatever its last known state still owes is settled, the posts show EXPIRED unless it was resolved,
 * and its plugin data (which Teleport keeps after the request) is cleared.
 */
import { Conflict, MAX_ROUNDS, claimHolder, statusOf, type EngineContext, type Raw } from './engine-context';
import { marker } from './announce';
import { faultPoint } from './faults';
import { snapshotOf, type RequestSnapshot, type Status } from './messages';
import { UnknownRecipientError, type PostRef } from './messenger';
import { decodePluginData, emptyPluginData, pendingTargets, type PluginData, type SentMessage } from './plugin-data';
import type { AccessRequest } from '../teleport-client/client';

function snapshotFromData(id: string, d: PluginData): RequestSnapshot {
  return { id, user: d.user, roles: d.roles, reason: d.requestReason, resources: d.resources, maxDuration: d.maxDuration, thresholds: [], reviews: [], systemAnnotations: d.systemAnnotations };
}

const root = (m: SentMessage): PostRef => ({ address: m.channelId, postId: m.postId });

export class FollowUp {
  constructor(private readonly c: EngineContext) {}

  /**
   * Replies for new reviews, root re-render, resolution, from the request as Teleport returns it.
   * `resume`: a claim of ours (or a dead one we took over) is open, so posts may exist unrecorded.
   * Throws Conflict when the data moved.
   */
  async run(req: AccessRequest, data: PluginData, raw: Raw, resume = false): Promise<void> {
    const { o, shown } = this.c;
    if (data.messages.length === 0) {
      shown.forget(req.id);
      if (data.claim) await this.c.store.cas(req.id, raw, { ...data, claim: undefined });
      return;
    }
    const status = statusOf(req);
    const snapshot = snapshotOf(req);
    // Teleport's truth wins: a request that exists was not expired (a stale EXPIRED is undone).
    const stale = data.resolution === 'EXPIRED';
    const resolving = status !== 'PENDING' && (data.resolution === '' || stale);
    const unexpiring = status === 'PENDING' && stale;
    const newReviews = req.reviews.length > data.reviewsCount;
    const notify = resolving && o.notifyRequester === true;
    if (!newReviews && !resolving && !unexpiring && !data.claim) {
      if (status === 'PENDING') shown.remember(req.id, snapshot, data, req);
      else shown.forget(req.id);
      return;
    }
    let cur = raw;
    let claimed = data;
    if ((newReviews || notify) && !data.claim) {
      // The intent, recorded before posting: whoever wins this CAS posts.
      claimed = { ...data, claim: { owner: o.instanceId, until: Date.now() + this.c.lease, session: this.c.session } };
      const saved = await this.c.store.cas(req.id, raw, claimed);
      if (!saved) throw new Conflict();
      cur = saved;
    }
    for (let i = data.reviewsCount; i < req.reviews.length; i++) {
      const text = o.messages.review(snapshot, req.reviews[i], req.reviews.slice(0, i + 1));
      await this.all(
        data.messages.map((m) => () => this.post({ to: m.channelId, root: root(m), text, marker: marker(req.id, m.channelId, 'review', i) }, resume)),
        'reply',
        req.id,
      );
      faultPoint('during-review');
    }
    const shownStatus: Status = resolving ? status : unexpiring ? 'PENDING' : data.resolution || status;
    const reason = resolving ? req.resolve_reason : data.resolveReason;
    await this.updateRoots(req.id, data.messages, o.messages.root(snapshot, shownStatus, reason));
    if (notify) await this.notifyRequester(snapshot, status, req.resolve_reason, resume);
    const next: PluginData = {
      ...data,
      claim: undefined,
      reviewsCount: Math.max(data.reviewsCount, req.reviews.length),
      resolution: resolving ? status : unexpiring ? '' : data.resolution,
      resolveReason: resolving ? req.resolve_reason ?? '' : unexpiring ? '' : data.resolveReason,
    };
    const saved = await this.c.store.cas(req.id, cur, next);
    if (!saved) throw new Conflict();
    if (resolving) {
      o.log.info('Request resolved', { request_id: req.id, resolution: status });
      shown.forget(req.id);
    } else shown.remember(req.id, snapshot, next, req);
  }

  /**
   * The request is gone: a direct read found no such request. `last` is its last state we saw (from
   * a watch event or our cache), if any. Loops over CAS conflicts.
   */
  async gone(id: string, last: AccessRequest | undefined): Promise<void> {
    const { o, store, shown } = this.c;
    const cached = shown.get(id);
    const known = last ?? cached?.request;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const raw = await store.read(id);
      if (!raw) {
        shown.forget(id);
        return;
      }
      const { data } = decodePluginData(raw);
      const holder = data.claim ? claimHolder(this.c, data.claim) : undefined;
      // Another live replica is at it: the job is retried (with backoff) until its claim ends.
      if (holder === 'other') throw new Error('another replica holds the claim of this request; retrying later');
      // What its last known state still owed (reviews not replied, a resolution not shown) comes first.
      if (known && data.messages.length > 0 && (known.reviews.length > data.reviewsCount || (statusOf(known) !== 'PENDING' && data.resolution === ''))) {
        try {
          await this.run(known, data, raw, data.claim !== undefined);
        } catch (e) {
          if (e instanceof Conflict) continue;
          throw e;
        }
        continue;
      }
      // Posts made but never recorded (a crash while announcing), found by their markers.
      const messages = [...data.messages];
      for (const to of pendingTargets(data)) {
        const found = await o.messenger.findPost({ to, marker: marker(id, to, 'root') });
        if (found) messages.push({ channelId: found.address, postId: found.postId });
      }
      if (data.resolution === '' && messages.length > 0) {
        const snapshot = known ? snapshotOf(known) : cached?.snapshot ?? snapshotFromData(id, data);
        await this.updateRoots(id, messages, o.messages.root(snapshot, 'EXPIRED'));
        if (o.notifyRequester) await this.notifyRequester(snapshot, 'EXPIRED', undefined, true);
        o.log.info('Request expired or deleted', { request_id: id });
      }
      // Done with it: clear our plugin data (Teleport would only expire it an hour after the access).
      const saved = await store.cas(id, raw, emptyPluginData());
      if (!saved) continue;
      shown.forget(id);
      return;
    }
    throw new Error(`plugin data of ${id} kept changing under us (${MAX_ROUNDS} compare-and-swap rounds)`);
  }

  /** A reply, or a post found by its marker when resuming. */
  private async post(p: { to: string; root?: PostRef; text: string; marker: string }, resume: boolean): Promise<PostRef> {
    const messenger = this.c.o.messenger;
    const found = resume ? await messenger.findPost({ to: p.to, marker: p.marker, root: p.root }) : undefined;
    if (found) return found;
    return p.root ? messenger.replyInThread({ root: p.root, text: p.text, marker: p.marker }) : messenger.postRequest({ to: p.to, text: p.text, marker: p.marker });
  }

  /** Runs messenger writes; permanent refusals are logged and skipped, transient ones thrown. */
  private async all(calls: (() => Promise<unknown>)[], type: string, requestId: string): Promise<void> {
    const o = this.c.o;
    const results = await Promise.allSettled(calls.map((call) => call()));
    let transient: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') o.metrics.posts.inc({ type, result: 'ok' });
      else if (o.messenger.isPermanentError(r.reason)) {
        o.metrics.posts.inc({ type, result: 'rejected' });
        o.log.warn(`${o.messenger.displayName} refused an update (post deleted or bot removed?); skipped`, { request_id: requestId, type, error: r.reason });
      } else {
        o.metrics.posts.inc({ type, result: 'error' });
        transient ??= r.reason;
      }
    }
    if (transient) throw transient;
  }

  private updateRoots(requestId: string, messages: SentMessage[], text: string): Promise<void> {
    return this.all(
      messages.map((m) => () => this.c.o.messenger.updatePost({ post: root(m), text })),
      'update',
      requestId,
    );
  }

  private async notifyRequester(s: RequestSnapshot, status: Status, reason: string | undefined, resume: boolean): Promise<void> {
    const o = this.c.o;
    const who = o.messenger.personalRecipient(s.user);
    if (!who) return;
    let address: string;
    try {
      address = (await this.c.resolver.resolve(who)).address;
    } catch (e) {
      if (e instanceof UnknownRecipientError) {
        o.log.info(`Requester has no ${o.messenger.displayName} account; not notified`, { request_id: s.id, user: s.user });
        return;
      }
      throw e;
    }
    await this.all([() => this.post({ to: address, text: o.messages.requester(s, status, reason), marker: marker(s.id, address, 'requester', status) }, resume)], 'dm', s.id);
  }
}
