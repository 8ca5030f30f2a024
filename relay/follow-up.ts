/**
 * After the announcement: a thread reply for every review not yet counted in `reviews_count`, the
 * root posts re-rendered (status, threshold progress), and on approval/denial/promotion the
 * `resolution` recorded; optionally the requester told. Order: act first, record last, so a crash
 * repeats an idempotent step instead of skipping one. And the end of a request that is gone: its
 * root posts show EXPIRED.
 */
import { Conflict, RequestGone, statusOf, type EngineContext } from './engine-context';
import { marker } from './announce';
import { snapshotOf, type RequestSnapshot, type Status } from './messages';
import { UnknownRecipientError } from './messenger';
import { decodePluginData, type PluginData, type SentMessage } from './plugin-data';
import type { AccessRequest } from '../teleport-client/client';

type Raw = Record<string, string>;

function snapshotFromData(id: string, d: PluginData): RequestSnapshot {
  return { id, user: d.user, roles: d.roles, reason: d.requestReason, resources: d.resources, maxDuration: d.maxDuration, thresholds: [], reviews: [], systemAnnotations: d.systemAnnotations };
}

const root = (m: SentMessage) => ({ address: m.channelId, postId: m.postId });

export class FollowUp {
  constructor(private readonly c: EngineContext) {}

  /** Replies for new reviews, root re-render, resolution. Throws Conflict when the data moved. */
  async run(req: AccessRequest, data: PluginData, raw: Raw): Promise<void> {
    const { o, shown } = this.c;
    if (data.messages.length === 0) {
      shown.forget(req.id);
      return;
    }
    const status = statusOf(req);
    const snapshot = snapshotOf(req);
    const newReviews = req.reviews.slice(data.reviewsCount);
    const resolving = status !== 'PENDING' && data.resolution === '';
    if (newReviews.length === 0 && !resolving) {
      if (status === 'PENDING') shown.remember(req.id, snapshot, data);
      else shown.forget(req.id);
      return;
    }
    for (let i = data.reviewsCount; i < req.reviews.length; i++) {
      const text = o.messages.review(snapshot, req.reviews[i], req.reviews.slice(0, i + 1));
      await this.all(
        data.messages.map((m) => () => o.messenger.replyInThread({ root: root(m), text, marker: marker(req.id, m.channelId, 'review', i) })),
        'reply',
        req.id,
      );
    }
    const shownStatus: Status = data.resolution || status;
    const reason = resolving ? req.resolve_reason : data.resolveReason;
    await this.updateRoots(req.id, data.messages, o.messages.root(snapshot, shownStatus, reason));
    if (resolving && o.notifyRequester) await this.notifyRequester(snapshot, status, req.resolve_reason);
    const next: PluginData = {
      ...data,
      reviewsCount: Math.max(data.reviewsCount, req.reviews.length),
      resolution: resolving ? status : data.resolution,
      resolveReason: resolving ? req.resolve_reason ?? '' : data.resolveReason,
    };
    const saved = await this.c.store.cas(req.id, raw, next);
    if (!saved) throw new Conflict();
    if (resolving) {
      o.log.info('Request resolved', { request_id: req.id, resolution: status });
      shown.forget(req.id);
    } else shown.remember(req.id, snapshot, next);
  }

  /** The request is gone (expired or deleted): show EXPIRED on its posts. */
  async expire(id: string): Promise<void> {
    const { o, store, shown } = this.c;
    const cached = shown.get(id);
    const raw = await store.read(id);
    const data = raw ? decodePluginData(raw).data : cached?.data;
    if (!data || data.resolution !== '' || data.messages.length === 0) {
      shown.forget(id);
      return;
    }
    const snapshot = cached?.snapshot ?? snapshotFromData(id, data);
    await this.updateRoots(id, data.messages, o.messages.root(snapshot, 'EXPIRED'));
    if (o.notifyRequester) await this.notifyRequester(snapshot, 'EXPIRED');
    if (raw) {
      try {
        await store.cas(id, raw, { ...data, resolution: 'EXPIRED' });
      } catch (e) {
        if (!(e instanceof RequestGone)) throw e;
      }
    }
    o.log.info('Request expired or deleted', { request_id: id });
    shown.forget(id);
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

  private async notifyRequester(s: RequestSnapshot, status: Status, reason?: string): Promise<void> {
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
    await this.all([() => o.messenger.postRequest({ to: address, text: o.messages.requester(s, status, reason), marker: marker(s.id, address, 'requester', status) })], 'dm', s.id);
  }
}
