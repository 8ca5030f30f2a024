/**
 * Who gets a request's notification, decided as Teleport decides it for its plugins
 * (integrations/access/accessrequest/app.go getMessageRecipients, common/recipient.go):
 *
 *  1. Access monitoring rules first: the union of notification.recipients of every rule for the
 *     plugin and subject access_request whose condition matches. If that yields anyone, it is the
 *     whole answer.
 *  2. Otherwise, for each requested role, [role_to_recipients][role], or ["*"] when the role has no
 *     (or an empty) entry; plus the suggested reviewers that are plain email addresses; deduplicated.
 *
 * Each raw recipient is then resolved by the messenger (relay/messenger.ts lookupRecipient) to an
 * address. Resolutions are cached; unknown recipients are reported, not fatal.
 */
import { isEmail } from '../model/recipient-grammar';
import { UnknownRecipientError, type Destination, type Messenger } from './messenger';

export { UnknownRecipientError };

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
  target?: Destination;
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
  private readonly inflight = new Map<string, Promise<Destination>>();
  private readonly ttl: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(
    private readonly messenger: Pick<Messenger, 'lookupRecipient'>,
    opts: ResolverOptions = {},
  ) {
    this.ttl = opts.ttlMs ?? 10 * 60_000;
    this.max = opts.maxEntries ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  /** Resolves one recipient; UnknownRecipientError when it does not exist, other errors are transient. */
  async resolve(raw: string): Promise<Destination> {
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
      p = this.messenger.lookupRecipient(key).finally(() => this.inflight.delete(key));
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
  async resolveAll(raws: readonly string[]): Promise<{ targets: Destination[]; unknown: UnknownRecipientError[] }> {
    const settled = await Promise.allSettled(raws.map((r) => this.resolve(r)));
    const targets: Destination[] = [];
    const unknown: UnknownRecipientError[] = [];
    const seen = new Set<string>();
    for (const s of settled) {
      if (s.status === 'fulfilled') {
        if (!seen.has(s.value.address)) {
          seen.add(s.value.address);
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
}
