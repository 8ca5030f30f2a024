/**
 * A typed client for Teleport's Auth service (proto.AuthService) over mTLS gRPC, for the relay
 * and the drift check. It connects like Teleport's Go client (see tls.ts), adds the `version`
 * header the Go client sends, maps errors to TeleportApiError, and returns model / convert types.
 *
 * Longer than most files: one typed method per RPC we call, each a few lines; conversion lives in
 * convert/, TLS in tls.ts, streams in watch.ts.
 *
 * Credential rotation: with `identityFile`, every call first stats the file; when it changed the
 * client re-reads it and opens a new channel, so the next call uses the new certificate without a
 * restart. With a credentials provider, call reload(). Calls and streams already running finish
 * on the old channel, which is closed once idle.
 */
import { promises as fs } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { RoleResource, TeleportResource, UserResource } from '../model/resources';
import {
  AccessRequest,
  Pb,
  PluginDataItem,
  RequestStateName,
  accessRequestFromPb,
  pluginDataFromPb,
  roleFromPb,
  roleToPb,
  userFromPb,
  userToPb,
} from './convert';
import { TeleportApiError } from './errors';
import { readIdentityFile } from './identity-file';
import { authServiceDefinition, usersServiceDefinition } from './protos';
import { API_DOMAIN, TeleportCredentials, credentialsFingerprint, credentialsFromIdentity, directChannel, routedChannel } from './tls';
import { traitsToPb } from './values';
import { kindWire, Rpc, WIRE_KINDS } from './kinds';
import { OpenStream, WatchHandlers, WatchKindSpec, WatchOptions, Watcher, startWatcher, watchKindToPb } from './watch';

export { TeleportApiError, isTeleportError, type TeleportErrorCode } from './errors';
export type { TeleportCredentials } from './tls';
export type { WatchEvent, WatchHandlers, WatchKindSpec, WatchOptions, Watcher } from './watch';
export type { AccessRequest, AccessReviewRecord, PluginDataItem, RequestStateName } from './convert';

export type CredentialsProvider = () => TeleportCredentials | Promise<TeleportCredentials>;

export interface ConnectTeleportOptions {
  /** host:port of the Auth service (3025), or of a Proxy's web port when `alpnRouting` is set. */
  addr: string;
  /** Path of a `tctl auth sign --format=file` identity; re-read when it changes. */
  identityFile?: string;
  /** Explicit credentials, or a provider read at connect and on reload(). */
  credentials?: TeleportCredentials | CredentialsProvider;
  /** Shorthand for `credentials: {key, cert, rootCAs}`. */
  key?: TeleportCredentials['key'];
  cert?: TeleportCredentials['cert'];
  rootCAs?: TeleportCredentials['rootCAs'];
  /** Name the server certificate is checked against, also sent as SNI; default teleport.cluster.local. */
  serverName?: string;
  /** TLS routing through a Proxy: ALPN "teleport-auth@<hex(cluster)>.teleport.cluster.local" then "h2". */
  alpnRouting?: { clusterName: string };
  /**
   * The `version` header. Default: the server's own version from the first Ping (a semver the
   * server accepts and that never triggers its role downgrade for old clients); null: not sent.
   */
  clientVersion?: string | null;
  /** Deadline of each unary call; default 30 s. */
  timeoutMs?: number;
  /** Ping while connecting, so bad credentials fail here; default true. */
  pingOnConnect?: boolean;
  /**
   * HTTP/2 keepalive pings on the channel, also while idle (a watch that receives nothing): a dead or
   * black-holed connection fails its streams after intervalMs + timeoutMs instead of hanging. Teleport's
   * Auth server rejects pings more frequent than its keep_alive_interval (default 5m) with GOAWAY
   * too_many_pings, so intervalMs should not be below it. Unset: no keepalive.
   */
  keepalive?: { intervalMs: number; timeoutMs: number };
}

/** grpc-js channel options for a keepalive setting. */
export function keepaliveChannelOptions(k: ConnectTeleportOptions['keepalive']): Record<string, number> {
  if (!k) return {};
  return { 'grpc.keepalive_time_ms': k.intervalMs, 'grpc.keepalive_timeout_ms': k.timeoutMs, 'grpc.keepalive_permit_without_calls': 1 };
}

