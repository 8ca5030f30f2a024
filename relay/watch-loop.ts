/**
 * Keeps one access_request watch open on Teleport. A dropped stream (Auth restart, load balancer,
 * network) is re-opened after a decorrelated-jitter backoff (so many relays do not reconnect in
 * lockstep); a stream that does not deliver its INIT event in time counts as dropped, as in the Go
 * plugin (15 s). Every INIT, the first and each after a reconnect, is reported so the caller can
 * backfill what it may have missed. With fail-fast (TELEPORT_PLUGIN_FAIL_FAST) the first lost
 * connection is fatal instead, for deployments that prefer a restart by the orchestrator.
 */
import type { Logger } from './log';
import type { RelayMetrics } from './metrics';
import type { TeleportPort } from './ports';
import { TeleportApiError, type AccessRequest, type Watcher } from '../teleport-client/client';

export interface WatchLoopOptions {
  teleport: TeleportPort;
  log: Logger;
  metrics: RelayMetrics;
  onInit: () => void;
  onRequest: (req: AccessRequest) => void;
  onDeleted: (id: string) => void;
  /** The watch is gone for good (fail-fast). */
  onFatal: (err: Error) => void;
  failFast?: boolean;
  backoff?: { minMs: number; maxMs: number };
  initTimeoutMs?: number;
  random?: () => number;
}

export class WatchLoop {
  private watcher: Watcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastDelay = 0;
  private generation = 0;
  up = false;

  constructor(private readonly o: WatchLoopOptions) {}

  start(): void {
    this.open();
  }

  private open(): void {
    if (this.stopped) return;
    const gen = ++this.generation;
    const current = () => gen === this.generation && !this.stopped;
    this.initTimer = setTimeout(() => {
      if (current() && !this.up) this.lost(new TeleportApiError('ConnectionProblem', 'WatchEvents', `no INIT event within ${this.o.initTimeoutMs ?? 15_000} ms`));
    }, this.o.initTimeoutMs ?? 15_000);
    try {
      this.watcher = this.o.teleport.watch(
        [{ kind: 'access_request' }],
        {
          onInit: () => {
            if (!current()) return;
            clearTimeout(this.initTimer);
            this.up = true;
            this.lastDelay = 0;
            this.o.metrics.watchUp.set(1);
            this.o.log.info('Watching access requests', { generation: gen });
            this.o.onInit();
          },
          onEvent: (e) => {
            if (!current()) return;
            if (e.type === 'PUT' && e.kind === 'access_request') this.o.onRequest(e.request);
            else if (e.type === 'DELETE' && e.kind === 'access_request') this.o.onDeleted(e.name);
          },
          onError: (err) => {
            if (current()) this.lost(err);
          },
        },
        { reconnect: false },
      );
    } catch (e) {
      this.lost(TeleportApiError.fromGrpc('WatchEvents', e));
    }
  }

  private lost(err: TeleportApiError): void {
    clearTimeout(this.initTimer);
    this.generation++;
    this.watcher?.close();
    this.watcher = undefined;
    const wasUp = this.up;
    this.up = false;
    this.o.metrics.watchUp.set(0);
    if (this.stopped) return;
    if (this.o.failFast) {
      this.o.log.error('Lost the Teleport watch and fail-fast is on; exiting', { error: err });
      this.o.onFatal(err);
      return;
    }
    const min = this.o.backoff?.minMs ?? 20;
    const max = this.o.backoff?.maxMs ?? 5_000;
    const rand = this.o.random ?? Math.random;
    // Decorrelated jitter (as Teleport's lib/backoff/decorr.go): between min and 3x the last delay.
    const delay = Math.min(max, min + rand() * (Math.max(this.lastDelay, min) * 3 - min));
    this.lastDelay = delay;
    this.o.log[wasUp ? 'warn' : 'info']('Teleport watch lost, reconnecting', { error: err, retry_in_ms: Math.round(delay) });
    this.timer = setTimeout(() => {
      this.o.metrics.watchReconnects.inc();
      this.open();
    }, delay);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.initTimer);
    this.watcher?.close();
    this.up = false;
    this.o.metrics.watchUp.set(0);
  }
}
