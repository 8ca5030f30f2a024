/**
 * The relay's HTTP endpoints (node:http, no framework):
 *   GET /healthz   200 while the process runs its loop (liveness)
 *   GET /readyz    200 only when the Teleport watch is established and the Mattermost token was
 *                  verified; 503 with the reasons otherwise (readiness)
 *   GET /metrics   Prometheus text format
 * Nothing here reveals configuration or secrets.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ReadinessProbe {
  /** Reasons the relay is not ready; empty when ready. */
  notReady(): string[];
  /** False once stopping (liveness stays true until the process exits). */
  alive(): boolean;
}

export interface HealthServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startHealthServer(listen: string, registry: Registry, probe: ReadinessProbe): Promise<HealthServer> {
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new Error(`relay.listen_addr must be host:port, got ${JSON.stringify(listen)}`);
  const host = m[1].replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    switch (path) {
      case '/healthz':
        return probe.alive() ? send(200, 'ok\n') : send(503, 'stopping\n');
      case '/readyz': {
        const reasons = probe.notReady();
        return reasons.length === 0 ? send(200, 'ready\n') : send(503, `not ready: ${reasons.join('; ')}\n`);
      }
      case '/metrics':
        registry.metrics().then(
          (text) => send(200, text, registry.contentType),
          () => send(500, 'metrics unavailable\n'),
        );
        return;
      default:
        return send(404, 'not found\n');
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(m[2]), host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
