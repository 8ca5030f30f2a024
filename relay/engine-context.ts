/**
 * What the parts of the engine share: its options, the plugin-data store (read + compare-and-swap),
 * the recipient resolver and the cache of requests shown (for rendering a request that is gone).
 */
import type { Logger } from './log';
import type { Messages, RequestSnapshot, Status } from './messages';
import type { Messenger } from './messenger';
import type { RelayMetrics } from './metrics';
import { PLUGIN_NAME, casParams, type PluginData } from './plugin-data';
import type { TeleportPort } from './ports';
import type { RecipientResolver } from './recipients';
import { isTeleportError, type AccessRequest } from '../teleport-client/client';

export interface AmrSource {
  /** Raw recipients of the access monitoring rules matching the request ([] when none match). */
  recipientsFor(req: AccessRequest): Promise<string[]>;
}

export interface EngineOptions {
  teleport: TeleportPort;
  /** The chat system, already behind its rate-limit gate. */
  messenger: Messenger;
  messages: Messages;
  roleToRecipients: Record<string, string[]>;
  amr?: AmrSource;
  notifyRequester?: boolean;
  /** This replica's name in claims: stable across restarts (default: the host name, a pod's name). */
  instanceId: string;
  /** This process's name in claims (random per start); a different session of our instance is our dead predecessor. */
  session?: string;
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

export type Raw = Record<string, string>;

/** The request vanished (deleted while we worked on it). */
export class RequestGone extends Error {}
/** Someone else changed the plugin data; read again and redo the step. */
export class Conflict extends Error {}

/** Bound on compare-and-swap rounds of one job. */
export const MAX_ROUNDS = 20;

export function statusOf(req: AccessRequest): Status {
  switch (req.state) {
    case 'APPROVED':
    case 'DENIED':
    case 'PROMOTED':
      return req.state;
    default:
      return 'PENDING';
  }
}

/** The request's plugin data in Teleport: read it, and change it only if nobody else did meanwhile. */
export class PluginDataStore {
  constructor(
    private readonly teleport: TeleportPort,
    private readonly metrics: RelayMetrics,
  ) {}

  async read(id: string): Promise<Raw | undefined> {
    const items = await this.teleport.getPluginData({ resource: id, plugin: PLUGIN_NAME });
    const raw = items.find((i) => i.resource === id || items.length === 1)?.entries[PLUGIN_NAME];
    return raw && Object.keys(raw).length > 0 ? raw : undefined;
  }

  /** Compare-and-swap from `current` to `next`: the new stored map, or null when someone else wrote first. */
  async cas(id: string, current: Raw | undefined, next: PluginData): Promise<Raw | null> {
    const { set, expect } = casParams(current, next);
    try {
      await this.teleport.updatePluginData({ resource: id, plugin: PLUGIN_NAME, set, expect });
    } catch (e) {
      if (isTeleportError(e, 'CompareFailed')) {
        this.metrics.casConflicts.inc();
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
}

/** Requests whose posts we show, remembered (LRU) so their expiry can be rendered after they are gone. */
export class ShownRequests {
  private readonly cache = new Map<string, { snapshot: RequestSnapshot; data: PluginData; request?: AccessRequest }>();

  constructor(private readonly max: number) {}

  get(id: string): { snapshot: RequestSnapshot; data: PluginData; request?: AccessRequest } | undefined {
    return this.cache.get(id);
  }

  has(id: string): boolean {
    return this.cache.has(id);
  }

  keys(): IterableIterator<string> {
    return this.cache.keys();
  }

  get size(): number {
    return this.cache.size;
  }

  remember(id: string, snapshot: RequestSnapshot, data: PluginData, request?: AccessRequest): void {
    this.cache.delete(id);
    this.cache.set(id, { snapshot, data, request });
    if (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value as string);
  }

  forget(id: string): void {
    this.cache.delete(id);
  }
}

/** Who holds a claim, seen from this process. */
export function claimHolder(c: EngineContext, claim: { owner: string; until: number; session?: string }): 'me' | 'predecessor' | 'expired' | 'other' {
  if (claim.owner === c.o.instanceId) return claim.session === c.session ? 'me' : 'predecessor';
  return claim.until <= Date.now() ? 'expired' : 'other';
}

export interface EngineContext {
  o: EngineOptions;
  /** This process's claim session. */
  session: string;
  store: PluginDataStore;
  resolver: RecipientResolver;
  shown: ShownRequests;
  lease: number;
}
