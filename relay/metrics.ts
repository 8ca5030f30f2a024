/**
 * Prometheus metrics (prom-client), on a registry of their own so several relays in one process
 * (tests) do not collide. Names follow Prometheus conventions: *_total counters, *_seconds histograms.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface RelayMetrics {
  registry: Registry;
  events: Counter<'op'>;
  posts: Counter<'type' | 'result'>;
  eventToPost: Histogram;
  jobRetries: Counter;
  queueDepth: Gauge;
  watchUp: Gauge;
  watchReconnects: Counter;
  mattermostReady: Gauge;
  mattermostRetries: Counter<'status'>;
  casConflicts: Counter;
  unknownRecipients: Counter;
  requestsAnnounced: Counter;
  backfills: Counter;
  identityReloads: Counter;
  identityRejected: Counter;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): RelayMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'dualauth_relay_' });
  const registers = [registry];
  return {
    registry,
    events: new Counter({ name: 'dualauth_relay_watch_events_total', help: 'access_request watch events received, by operation', labelNames: ['op'], registers }),
    posts: new Counter({ name: 'dualauth_relay_mattermost_posts_total', help: 'Mattermost writes, by type (root, reply, update, dm) and result', labelNames: ['type', 'result'], registers }),
    eventToPost: new Histogram({
      name: 'dualauth_relay_event_to_post_seconds',
      help: 'Time from the watch event of a new request to its Mattermost post',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    jobRetries: new Counter({ name: 'dualauth_relay_job_retries_total', help: 'Request reconciliations retried after an error', registers }),
    queueDepth: new Gauge({ name: 'dualauth_relay_queue_depth', help: 'Requests waiting or being processed', registers }),
    watchUp: new Gauge({ name: 'dualauth_relay_teleport_watch_up', help: '1 while the Teleport access_request watch is established', registers }),
    watchReconnects: new Counter({ name: 'dualauth_relay_teleport_watch_reconnects_total', help: 'Times the Teleport watch was re-opened', registers }),
    mattermostReady: new Gauge({ name: 'dualauth_relay_mattermost_token_verified', help: '1 once the Mattermost token was verified (users/me)', registers }),
    mattermostRetries: new Counter({ name: 'dualauth_relay_mattermost_retries_total', help: 'Mattermost requests retried, by HTTP status (0 = connection)', labelNames: ['status'], registers }),
    casConflicts: new Counter({ name: 'dualauth_relay_plugin_data_conflicts_total', help: 'Plugin data compare-and-swap conflicts (another writer won)', registers }),
    unknownRecipients: new Counter({ name: 'dualauth_relay_unknown_recipients_total', help: 'Recipients that could not be resolved in Mattermost', registers }),
    requestsAnnounced: new Counter({ name: 'dualauth_relay_requests_announced_total', help: 'Requests whose root messages were all posted', registers }),
    identityReloads: new Counter({ name: 'dualauth_relay_identity_reloads_total', help: 'Times a rotated identity file was picked up', registers }),
    identityRejected: new Counter({ name: 'dualauth_relay_identity_rejected_total', help: 'Rotated identity files refused (expired, foreign CA, key mismatch, unreadable); the working identity stayed', registers }),
    backfills: new Counter({ name: 'dualauth_relay_backfills_total', help: 'Completed backfills (list requests and plugin data, queue what is missing)', registers }),
  };
}
