/**
 * Announcing a request: claim it (create its plugin data by compare-and-swap, every key expected
 * absent, as the Go plugin does before posting), then post the root message to every target without
 * one and record each post in `messages`. When all are posted the claim is removed. A claim whose
 * owner died (lease expired) is taken over by CAS elsewhere (engine.ts); here the lease is renewed
 * before a long batch.
 */
import { performance } from 'node:perf_hooks';
import { RequestGone, MAX_ROUNDS, statusOf, type EngineContext, type Raw } from './engine-context';
import { snapshotOf } from './messages';
import type { PostRef } from './messenger';
import { decodePluginData, pendingTargets, type PluginData } from './plugin-data';
import { planRecipients } from './recipients';
import { faultPoint } from './faults';
import { isEmail } from '../model/recipient-grammar';
import type { AccessRequest } from '../teleport-client/client';

function validIso(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1 ? undefined : iso;
}

/** The stable name of a post: the same request, recipient and kind always give the same marker. */
export function marker(requestId: string, address: string, kind: string, index?: number | string): string {
  return [requestId, address, kind, ...(index === undefined ? [] : [String(index)])].join('/');
}

export class Announcer {
  constructor(private readonly c: EngineContext) {}

  /** Creates (or takes over) the claim; null when another writer got there first. */
  async claim(req: AccessRequest, current: Raw | undefined, existing?: PluginData): Promise<Raw | null> {
    const o = this.c.o;
    let next: PluginData;
    const claim = { owner: o.instanceId, until: Date.now() + this.c.lease, session: this.c.session };
    if (existing) {
      o.log.info('Taking over an abandoned announcement', { request_id: req.id, previous_owner: existing.claim?.owner });
      next = { ...existing, claim };
    } else {
      faultPoint('before-claim');
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
        claim,
        targets,
      };
    }
    const saved = await this.c.store.cas(req.id, current, next);
    if (saved) faultPoint('after-claim');
    return saved;
  }

  private async targetsFor(req: AccessRequest): Promise<string[]> {
    const o = this.c.o;
    let amr: string[] = [];
    if (o.amr) {
      try {
        amr = await o.amr.recipientsFor(req);
      } catch (e) {
        o.log.warn('Could not evaluate access monitoring rules; using the configured recipients', { request_id: req.id, error: e });
      }
    }
    const plan = planRecipients(amr, o.roleToRecipients, req.roles, req.suggested_reviewers);
    for (const s of req.suggested_reviewers) {
      if (!isEmail(s)) o.log.debug('Suggested reviewer is not an email address, not notified', { request_id: req.id, reviewer: s });
    }
    const { targets, unknown } = await this.c.resolver.resolveAll(plan.raw);
    for (const u of unknown) {
      o.metrics.unknownRecipients.inc();
      o.log.warn(`Recipient not found in ${o.messenger.displayName}, skipped`, { request_id: req.id, recipient: u.raw, reason: u.reason, source: plan.source });
    }
    if (targets.length === 0) o.log.warn(`No ${o.messenger.displayName} recipient for the request`, { request_id: req.id, roles: req.roles });
    return targets.map((t) => t.address);
  }

  /**
   * Posts the root message to every target still without one, recording each post. Returns the
   * stored data when all went well (undefined when it should be read again).
   */
  async postRoots(req: AccessRequest, raw: Raw, firstEventAt: number, resume: boolean): Promise<Raw | undefined> {
    const { o, store } = this.c;
    let cur = raw;
    let data = decodePluginData(cur).data;
    // Renew the lease before a batch that may take a while (rate limits): the claim must outlive it.
    if (data.claim && data.claim.until - Date.now() < this.c.lease / 2) {
      const renewed = await store.cas(req.id, cur, { ...data, claim: { owner: o.instanceId, until: Date.now() + this.c.lease, session: this.c.session } });
      if (!renewed) return undefined;
      cur = renewed;
      data = decodePluginData(cur).data;
    }
    const targets = pendingTargets(data);
    const text = o.messages.root(snapshotOf(req), data.resolution || statusOf(req), req.resolve_reason);
    // Resuming an announcement (a crash, a takeover, an ambiguous answer): a post may exist that was
    // never recorded. Look for it by its marker before posting again; Mattermost's own deduplication
    // lasts only 30 s.
    const post = async (to: string): Promise<PostRef> => {
      const m = marker(req.id, to, 'root');
      const found = resume ? await o.messenger.findPost({ to, marker: m }) : undefined;
      if (found) {
        o.log.info('Found the root post made before a crash; not posting again', { request_id: req.id, channel_id: to });
        return found;
      }
      return o.messenger.postRequest({ to, text, marker: m });
    };
    const results = await Promise.allSettled(targets.map(post));
    faultPoint('between-post-and-record');
    const posted: PostRef[] = [];
    const dropped = new Set<string>();
    let transient: unknown;
    results.forEach((r, i) => {
      const to = targets[i];
      if (r.status === 'fulfilled') {
        posted.push({ address: to, postId: r.value.postId });
        o.metrics.posts.inc({ type: 'root', result: 'ok' });
        const latencyMs = performance.now() - firstEventAt;
        o.metrics.eventToPost.observe(latencyMs / 1000);
        o.onRootPosted?.({ requestId: req.id, channelId: to, latencyMs });
      } else if (o.messenger.isPermanentError(r.reason)) {
        dropped.add(to);
        o.metrics.posts.inc({ type: 'root', result: 'rejected' });
        o.log.warn(`${o.messenger.displayName} refused the post; recipient dropped`, { request_id: req.id, channel_id: to, error: r.reason });
      } else {
        transient ??= r.reason;
        o.metrics.posts.inc({ type: 'root', result: 'error' });
      }
    });
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const have = new Set(data.messages.map((m) => m.channelId));
      const messages = [...data.messages, ...posted.filter((p) => !have.has(p.address)).map((p) => ({ channelId: p.address, postId: p.postId }))];
      const remainingTargets = (data.targets ?? []).filter((t) => !dropped.has(t));
      const done = remainingTargets.every((t) => messages.some((m) => m.channelId === t));
      const next: PluginData = { ...data, messages, targets: done ? undefined : remainingTargets, claim: done ? undefined : data.claim };
      const saved = await store.cas(req.id, cur, next);
      if (saved) {
        if (done) {
          o.metrics.requestsAnnounced.inc();
          o.log.info('Request announced', { request_id: req.id, user: req.user, roles: req.roles, posts: messages.length });
        }
        this.c.shown.remember(req.id, snapshotOf(req), next, req);
        if (transient) throw transient;
        return saved;
      }
      const reread = await store.read(req.id);
      if (!reread) throw new RequestGone();
      cur = reread;
      data = decodePluginData(cur).data;
      if (!data.claim || data.claim.owner !== o.instanceId || data.claim.session !== this.c.session) {
        // Our lease ran out and another replica took over; it reposts with the same markers.
        o.log.warn('Lost the claim while posting', { request_id: req.id, owner: data.claim?.owner });
        return undefined;
      }
    }
    if (transient) throw transient;
    return undefined;
  }
}
