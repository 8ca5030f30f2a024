/**
 * Runs backfills one at a time: at every watch INIT (start and each reconnect) and on the resync
 * interval; a failed backfill is retried after a pause. Access monitoring rules are re-listed first.
 */
import type { Engine } from './engine';
import type { Logger } from './log';
import type { RelayMetrics } from './metrics';

export class BackfillScheduler {
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly o: { engine: Engine; refreshRules: () => Promise<void>; log: Logger; metrics: RelayMetrics; retryMs: number },
  ) {}

  /** Starts a backfill unless one is running. */
  run(): void {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        await this.o.refreshRules();
        const r = await this.o.engine.backfill();
        this.o.metrics.backfills.inc();
        this.o.log.info('Backfill done', { requests: r.requests, queued: r.queued });
      } catch (e) {
        this.o.log.warn('Backfill failed, retrying', { error: e });
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.run(), this.o.retryMs);
      } finally {
        this.running = undefined;
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
