/**
 * Connecting to Teleport at start: directly to Auth (mTLS) or through a Proxy with TLS routing (ALPN),
 * in the order the address suggests (3025 Auth first; 443/3080 Proxy first), or as configured. A
 * failure of every path is a ConfigError naming the address key and the likely fix.
 */
import { ConfigError } from './config/errors';
import type { LoadedCredentials } from './config/credentials';
import type { RelayConfig } from './config/load';
import type { Logger } from './log';
import { connectTeleport, type ConnectTeleportOptions, type TeleportClient } from '../teleport-client/client';
import type { TeleportCredentials } from '../teleport-client/tls';

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
    keepalive: { intervalMs: config.relay.keepaliveIntervalMs, timeoutMs: config.relay.keepaliveTimeoutMs },
  };
}

export async function connectToTeleport(config: RelayConfig, creds: LoadedCredentials, credentials: () => TeleportCredentials, log: Logger, timeoutMs: number): Promise<{ client: TeleportClient; options: ConnectTeleportOptions }> {
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