export interface PingInfo {
  clusterName: string;
  serverVersion: string;
  proxyPublicAddr: string;
  remoteAddr: string;
}

export interface AccessRequestFilter {
  id?: string;
  user?: string;
  state?: RequestStateName;
}

type Stub = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

/** One gRPC channel with the credentials it was opened with. */
class Channel {
  active = 0;
  retired = false;

  constructor(
    readonly stub: Stub,
    /** teleport.users.v1.UsersService on the same channel. */
    readonly users: Stub,
    readonly fingerprint: string,
  ) {}

  acquire(): () => void {
    this.active++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      if (this.retired && this.active === 0) this.close();
    };
  }

  retire(): void {
    this.retired = true;
    if (this.active === 0) this.close();
  }

  private close(): void {
    this.users.close();
    this.stub.close();
  }
}

interface FileStamp {
  key: string;
}

export class TeleportClient {
  private channel: Channel | undefined;
  private fileStamp: FileStamp | undefined;
  private version: string | null | undefined;
  private closed = false;
  private readonly Ctor = authServiceDefinition();
  private readonly UsersCtor = usersServiceDefinition();

  private readonly opts: ConnectTeleportOptions;

  constructor(opts: ConnectTeleportOptions) {
    const { key, cert, rootCAs } = opts;
    this.opts = !opts.credentials && key && cert && rootCAs ? { ...opts, credentials: { key, cert, rootCAs } } : opts;
    if (!this.opts.identityFile && !this.opts.credentials) throw new TypeError('connectTeleport: give identityFile, credentials, or key + cert + rootCAs');
    this.version = opts.clientVersion;
  }

  // -------------------------------------------------------------------------------------------
  // Channel and credentials

  private async loadCredentials(): Promise<TeleportCredentials> {
    if (this.opts.identityFile) return credentialsFromIdentity(await readIdentityFile(this.opts.identityFile));
    const c = this.opts.credentials!;
    return typeof c === 'function' ? await c() : c;
  }

  private async stampOf(path: string): Promise<FileStamp> {
    const st = await fs.stat(path);
    return { key: `${st.ino}:${st.size}:${st.mtimeMs}` };
  }

  private open(creds: TeleportCredentials): Channel {
    const serverName = this.opts.serverName ?? API_DOMAIN;
    const { credentials, options } = this.opts.alpnRouting ? routedChannel(creds, serverName, this.opts.alpnRouting.clusterName) : directChannel(creds, serverName);
    const stub = new this.Ctor(this.opts.addr, credentials, { ...options, ...keepaliveChannelOptions(this.opts.keepalive) }) as unknown as Stub;
    const users = new this.UsersCtor(this.opts.addr, credentials, { ...options, channelOverride: stub.getChannel() }) as unknown as Stub;
    return new Channel(stub, users, credentialsFingerprint(creds));
  }

  private install(creds: TeleportCredentials): void {
    const fp = credentialsFingerprint(creds);
    if (this.channel?.fingerprint === fp) return;
    this.channel?.retire();
    this.channel = this.open(creds);
  }

  /** Re-reads the credentials now and switches to them for the next calls. */
  async reload(): Promise<void> {
    if (this.opts.identityFile) this.fileStamp = await this.stampOf(this.opts.identityFile);
    this.install(await this.loadCredentials());
  }

