/**
 * Starting the Mattermost messenger from the `[mattermost]` config: verify the token (who am I, with
 * a clear error for a bad token or URL), then the API client with its retry policy, every request
 * (retries included) through one rate-limit gate on a pooled HTTP transport.
 */
import { ConfigError } from '../../config/errors';
import type { RelayConfig } from '../../config/load';
import type { Logger } from '../../log';
import type { RelayMetrics } from '../../metrics';
import { createMattermostApi, MattermostApiError, type RetryPolicy } from '../../../mattermost-client/client';
import { MattermostGate, installGate } from '../../../mattermost-client/rate-limit-gate';
import { createHttpTransport } from '../../../mattermost-client/transport';
import type { ConnectedMessenger } from '../../messenger';
import { Counter } from 'prom-client';
import { MattermostMessenger } from './messenger';

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

export async function connectMattermost(config: RelayConfig, o: { log: Logger; metrics: RelayMetrics; retry?: Partial<RetryPolicy> }): Promise<ConnectedMessenger> {
  const me = await verifyMattermost(config);
  o.metrics.mattermostReady.set(1);
  o.log.info('Mattermost token verified', { url: config.mattermost.url, bot: me.username });
  const api = createMattermostApi({
    url: config.mattermost.url,
    token: config.mattermost.token.reveal(),
    userAgent: 'dualauth-relay',
    retry: o.retry,
    onRetry: (e) => {
      o.metrics.mattermostRetries.inc({ status: String(e.status) });
      o.log.debug('Mattermost request retried', { method: e.method, path: e.path, status: e.status, attempt: e.attempt, wait_ms: e.waitAtLeastMs });
    },
  });
  const transport = createHttpTransport();
  const uninstall = installGate(api.url, new MattermostGate({ maxInFlight: 16 }), transport.fetch);
  const updateForbidden = new Counter({
    name: 'dualauth_relay_mattermost_update_forbidden_total',
    help: 'Post updates Mattermost refused (403) because the bot is not a member of the channel; retried until it is',
    registers: [o.metrics.registry],
  });
  const onUpdateForbidden = (post: { address: string; postId: string }): void => {
    updateForbidden.inc();
    o.log.warn('Mattermost refused a post update: the bot is not a member of the channel (403); will retry', { channel_id: post.address, post_id: post.postId, bot: me.username });
  };
  return {
    messenger: new MattermostMessenger(api, me.id, { botUsername: me.username, onUpdateForbidden }),
    botUserId: me.id,
    async close() {
      uninstall();
      await transport.close();
    },
  };
}
