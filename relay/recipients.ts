/**
 * Who gets a request's notification, decided as Teleport decides it for its plugins
 * (integrations/access/accessrequest/app.go getMessageRecipients, common/recipient.go):
 *
 *  1. Access monitoring rules first: the union of notification.recipients of every rule for plugin
 *     "mattermost" and subject access_request whose condition matches. If that yields anyone, it is
 *     the whole answer.
 *  2. Otherwise, for each requested role, [role_to_recipients][role], or ["*"] when the role has no
 *     (or an empty) entry; plus the suggested reviewers that are plain email addresses; deduplicated.
 *
 * Each raw recipient is then resolved to a Mattermost channel id: an email is a direct message from
 * the bot, "team/channel" a channel by its URL name, a 26-character id a channel id, "@name" (or a bare
 * name) a user's direct message. Resolutions are cached; unknown recipients are reported, not fatal.
 */
import { MattermostApiError } from '../mattermost-client/api-error';
import type { MattermostPort } from './ports';

export type RecipientKind = 'email' | 'channel' | 'channel_id' | 'username';

export interface RecipientTarget {
  raw: string;
  kind: RecipientKind;
  channelId: string;
}

/** The recipient does not exist (or the bot cannot reach it); retrying will not help. */
export class UnknownRecipientError extends Error {
  constructor(
    readonly raw: string,
    readonly reason: string,
  ) {
    super(`recipient ${JSON.stringify(raw)}: ${reason}`);
    this.name = 'UnknownRecipientError';
  }
}

/** A bare address, as Go's mail.ParseAddress would return unchanged (no display name, no brackets). */
export function isEmail(s: string): boolean {
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(s);
}

export function recipientKind(raw: string): RecipientKind | undefined {
  const s = raw.trim();
  if (s.includes('@') && !s.startsWith('@')) return isEmail(s) ? 'email' : undefined;
  const slash = s.split('/');
  if (slash.length === 2) return slash[0] && slash[1] ? 'channel' : undefined;
  if (/^[a-z0-9]{26}$/.test(s)) return 'channel_id';
  if (/^@?[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s)) return 'username';
  return undefined;
}

/** GetRawRecipientsFor: per role its list or the "*" list, then the email suggested reviewers. */
export function rawRecipientsFor(roleToRecipients: Record<string, string[]>, roles: readonly string[], suggestedReviewers: readonly string[]): string[] {
  const out = new Set<string>();
  for (const role of roles) {
    const list = roleToRecipients[role]?.length ? roleToRecipients[role] : roleToRecipients['*'] ?? [];
    for (const r of list) out.add(r);
  }
  for (const r of suggestedReviewers) if (isEmail(r)) out.add(r);
  return [...out];
}

export interface RecipientPlan {
  raw: string[];
  source: 'access_monitoring_rules' | 'config';
}

/** AMR recipients win when there are any; the config map (with suggested reviewers) otherwise. */
export function planRecipients(amrRecipients: readonly string[], roleToRecipients: Record<string, string[]>, roles: readonly string[], suggestedReviewers: readonly string[]): RecipientPlan {
  if (amrRecipients.length > 0) return { raw: [...new Set(amrRecipients)], source: 'access_monitoring_rules' };
  return { raw: rawRecipientsFor(roleToRecipients, roles, suggestedReviewers), source: 'config' };
}

interface CacheEntry {
  at: number;
  target?: RecipientTarget;
  unknown?: UnknownRecipientError;
}

export interface ResolverOptions {
  /** How long a resolution is reused; default 10 minutes (unknown ones: 1 minute). */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export class RecipientResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<RecipientTarget>>();
  private readonly ttl: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(
    private readonly mm: MattermostPort,
    private readonly botUserId: string,
    opts: ResolverOptions = {},
  ) {
    this.ttl = opts.ttlMs ?? 10 * 60_000;
    this.max = opts.maxEntries ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  /** Resolves one recipient; UnknownRecipientError when it does not exist, other errors are transient. */
  async resolve(raw: string): Promise<RecipientTarget> {
    const key = raw.trim();
    const hit = this.cache.get(key);
    if (hit) {
      const age = this.now() - hit.at;
      if (hit.target && age < this.ttl) return hit.target;
      if (hit.unknown && age < Math.min(this.ttl, 60_000)) throw hit.unknown;
      this.cache.delete(key);
    }
    let p = this.inflight.get(key);
    if (!p) {
      p = this.lookup(key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    try {
      const target = await p;
      this.remember(key, { at: this.now(), target });
      return target;
    } catch (e) {
      if (e instanceof UnknownRecipientError) this.remember(key, { at: this.now(), unknown: e });
      throw e;
    }
  }

  /** Resolves all; unknown ones are listed apart, duplicates (same channel) dropped. */
  async resolveAll(raws: readonly string[]): Promise<{ targets: RecipientTarget[]; unknown: UnknownRecipientError[] }> {
    const settled = await Promise.allSettled(raws.map((r) => this.resolve(r)));
    const targets: RecipientTarget[] = [];
    const unknown: UnknownRecipientError[] = [];
    const seen = new Set<string>();
    for (const s of settled) {
      if (s.status === 'fulfilled') {
        if (!seen.has(s.value.channelId)) {
          seen.add(s.value.channelId);
          targets.push(s.value);
        }
      } else if (s.reason instanceof UnknownRecipientError) unknown.push(s.reason);
      else throw s.reason;
    }
    return { targets, unknown };
  }

  private remember(key: string, entry: CacheEntry): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async lookup(raw: string): Promise<RecipientTarget> {
    const kind = recipientKind(raw);
    if (!kind) throw new UnknownRecipientError(raw, 'is not an email address, team/channel, @username or channel id');
    const notFound = (what: string) => (e: unknown): never => {
      if (e instanceof MattermostApiError && (e.status === 404 || e.status === 403 || e.status === 400)) {
        throw new UnknownRecipientError(raw, `${what} (Mattermost answered ${e.status}${e.serverErrorId ? ` ${e.serverErrorId}` : ''})`);
      }
      throw e;
    };
    switch (kind) {
      case 'email': {
        const user = await this.mm.getUserByEmail(raw).catch(notFound('no Mattermost user has this email'));
        const dm = await this.mm.createDirectChannel(this.botUserId, user.id).catch(notFound('the bot cannot open a direct message with this user'));
        return { raw, kind, channelId: dm.id };
      }
      case 'username': {
        const user = await this.mm.getUserByUsername(raw.replace(/^@/, '')).catch(notFound('no Mattermost user has this username'));
        const dm = await this.mm.createDirectChannel(this.botUserId, user.id).catch(notFound('the bot cannot open a direct message with this user'));
        return { raw, kind, channelId: dm.id };
      }
      case 'channel': {
        const [team, channel] = raw.split('/');
        const ch = await this.mm.getChannelByName(team, channel).catch(notFound('no such channel, or the bot is not a member (use the channel URL name, e.g. myteam/town-square, and invite the bot)'));
        return { raw, kind, channelId: ch.id };
      }
      case 'channel_id': {
        const ch = await this.mm.getChannel(raw).catch(notFound('no channel with this id, or the bot is not a member'));
        return { raw, kind, channelId: ch.id };
      }
    }
  }
}
