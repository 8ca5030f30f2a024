/**
 * Wires the relay together from a loaded config: checks the credentials, connects to Teleport
 * (directly or through a Proxy with TLS routing), verifies the Mattermost token (who am I), checks the
 * configured recipients, then runs the watch loop, the engine and the HTTP endpoints until stop().
 *
 * Startup problems are ConfigErrors naming the key to fix; the caller prints them and exits non-zero.
 */
import { ConfigError } from './config/errors';
import { loadTeleportCredentials, type LoadedCredentials } from './config/credentials';
import type { RelayConfig } from './config/load';
import { Engine, type EngineOptions } from './engine';
import { startHealthServer, type HealthServer } from './health';
import type { Logger } from './log';
import { createMattermostApi, MattermostApiError, type RetryPolicy } from '../mattermost-client/client';
import { Messages } from './messages';
import { createMetrics, type RelayMetrics } from './metrics';
import { MattermostGate, installGate } from '../mattermost-client/rate-limit-gate';
import { createHttpTransport } from '../mattermost-client/transport';
import type { MattermostPort } from './ports';
import { RecipientResolver, UnknownRecipientError } from './recipients';
import { connectTeleport, type ConnectTeleportOptions, type TeleportClient } from '../teleport-client/client';
import type { TeleportCredentials } from '../teleport-client/tls';
import { IdentityRefresher } from './identity-refresh';
import { WatchLoop } from './watch-loop';
import { connectTeleportExtras, type TeleportExtras } from '../teleport-client/extras-client';
import { AmrRecipients } from './auto-review';

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

function portOf(addr: string): number {
  return Number(/:(\d+)$/.exec(addr)?.[1] ?? 0);
}

/** Which connection paths to try, in order. */
export function connectOrder(config: RelayConfig): ('direct' | 'proxy')[] {
  const mode = config.relay.teleportConnect;
  if (mode !== 'auto') return [mode];
  const port = portOf(config.teleport.addr);
  if (port === 3025) return ['direct', 'proxy'];
  if (port === 443 || port === 3080) return ['proxy', 'direct'];
  return ['direct', 'proxy'];
}

function clientOptions(config: RelayConfig, creds: LoadedCredentials, credentials: () => TeleportCredentials, mode: 'direct' | 'proxy', timeoutMs: number): ConnectTeleportOptions {
  return {
    addr: config.teleport.addr,
    // A provider: the credentials in use change only when IdentityRefresher says so (refresh_identity).
    credentials,
    ...(mode === 'proxy' ? { alpnRouting: { clusterName: creds.clusterName } } : {}),
    timeoutMs,
  };
}

async function connect(config: RelayConfig, creds: LoadedCredentials, credentials: () => TeleportCredentials, log: Logger, timeoutMs: number): Promise<{ client: TeleportClient; options: ConnectTeleportOptions }> {
  const failures: string[] = [];
  const key = config.teleport.addrFrom === 'auth_server' ? 'teleport.auth_server' : 'teleport.addr';
  for (const mode of connectOrder(config)) {
    const options = clientOptions(config, creds, credentials, mode, timeoutMs);
    try {
      const client = await connectTeleport(options);
      log.info('Connected to Teleport', { addr: config.teleport.addr, mode, user: creds.user });
      return { client, options };
    } catch (e) {
      const err = e as Error & { code?: string; detail?: string };
      failures.push(`${mode === 'proxy' ? 'through the Proxy (TLS routing)' : 'directly to Auth'}: ${err.code ? `${err.code}: ` : ''}${err.detail ?? err.message}`);
      if (err.code === 'AccessDenied') break;
    }
  }
  throw new ConfigError(key, `cannot connect to Teleport at ${config.teleport.addr} (${failures.join('; ')})`, 'check the address, that the identity was issued by this cluster and has not expired');
}

/** Who am I, with a clear error for a bad token or URL. */
async function verifyMattermost(config: RelayConfig): Promise<{ id: string; username: string }> {
  const api = createMattermostApi({ url: config.mattermost.url, token: config.mattermost.token.reveal(), retry: { maxAttempts: 2, baseDelayMs: 200, requestTimeoutMs: 10_000 } });
  try {
    const me = await api.getMe();
    return { id: me.id, username: me.username };
  } catch (e) {
    if (e instanceof MattermostApiError) {
      if (e.status === 401) throw new ConfigError('mattermost.token', `Mattermost at ${config.mattermost.url} rejected the token (401)`, "use the bot's access token, and check the bot and the token are enabled");
      if (e.status === 0) throw new ConfigError('mattermost.url', `cannot reach Mattermost at ${config.mattermost.url}: ${e.serverMessage}`);
      if (e.status === 404) throw new ConfigError('mattermost.url', `${config.mattermost.url} does not look like a Mattermost server (404 on /api/v4/users/me)`, 'give the site URL, e.g. https://mattermost.example.com');
      throw new ConfigError('mattermost.url', `Mattermost health check failed: ${e.message}`);
    }
    throw new ConfigError('mattermost.url', `Mattermost health check failed: ${(e as Error).message}`);
  }
}

