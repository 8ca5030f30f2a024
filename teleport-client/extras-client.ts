/**
 * The two Teleport calls the relay needs beyond the shared client (teleport-client/client.ts): Ping
 * with ServerFeatures (Web UI links or tsh commands) and ListAccessMonitoringRulesWithFilter (routing
 * rules). Same address, same mTLS credentials and connection path as the main client; the identity
 * file is re-read when it changes, so a rotated identity is used here too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ConnectTeleportOptions } from './client';
import { TeleportApiError } from './errors';
import { readIdentityFile } from './identity-file';
import { API_DOMAIN, credentialsFromIdentity, directChannel, routedChannel, type TeleportCredentials } from './tls';

export interface AccessMonitoringRule {
  name: string;
  subjects: string[];
  condition: string;
  notification: { name: string; recipients: string[] };
}

export interface TeleportExtras {
  features(): Promise<{ advancedAccessWorkflows: boolean; proxyPublicAddr: string }>;
  /** Rules for notifications by `plugin` on access requests (all pages). */
  listAccessMonitoringRules(plugin: string): Promise<AccessMonitoringRule[]>;
  /** Re-reads the credentials before the next call (after a rotation). */
  reload(): void;
  close(): void;
}

// All protos live in teleport-client/proto; in the bundle they are in proto/ next to main.js.
const PROTO_ROOT = path.join(__dirname, 'proto');
const LOADER: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] };

type Ctor = grpc.ServiceClientConstructor;
let ctors: { auth: Ctor; amr: Ctor } | undefined;

function constructors(): { auth: Ctor; amr: Ctor } {
  if (!ctors) {
    const pingPkg = grpc.loadPackageDefinition(protoLoader.loadSync('teleport/legacy/client/proto/ping_features.proto', LOADER)) as unknown as { proto: { AuthService: Ctor } };
    const amrPkg = grpc.loadPackageDefinition(protoLoader.loadSync('teleport/accessmonitoringrules/v1/access_monitoring_rules.proto', LOADER)) as unknown as {
      teleport: { accessmonitoringrules: { v1: { AccessMonitoringRulesService: Ctor } } };
    };
    ctors = { auth: pingPkg.proto.AuthService, amr: amrPkg.teleport.accessmonitoringrules.v1.AccessMonitoringRulesService };
  }
  return ctors;
}

type Stub = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

export function connectTeleportExtras(opts: ConnectTeleportOptions): TeleportExtras {
  let stamp = '';
  let stubs: { auth: Stub; amr: Stub } | undefined;

  const credentials = async (): Promise<TeleportCredentials> => {
    if (opts.identityFile) return credentialsFromIdentity(await readIdentityFile(opts.identityFile));
    const c = opts.credentials!;
    return typeof c === 'function' ? await c() : c;
  };

  const current = async () => {
    let key = 'static';
    if (opts.identityFile) {
      const st = await fs.promises.stat(opts.identityFile).catch(() => undefined);
      key = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : stamp;
    }
    if (!stubs || key !== stamp) {
      const creds = await credentials();
      const serverName = opts.serverName ?? API_DOMAIN;
      const ch = opts.alpnRouting ? routedChannel(creds, serverName, opts.alpnRouting.clusterName) : directChannel(creds, serverName);
      stubs?.auth.close();
      stubs?.amr.close();
      const { auth, amr } = constructors();
      stubs = { auth: new auth(opts.addr, ch.credentials, ch.options) as unknown as Stub, amr: new amr(opts.addr, ch.credentials, ch.options) as unknown as Stub };
      stamp = key;
    }
    return stubs;
  };

  const call = async (which: 'auth' | 'amr', method: string, req: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const stub = (await current())[which];
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    return new Promise((resolve, reject) => {
      stub[method](req, new grpc.Metadata(), { deadline }, (err: grpc.ServiceError | null, res: Record<string, unknown>) => (err ? reject(TeleportApiError.fromGrpc(method, err)) : resolve(res)));
    });
  };

  return {
    async features() {
      const r = await call('auth', 'Ping', {});
      const f = (r.ServerFeatures ?? {}) as Record<string, unknown>;
      return { advancedAccessWorkflows: f.AdvancedAccessWorkflows === true, proxyPublicAddr: String(r.ProxyPublicAddr ?? '') };
    },
    async listAccessMonitoringRules(plugin) {
      const out: AccessMonitoringRule[] = [];
      let token = '';
      do {
        const r = await call('amr', 'ListAccessMonitoringRulesWithFilter', { page_size: 1000, page_token: token, subjects: ['access_request'], notification_name: plugin });
        for (const rule of (r.rules ?? []) as Record<string, Record<string, unknown>>[]) {
          const spec = rule.spec ?? {};
          const n = (spec.notification ?? {}) as Record<string, unknown>;
          out.push({
            name: String(rule.metadata?.name ?? ''),
            subjects: ((spec.subjects ?? []) as unknown[]).map(String),
            condition: String(spec.condition ?? ''),
            notification: { name: String(n.name ?? ''), recipients: ((n.recipients ?? []) as unknown[]).map(String) },
          });
        }
        token = String(r.next_page_token ?? '');
      } while (token);
      return out;
    },
    reload() {
      stamp = '';
      stubs?.auth.close();
      stubs?.amr.close();
      stubs = undefined;
    },
    close() {
      stubs?.auth.close();
      stubs?.amr.close();
      stubs = undefined;
    },
  };
}
