/**
 * Wires the relay together from a loaded config: checks the credentials, connects to Teleport
 * (teleport-connect.ts), starts the messenger (messengers/: Mattermost verifies its token), checks the
 * configured recipients, then runs the watch loop, the engine and the HTTP endpoints until stop().
 *
 * Startup problems are ConfigErrors naming the key to fix; the caller prints them and exits non-zero.
 */
import { ConfigError } from './config/errors';
import { loadTeleportCredentials } from './config/credentials';
import type { RelayConfig } from './config/load';
import { Engine, type EngineOptions } from './engine';
import { startHealthServer, type HealthServer } from './health';
import type { Logger } from './log';
import type { RetryPolicy } from '../mattermost-client/client';
import { Messages } from './messages';
import { connectMessenger } from './messengers';
import { createMetrics, type RelayMetrics } from './metrics';
import { RecipientResolver } from './recipients';
import { checkRecipients } from './startup-checks';
import { connectToTeleport } from './teleport-connect';
import { IdentityRefresher } from './identity-refresh';
import { WatchLoop } from './watch-loop';
import { connectTeleportExtras, type TeleportExtras } from '../teleport-client/extras-client';
import { connectTeleport } from '../teleport-client/client';
import { AmrRecipients } from './auto-review';
import { BackfillScheduler } from './backfill-scheduler';

export { connectOrder } from './teleport-connect';

export interface StartOptions {
  log: Logger;
  /** Timing knobs, shortened by tests. */
  leaseMs?: number;
  jobBackoff?: { minMs: number; maxMs: number };
  watchBackoff?: { minMs: number; maxMs: number };
  initTimeoutMs?: number;
  mattermostRetry?: Partial<RetryPolicy>;
  teleportTimeoutMs?: number;
  /** Metrics registry to use (tests create one per relay anyway). */
  metrics?: RelayMetrics;
  /** Called for every root post with its event-to-post latency (benchmark). */
  onRootPosted?: EngineOptions['onRootPosted'];
}

export interface RelayHandle {
  readonly engine: Engine;
  readonly metrics: RelayMetrics;
  readonly health?: HealthServer;
  readonly botUserId: string;
  readonly clusterName: string;
  ready(): boolean;
  notReady(): string[];
  /** Resolves with the error that ended the relay on its own (fail-fast). */
  readonly fatal: Promise<Error>;
  /** Stops watching, finishes posts in flight, closes connections. */
  stop(): Promise<void>;
}

export async function startRelay(config: RelayConfig, opts: StartOptions): Promise<RelayHandle> {
  const log = opts.log;
  log.addSecret(config.mattermost.token.reveal());
  const metrics = opts.metrics ?? createMetrics();
  let stopping = false;
  let mmVerified = false;
  let watch: WatchLoop | undefined;
  let resolveFatal!: (e: Error) => void;
  const fatal = new Promise<Error>((r) => (resolveFatal = r));
  const notReady = () => {
    const reasons: string[] = [];
    if (stopping) reasons.push('stopping');
    if (!watch?.up) reasons.push('Teleport watch not established');
    if (!mmVerified) reasons.push('Mattermost token not verified');
    return reasons;
  };

  let health: HealthServer | undefined;
  if (config.relay.listenAddr) {
    try {
      health = await startHealthServer(config.relay.listenAddr, metrics.registry, { notReady, alive: () => !stopping });
    } catch (e) {
      throw new ConfigError('relay.listen_addr', `cannot listen on ${config.relay.listenAddr}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const cleanup: (() => unknown)[] = [() => health?.close()];
  try {
    // Local checks first (templates, credentials), so a broken file fails before any connection.
    new Messages({ templatesDir: config.relay.templatesDir });
    const creds = await loadTeleportCredentials(config);
    let current = creds.credentials;
    const { client: teleport, options: teleportOptions } = await connectToTeleport(config, creds, () => current, log, opts.teleportTimeoutMs ?? 30_000);
    cleanup.push(() => teleport.close());
    const ping = await teleport.ping();
    const extras: TeleportExtras = connectTeleportExtras(teleportOptions);
    cleanup.push(() => extras.close());
    const features = await extras.features().catch(() => undefined);

    const chat = await connectMessenger(config, { log, metrics, retry: opts.mattermostRetry });
    mmVerified = true;
    cleanup.push(() => chat.close());
    const resolver = new RecipientResolver(chat.messenger);
    await checkRecipients(config, resolver, log);

    const webProxyAddr = config.relay.webProxyAddr ?? (features?.advancedAccessWorkflows && ping.proxyPublicAddr ? ping.proxyPublicAddr : undefined);
    const messages = new Messages({ templatesDir: config.relay.templatesDir, webProxyAddr });
    const amr = new AmrRecipients(extras, teleport, log);

    const engine = new Engine({
      teleport,
      messenger: chat.messenger,
      messages,
      roleToRecipients: config.roleToRecipients,
      amr,
      notifyRequester: config.relay.notifyRequester,
      instanceId: config.relay.instanceId,
      leaseMs: opts.leaseMs,
      concurrency: config.relay.concurrency,
      backoff: opts.jobBackoff,
      log,
      metrics,
      resolver,
      onRootPosted: opts.onRootPosted,
    });

    const backfills = new BackfillScheduler({ engine, refreshRules: () => amr.refresh(), log, metrics, retryMs: opts.jobBackoff?.minMs ? opts.jobBackoff.minMs * 5 : 2_000 });
    const backfill = () => backfills.run();
    watch = new WatchLoop({
      teleport,
      log,
      metrics,
      failFast: config.failFast,
      backoff: opts.watchBackoff,
      initTimeoutMs: opts.initTimeoutMs,
      onInit: backfill,
      onRequest: (req) => engine.onRequest(req),
      onDeleted: (id) => engine.onDeleted(id),
      onFatal: (e) => resolveFatal(e),
    });
    watch.start();
    const resync = setInterval(() => watch?.up && backfill(), config.relay.resyncIntervalMs);
    resync.unref();
    const refresher =
      config.teleport.identity && config.teleport.refreshIdentity
        ? new IdentityRefresher({
            file: config.teleport.identity,
            intervalMs: config.teleport.refreshIdentityIntervalMs,
            initial: creds.credentials,
            log,
            onRejected: () => metrics.identityRejected.inc(),
            probe: async (next) => {
              const probe = await connectTeleport({ ...teleportOptions, credentials: next, timeoutMs: 10_000 });
              probe.close();
            },
            onChange: async (next) => {
              current = next;
              await teleport.reload();
              extras.reload();
              metrics.identityReloads.inc();
            },
          })
        : undefined;
    refresher?.start();

    log.info('Relay started', {
      cluster: ping.clusterName,
      teleport_version: ping.serverVersion,
      instance: config.relay.instanceId,
      health: health?.url,
      links: webProxyAddr ? 'web' : 'tsh',
    });
    return {
      engine,
      metrics,
      health,
      botUserId: chat.botUserId,
      clusterName: ping.clusterName,
      ready: () => notReady().length === 0,
      notReady,
      fatal,
      async stop() {
        if (stopping) return;
        stopping = true;
        clearInterval(resync);
        refresher?.stop();
        watch?.stop();
        const backfillsStopped = backfills.stop();
        await engine.stop();
        await backfillsStopped;
        for (const c of cleanup.reverse()) await c();
        log.info('Relay stopped');
      },
    };
  } catch (e) {
    for (const c of cleanup.reverse()) await c();
    throw e;
  }
}