/** Every statically configured recipient must exist: a typo fails at startup, not at the first request. */
async function checkRecipients(config: RelayConfig, resolver: RecipientResolver, log: Logger): Promise<void> {
  const problems: ConfigError[] = [];
  for (const [role, list] of Object.entries(config.roleToRecipients)) {
    for (const raw of list) {
      try {
        await resolver.resolve(raw);
      } catch (e) {
        if (e instanceof UnknownRecipientError) problems.push(new ConfigError(config.recipientKeys[role] ?? `role_to_recipients.${role}`, e.message));
        else log.warn('Could not check a recipient now; it will be resolved when needed', { recipient: raw, error: e });
      }
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ConfigError(problems[0].key, problems.map((p) => `${p.key}: ${p.problem}`).join('; '));
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
    const { client: teleport, options: teleportOptions } = await connect(config, creds, () => current, log, opts.teleportTimeoutMs ?? 30_000);
    cleanup.push(() => teleport.close());
    const ping = await teleport.ping();
    const extras: TeleportExtras = connectTeleportExtras(teleportOptions);
    cleanup.push(() => extras.close());
    const features = await extras.features().catch(() => undefined);

    const me = await verifyMattermost(config);
    mmVerified = true;
    metrics.mattermostReady.set(1);
    log.info('Mattermost token verified', { url: config.mattermost.url, bot: me.username });

    const api = createMattermostApi({
      url: config.mattermost.url,
      token: config.mattermost.token.reveal(),
      userAgent: 'dualauth-relay',
      retry: opts.mattermostRetry,
      onRetry: (e) => {
        metrics.mattermostRetries.inc({ status: String(e.status) });
        log.debug('Mattermost request retried', { method: e.method, path: e.path, status: e.status, attempt: e.attempt, wait_ms: e.waitAtLeastMs });
      },
    });
    // Every request to Mattermost, retries included, goes through one rate-limit gate.
    const transport = createHttpTransport();
    cleanup.push(() => transport.close());
    cleanup.push(installGate(api.url, new MattermostGate({ maxInFlight: 16 }), transport.fetch));
    const mattermost: MattermostPort = api;
    const resolver = new RecipientResolver(mattermost, me.id);
    await checkRecipients(config, resolver, log);

    const webProxyAddr = config.relay.webProxyAddr ?? (features?.advancedAccessWorkflows && ping.proxyPublicAddr ? ping.proxyPublicAddr : undefined);
    const messages = new Messages({ templatesDir: config.relay.templatesDir, webProxyAddr });
    const amr = new AmrRecipients(extras, teleport, log);

    const engine = new Engine({
      teleport,
      mattermost,
      botUserId: me.id,
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

    let backfilling: Promise<void> | undefined;
    let backfillTimer: NodeJS.Timeout | undefined;
    const backfill = () => {
      if (backfilling || stopping) return;
      backfilling = (async () => {
        try {
          await amr.refresh();
          const r = await engine.backfill();
          metrics.backfills.inc();
          log.info('Backfill done', { requests: r.requests, queued: r.queued });
        } catch (e) {
          log.warn('Backfill failed, retrying', { error: e });
          clearTimeout(backfillTimer);
          backfillTimer = setTimeout(backfill, opts.jobBackoff?.minMs ? opts.jobBackoff.minMs * 5 : 2_000);
        } finally {
          backfilling = undefined;
        }
      })();
    };
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
      botUserId: me.id,
      clusterName: ping.clusterName,
      ready: () => notReady().length === 0,
      notReady,
      fatal,
      async stop() {
        if (stopping) return;
        stopping = true;
        clearInterval(resync);
        refresher?.stop();
        clearTimeout(backfillTimer);
        watch?.stop();
        await engine.stop();
        await backfilling;
        for (const c of cleanup.reverse()) await c();
        log.info('Relay stopped');
      },
    };
  } catch (e) {
    for (const c of cleanup.reverse()) await c();
    throw e;
  }
}