  private async current(): Promise<Channel> {
    if (this.closed) throw new TeleportApiError('ConnectionProblem', 'client', 'the Teleport client is closed');
    if (this.opts.identityFile) {
      const stamp = await this.stampOf(this.opts.identityFile).catch(() => undefined);
      if (stamp && stamp.key !== this.fileStamp?.key) {
        try {
          const creds = await this.loadCredentials();
          this.fileStamp = stamp;
          this.install(creds);
        } catch (err) {
          // A half-written identity must not break a working client; without one, report it.
          if (!this.channel) throw err;
        }
      }
    }
    if (!this.channel) await this.reload();
    return this.channel!;
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.version) md.set('version', this.version);
    return md;
  }

  /** One unary call; `service` 'users' is teleport.users.v1.UsersService, default proto.AuthService. */
  private async unary(method: string, req: Pb, service: 'auth' | 'users' = 'auth'): Promise<Pb> {
    const ch = await this.current();
    const release = ch.acquire();
    const deadline = Date.now() + (this.opts.timeoutMs ?? 30_000);
    const stub = service === 'users' ? ch.users : ch.stub;
    return new Promise<Pb>((resolve, reject) => {
      stub[method](req, this.metadata(), { deadline }, (err: grpc.ServiceError | null, res: Pb) => {
        release();
        if (err) reject(TeleportApiError.fromGrpc(method, err));
        else resolve(res);
      });
    });
  }

  private async serverStream(method: string, req: Pb): Promise<Pb[]> {
    const ch = await this.current();
    const release = ch.acquire();
    const deadline = Date.now() + (this.opts.timeoutMs ?? 30_000);
    return new Promise<Pb[]>((resolve, reject) => {
      const out: Pb[] = [];
      const stream = ch.stub[method](req, this.metadata(), { deadline }) as grpc.ClientReadableStream<Pb>;
      stream.on('data', (m: Pb) => out.push(m));
      stream.on('error', (err) => {
        release();
        reject(TeleportApiError.fromGrpc(method, err));
      });
      stream.on('end', () => {
        release();
        resolve(out);
      });
    });
  }

  /** Called by connectTeleport: loads credentials, pings, learns the version header. */
  async init(): Promise<void> {
    await this.reload();
    if (this.opts.pingOnConnect ?? true) {
      const info = await this.ping();
      if (this.version === undefined && /^\d+\.\d+\.\d+/.test(info.serverVersion)) this.version = info.serverVersion;
    }
  }

  close(): void {
    this.closed = true;
    this.channel?.retire();
    this.channel = undefined;
  }

  // -------------------------------------------------------------------------------------------
  // RPCs

  async ping(): Promise<PingInfo> {
    const r = await this.unary('Ping', {});
    return { clusterName: String(r.ClusterName ?? ''), serverVersion: String(r.ServerVersion ?? ''), proxyPublicAddr: String(r.ProxyPublicAddr ?? ''), remoteAddr: String(r.RemoteAddr ?? '') };
  }

  /** Opens WatchEvents for the kinds; see watch.ts for the event order and reconnect option. */
  watch(kinds: (WatchKindSpec | string)[], handlers: WatchHandlers, opts?: WatchOptions): Watcher {
    const open: OpenStream = async () => {
      const ch = await this.current();
      const release = ch.acquire();
      const stream = ch.stub.WatchEvents({ Kinds: kinds.map(watchKindToPb), AllowPartialSuccess: false }, this.metadata()) as grpc.ClientReadableStream<Pb>;
      return { stream, release };
    };
    return startWatcher(open, handlers, opts);
  }

  /** All requests matching the filter (GetAccessRequestsV2, as the Go client lists them). */
  async getAccessRequests(filter: AccessRequestFilter = {}): Promise<AccessRequest[]> {
    const items = await this.serverStream('GetAccessRequestsV2', { ID: filter.id ?? '', User: filter.user ?? '', State: filter.state ?? 'NONE' });
    return items.map(accessRequestFromPb);
  }

  /** One request; NotFound when it does not exist (or is not visible to this identity). */
  async getAccessRequest(id: string): Promise<AccessRequest> {
    const [req] = await this.getAccessRequests({ id });
    if (!req) throw new TeleportApiError('NotFound', 'GetAccessRequestsV2', `no access request matching ${JSON.stringify(id)}`);
    return req;
  }

  async createAccessRequest(r: { user: string; roles: string[]; reason?: string; suggestedReviewers?: string[] }): Promise<AccessRequest> {
    const pb = {
      Kind: 'access_request',
      Version: 'v3',
      Metadata: { Name: '', Namespace: 'default' },
      Spec: { User: r.user, Roles: [...r.roles], State: 'PENDING', RequestReason: r.reason ?? '', SuggestedReviewers: [...(r.suggestedReviewers ?? [])] },
    };
    return accessRequestFromPb(await this.unary('CreateAccessRequestV2', pb));
  }

  async deleteAccessRequest(id: string): Promise<void> {
    await this.unary('DeleteAccessRequest', { ID: id });
  }

  async setAccessRequestState(id: string, state: RequestStateName, o: { reason?: string; delegator?: string; annotations?: Record<string, string[]> } = {}): Promise<void> {
    await this.unary('SetAccessRequestState', { ID: id, State: state, Delegator: o.delegator ?? '', Reason: o.reason ?? '', Annotations: traitsToPb(o.annotations) ?? { Values: {} } });
  }

  /** Submits a review; the author defaults to this identity's user. Returns the updated request. */
  async submitAccessReview(id: string, review: { state: 'APPROVED' | 'DENIED'; reason?: string; author?: string }): Promise<AccessRequest> {
    const res = await this.unary('SubmitAccessReview', {
      RequestID: id,
      Review: { Author: review.author ?? '', ProposedState: review.state, Reason: review.reason ?? '', Created: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 } },
    });
    return accessRequestFromPb(res);
  }

  async getPluginData(f: { resource?: string; plugin?: string; kind?: string }): Promise<PluginDataItem[]> {
    const res = await this.unary('GetPluginData', { Kind: f.kind ?? 'access_request', Resource: f.resource ?? '', Plugin: f.plugin ?? '' });
    return (Array.isArray(res.PluginData) ? (res.PluginData as Pb[]) : []).map(pluginDataFromPb);
  }

  /** One plugin's data for one request, or undefined when it has none. */
  async getPluginEntry(resource: string, plugin: string): Promise<Record<string, string> | undefined> {
    const [item] = await this.getPluginData({ resource, plugin });
    return item?.entries[plugin];
  }

  /**
   * Sets keys ("" deletes a key). With `expect`, the server applies the update only if the current
   * values equal it ("" = key absent) and fails with CompareFailed otherwise.
   */
  async updatePluginData(p: { resource: string; plugin: string; set: Record<string, string>; expect?: Record<string, string>; kind?: string }): Promise<void> {
    await this.unary('UpdatePluginData', { Kind: p.kind ?? 'access_request', Resource: p.resource, Plugin: p.plugin, Set: { ...p.set }, Expect: { ...(p.expect ?? {}) } });
  }

  async getRole(name: string): Promise<RoleResource> {
    return roleFromPb(await this.unary('GetRole', { Name: name }));
  }

  async getRoles(): Promise<RoleResource[]> {
    return (await this.listResources('role')) as RoleResource[];
  }

  /** Every resource of a kind the client knows (teleport-client/kinds), with the calls the server needs. */
  async listResources(kind: string): Promise<TeleportResource[]> {
    const wire = kindWire(kind);
    if (!wire) throw new TypeError(`the Teleport client cannot list kind ${JSON.stringify(kind)}: it knows ${Object.keys(WIRE_KINDS).join(', ')}`);
    return wire.list(this.rpc);
  }

  private readonly rpc: Rpc = {
    unary: (method, req, service) => this.unary(method, req, service),
    serverStream: (method, req) => this.serverStream(method, req),
  };

  async createRole(role: RoleResource): Promise<RoleResource> {
    return roleFromPb(await this.unary('CreateRole', { Role: roleToPb(role) }));
  }

  /** Updates an existing role; with metadata.revision set, fails with CompareFailed if it changed since. */
  async updateRole(role: RoleResource): Promise<RoleResource> {
    return roleFromPb(await this.unary('UpdateRole', { Role: roleToPb(role) }));
  }

  async upsertRole(role: RoleResource): Promise<RoleResource> {
    return roleFromPb(await this.unary('UpsertRoleV2', { Role: roleToPb(role) }));
  }

  async deleteRole(name: string): Promise<void> {
    await this.unary('DeleteRole', { Name: name });
  }

  async getUser(name: string): Promise<UserResource> {
    return userFromPb(await this.unary('GetUser', { Name: name, WithSecrets: false }));
  }

  async getUsers(): Promise<UserResource[]> {
    return (await this.listResources('user')) as UserResource[];
  }

  async getCurrentUser(): Promise<UserResource> {
    return userFromPb(await this.unary('GetCurrentUser', {}));
  }

  async createUser(user: UserResource): Promise<void> {
    await this.unary('CreateUser', userToPb(user));
  }

  async updateUser(user: UserResource): Promise<void> {
    await this.unary('UpdateUser', userToPb(user));
  }

  async deleteUser(name: string): Promise<void> {
    await this.unary('DeleteUser', { Name: name });
  }
}

/** Connects (and by default pings) the Auth service; see ConnectTeleportOptions. */
export async function connectTeleport(opts: ConnectTeleportOptions): Promise<TeleportClient> {
  const client = new TeleportClient(opts);
  try {
    await client.init();
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}
