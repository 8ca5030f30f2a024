/**
 * A Teleport Auth service simulator speaking proto.AuthService over mTLS gRPC, for tests.
 * Longer than most files: one handler per RPC of proto.AuthService (and UsersService) we serve, each a
 * few lines over cluster.ts; the state and its rules live there, TLS in pki.ts, defaults in the model.
 *
 * Faithful where our code depends on it:
 *  - TLS: a host CA signs the server certificate (DNS teleport.cluster.local); a separate user CA
 *    signs client identities, and the server requires and verifies a client certificate, so an
 *    identity from another CA fails the handshake. The caller's user and roles are read from the
 *    certificate subject (CN, O) as Teleport's tlsca encodes them.
 *  - Authorization: each RPC checks the caller's roles' rules the way ServerWithRoles does
 *    (lib/auth/auth_with_roles.go), errors use trail.ToGRPC codes (PermissionDenied, NotFound,
 *    FailedPrecondition for CompareFailed, InvalidArgument for BadParameter, …).
 *  - Access requests: thresholds and review outcomes come from model/access-request.ts.
 *  - WatchEvents: INIT with a WatchStatus first, then PUT/DELETE events for the requested kinds,
 *    honouring WatchKind.Name and the access_request filter keys (id, user, state).
 *  - Stored roles get the server-side defaults (server-defaults.ts) and a revision.
 *  - A `version` header must be valid semver if sent (maybeDowngradeRole rejects others).
 */
import { promises as fs } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { RoleResource, TeleportResource } from '../../model/resources';
import {
  AccessRequest,
  Pb,
  accessRequestFromPb,
  accessRequestToPb,
  pluginDataToPb,
  roleFromPb,
  roleToPb,
  userFromPb,
  userToPb,
  type RequestStateName,
  type RequestedResourceId,
} from '../../teleport-client/convert';
import { GRPC_CODE_OF, type TeleportErrorCode } from '../../teleport-client/errors';
import { formatIdentityFile, type IdentityFile } from '../../teleport-client/identity-file';
import { authServiceDefinition, usersServiceDefinition } from '../../teleport-client/protos';
import { AUTH, methodServed, USERS } from '../../model/teleport-versions';
import { parseTeleportVersion } from '../../model/versions';
import { pbToTraits, type PbLabelValues } from '../../teleport-client/values';
import { AccessDeniedError, requireAccess } from './authz';
import { Cluster, SimError, type ClusterEvent } from './cluster';
import { byName, page } from './paging';
import { createCertAuthority, createSshCA, issueCertificate, issueIdentity, newKeyPair, type CertAuthority } from './pki';

export interface TeleportSimulatorOptions {
  clusterName?: string;
  /**
   * Reported by Ping; default 17.5.0. Its major decides which methods exist (model/teleport-versions.ts:
   * GetRoles answers UNIMPLEMENTED from 17 on, as a real server does) and which server defaults are stored.
   */
  serverVersion?: string;
  /** Resources to seed before the server starts. */
  resources?: TeleportResource[];
  /** Listen port on 127.0.0.1; default: any free port. */
  port?: number;
}

export interface CallLogEntry {
  method: string;
  user?: string;
  roles?: string[];
  /** "OK" or the Teleport error name returned. */
  result: 'OK' | TeleportErrorCode;
  /** The `version` metadata the client sent, if any. */
  clientVersion?: string;
  at: string;
}

export interface IssueOptions {
  ttlMs?: number;
}

export interface TeleportSimulator {
  /** host:port to dial (127.0.0.1:<port>). */
  readonly addr: string;
  readonly clusterName: string;
  /** PEM of the host CA that signed the server certificate (what identity files trust). */
  readonly caPem: string;
  /** PEM of the user CA that signs client identities (what the server trusts). */
  readonly userCaPem: string;
  /** Every RPC handled, in order. */
  readonly callLog: CallLogEntry[];
  /** Writes a tctl-format identity file for `user`; roles default to the user's stored roles. */
  writeIdentity(user: string, file: string): Promise<void>;
  writeIdentity(user: string, roles: string[] | undefined, file: string, opts?: IssueOptions): Promise<void>;
  issueIdentity(user: string, roles?: string[], opts?: IssueOptions): IdentityFile;
  /** An identity whose TLS certificate comes from an unrelated CA (the server must reject it). */
  foreignIdentity(user: string, roles: string[]): IdentityFile;
  seed(resources: TeleportResource[]): void;
  createAccessRequest(user: string, roles: string[], reason?: string, resources?: RequestedResourceId[]): AccessRequest;
  review(id: string, author: string, state: 'APPROVED' | 'DENIED', reason?: string): AccessRequest;
  setState(id: string, state: RequestStateName, reason?: string): AccessRequest;
  /** The pending request's TTL runs out: deleted, watchers get an OpDelete. */
  expire(id: string): void;
  deleteRequest(id: string): void;
  /** Ends every open WatchEvents stream with UNAVAILABLE. */
  dropStreams(): void;
  /** Number of open WatchEvents streams. */
  openStreams(): number;
  /** Stops and restarts the gRPC server on the same port, keeping all state. */
  restart(): Promise<void>;
  close(): Promise<void>;
  requests(): AccessRequest[];
  request(id: string): AccessRequest;
  /** Plugin data of a request: plugin -> key/value, or undefined. */
  pluginData(resource: string): Record<string, Record<string, string>> | undefined;
  roles(): RoleResource[];
  readonly cluster: Cluster;
}

interface Caller {
  user: string;
  roles: string[];
}

/** What unary and streaming server calls share (grpc-js does not export ServerSurfaceCall). */
type SurfaceCall = grpc.ServerUnaryCall<Pb, Pb> | grpc.ServerWritableStream<Pb, Pb>;

type Unary = (caller: Caller, req: Pb, call: grpc.ServerUnaryCall<Pb, Pb>) => Pb;
type ServerStream = (caller: Caller, req: Pb, call: grpc.ServerWritableStream<Pb, Pb>) => void;

const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const EMPTY: Pb = {};

function callerOf(call: SurfaceCall): Caller {
  const cert = call.getAuthContext()?.sslPeerCertificate;
  if (!cert) throw new SimError('AccessDenied', 'missing client certificate');
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { user: asList(subject.CN)[0] ?? '', roles: asList(subject.O) };
}

function toStatus(err: unknown): Partial<grpc.StatusObject> & { code: grpc.status; details: string } {
  if (err instanceof SimError) return { code: GRPC_CODE_OF[err.code], details: err.message };
  if (err instanceof AccessDeniedError) return { code: grpc.status.PERMISSION_DENIED, details: err.message };
  if (err instanceof TypeError) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  return { code: grpc.status.UNKNOWN, details: (err as Error)?.message ?? String(err) };
}

function resultOf(err: unknown): TeleportErrorCode {
  if (err instanceof SimError) return err.code;
  if (err instanceof AccessDeniedError) return 'AccessDenied';
  if (err instanceof TypeError) return 'BadParameter';
  return 'Unknown';
}

export async function startTeleportSimulator(opts: TeleportSimulatorOptions = {}): Promise<TeleportSimulator> {
  const clusterName = opts.clusterName ?? 'sim.teleport.test';
  const serverVersion = opts.serverVersion ?? '17.5.0';
  const hostCA = createCertAuthority(clusterName, 'Host CA');
  const userCA = createCertAuthority(clusterName, 'User CA');
  const sshCA = createSshCA();
  const serverKeys = newKeyPair();
  const serverCert = issueCertificate(hostCA, {
    subject: { commonName: 'auth', organization: ['Auth'] },
    publicKey: serverKeys.publicKey,
    notAfter: new Date(Date.now() + 30 * 86400_000),
    dnsNames: ['teleport.cluster.local', '*.teleport.cluster.local', `${Buffer.from(clusterName).toString('hex')}.teleport.cluster.local`, 'localhost', '127.0.0.1'],
  });
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(userCA.certPem),
    [{ private_key: Buffer.from(serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' })), cert_chain: Buffer.from(serverCert) }],
    true,
  );

  const teleport = parseTeleportVersion(serverVersion.replace(/-.*$/, ''));
  const cluster = new Cluster(undefined, teleport);
  const callLog: CallLogEntry[] = [];
  const streams = new Set<grpc.ServerWritableStream<Pb, Pb>>();

  const seed = (resources: TeleportResource[]) => {
    // Reject up front what the wire could not carry, so tests fail at the seed, not mid-RPC.
    for (const r of resources) if (r.kind === 'role') roleToPb(r);
    cluster.seed(resources);
  };
  seed(opts.resources ?? []);

  const log = (method: string, caller: Caller | undefined, result: CallLogEntry['result'], call: SurfaceCall) => {
    const v = call.metadata.get('version')[0];
    callLog.push({ method, user: caller?.user, roles: caller?.roles, result, clientVersion: v === undefined ? undefined : String(v), at: new Date().toISOString() });
  };

  const checkVersionHeader = (call: SurfaceCall) => {
    const v = call.metadata.get('version')[0];
    if (v !== undefined && !SEMVER.test(String(v))) throw new SimError('BadParameter', 'unrecognized client version');
  };

  const unary =
    (method: string, fn: Unary): grpc.handleUnaryCall<Pb, Pb> =>
    (call, callback) => {
      let caller: Caller | undefined;
      try {
        caller = callerOf(call);
        checkVersionHeader(call);
        const res = fn(caller, call.request, call);
        log(method, caller, 'OK', call);
        callback(null, res);
      } catch (err) {
        log(method, caller, resultOf(err), call);
        callback(toStatus(err));
      }
    };

  const serverStream =
    (method: string, fn: ServerStream): grpc.handleServerStreamingCall<Pb, Pb> =>
    (call) => {
      let caller: Caller | undefined;
      try {
        caller = callerOf(call);
        checkVersionHeader(call);
        fn(caller, call.request, call);
        log(method, caller, 'OK', call);
      } catch (err) {
        log(method, caller, resultOf(err), call);
        call.emit('error', toStatus(err));
      }
    };

  const rolesOf = (c: Caller) => cluster.rolesNamed(c.roles);
  const can = (c: Caller, resource: string, ...verbs: string[]) => {
    try {
      requireAccess(rolesOf(c), resource, ...verbs);
      return true;
    } catch {
      return false;
    }
  };

  const sendList = (call: grpc.ServerWritableStream<Pb, Pb>, items: Pb[]) => {
    for (const item of items) call.write(item);
    call.end();
  };

  const filterOf = (req: Pb) => ({ id: String(req.ID ?? ''), user: String(req.User ?? ''), state: String(req.State ?? 'NONE') });

  const watchEvents: ServerStream = (caller, req, call) => {
    const kinds = (Array.isArray(req.Kinds) ? req.Kinds : []) as Pb[];
    const confirmed: Pb[] = [];
    for (const k of kinds) {
      const kind = String(k.Kind);
      const filter = (k.Filter ?? {}) as Record<string, string>;
      if (kind === 'access_request') {
        for (const key of Object.keys(filter)) if (!['id', 'user', 'state'].includes(key)) throw new SimError('BadParameter', `unknown filter key ${key}`);
        if (!filter.user || filter.user !== caller.user) requireAccess(rolesOf(caller), 'access_request', 'list', 'read');
      } else if (kind === 'role' || kind === 'user') {
        requireAccess(rolesOf(caller), kind, 'list', 'read');
      } else if (req.AllowPartialSuccess) {
        continue;
      } else {
        throw new SimError('BadParameter', `watching ${JSON.stringify(kind)} is not supported`);
      }
      confirmed.push(k);
    }
    if (confirmed.length === 0) throw new SimError('BadParameter', 'missing parameter Kinds');

    const matches = (e: ClusterEvent): boolean =>
      confirmed.some((k) => {
        if (k.Kind !== e.kind) return false;
        const name = e.type === 'DELETE' ? e.name : e.kind === 'access_request' ? e.request.id : e.kind === 'role' ? e.role.metadata.name : e.user.metadata.name;
        if (k.Name && k.Name !== name) return false;
        const f = (k.Filter ?? {}) as Record<string, string>;
        if (f.id && f.id !== name) return false;
        if (e.type === 'PUT' && e.kind === 'access_request') {
          if (f.user && f.user !== e.request.user) return false;
          if (f.state && f.state !== 'NONE' && f.state !== e.request.state) return false;
        }
        return true;
      });
    const toPb = (e: ClusterEvent): Pb => {
      if (e.type === 'DELETE') return { Type: 'DELETE', ResourceHeader: { Kind: e.kind, Version: e.kind === 'access_request' ? 'v3' : '', Metadata: { Name: e.name, Namespace: 'default' } } };
      if (e.kind === 'access_request') return { Type: 'PUT', AccessRequest: accessRequestToPb(e.request) };
      if (e.kind === 'role') return { Type: 'PUT', Role: roleToPb(e.role) };
      return { Type: 'PUT', User: userToPb(e.user) };
    };

    streams.add(call);
    const unsubscribe = cluster.subscribe((e) => {
      if (matches(e)) call.write(toPb(e));
    });
    const done = () => {
      unsubscribe();
      streams.delete(call);
    };
    call.on('cancelled', done);
    call.on('close', done);
    call.on('finish', done);
    call.on('error', done);
    call.write({ Type: 'INIT', WatchStatus: { Kind: 'watch_status', Version: 'v1', Metadata: { Name: 'watch_status', Namespace: 'default' }, Spec: { Kinds: confirmed } } });
  };

  const handlers: grpc.UntypedServiceImplementation = {
    Ping: unary('Ping', (_c, _r, call) => ({ ClusterName: clusterName, ServerVersion: serverVersion, ProxyPublicAddr: '', IsBoring: false, RemoteAddr: call.getPeer(), LoadAllCAs: false })),
    WatchEvents: serverStream('WatchEvents', watchEvents),

    GetAccessRequestsV2: serverStream('GetAccessRequestsV2', (caller, req, call) => {
      const filter = filterOf(req);
      let list: AccessRequest[];
      if ((filter.user && filter.user === caller.user) || (can(caller, 'access_request', 'list') && can(caller, 'access_request', 'read'))) {
        list = cluster.listAccessRequests(filter);
      } else {
        // Own requests plus the ones the caller may review (ServerWithRoles.GetAccessRequests).
        list = cluster.listAccessRequests(filter).filter((r) => r.user === caller.user || cluster.canReview(caller.user, r));
      }
      sendList(call, list.map(accessRequestToPb));
    }),
    ListAccessRequests: unary('ListAccessRequests', (caller, req) => {
      requireAccess(rolesOf(caller), 'access_request', 'list', 'read');
      return { AccessRequests: cluster.listAccessRequests(filterOf((req.Filter as Pb) ?? {})).map(accessRequestToPb), NextKey: '' };
    }),
    CreateAccessRequestV2: unary('CreateAccessRequestV2', (caller, req) => {
      const a = accessRequestFromPb(req);
      // Users may create pending requests for themselves; anything else needs access_request:create.
      if (a.state !== 'PENDING' || a.user !== caller.user) requireAccess(rolesOf(caller), 'access_request', 'create');
      return accessRequestToPb(cluster.createAccessRequest(a.user, a.roles, { reason: a.reason, resources: a.requested_resource_ids }));
    }),
    DeleteAccessRequest: unary('DeleteAccessRequest', (caller, req) => {
      requireAccess(rolesOf(caller), 'access_request', 'delete');
      cluster.deleteAccessRequest(String(req.ID));
      return EMPTY;
    }),
    SetAccessRequestState: unary('SetAccessRequestState', (caller, req) => {
      requireAccess(rolesOf(caller), 'access_request', 'update');
      cluster.setState(String(req.ID), String(req.State) as RequestStateName, { reason: String(req.Reason ?? ''), annotations: pbToTraits(req.Annotations as PbLabelValues) });
      return EMPTY;
    }),
    SubmitAccessReview: unary('SubmitAccessReview', (caller, req) => {
      const review = (req.Review ?? {}) as Pb;
      const author = String(review.Author || caller.user);
      if (author !== caller.user) throw new SimError('AccessDenied', `user ${JSON.stringify(caller.user)} cannot submit reviews on behalf of ${JSON.stringify(author)}`);
      if (!rolesOf(caller).some((r) => (r.spec.allow?.review_requests?.roles ?? []).length > 0)) {
        throw new SimError('AccessDenied', `user ${JSON.stringify(caller.user)} cannot submit reviews`);
      }
      const updated = cluster.submitReview(String(req.RequestID), {
        author,
        state: String(review.ProposedState),
        reason: String(review.Reason ?? '') || undefined,
        roles: Array.isArray(review.Roles) ? review.Roles.map(String) : undefined,
        annotations: pbToTraits(review.Annotations as PbLabelValues),
      });
      return accessRequestToPb(updated);
    }),

    GetPluginData: unary('GetPluginData', (caller, req) => {
      const kind = String(req.Kind);
      if (kind === 'access_request') {
        if (!can(caller, 'access_request', 'list')) requireAccess(rolesOf(caller), 'access_plugin_data', 'list');
        if (!can(caller, 'access_request', 'read')) requireAccess(rolesOf(caller), 'access_plugin_data', 'read');
      }
      const items = cluster.getPluginData({ kind, resource: String(req.Resource ?? '') || undefined, plugin: String(req.Plugin ?? '') || undefined });
      return { PluginData: items.map(pluginDataToPb) };
    }),
    UpdatePluginData: unary('UpdatePluginData', (caller, req) => {
      const kind = String(req.Kind);
      if (kind === 'access_request' && !can(caller, 'access_request', 'update')) requireAccess(rolesOf(caller), 'access_plugin_data', 'update');
      cluster.updatePluginData({
        kind,
        resource: String(req.Resource),
        plugin: String(req.Plugin),
        set: (req.Set ?? {}) as Record<string, string>,
        expect: (req.Expect ?? {}) as Record<string, string>,
      });
      return EMPTY;
    }),

    GetRole: unary('GetRole', (caller, req) => {
      const name = String(req.Name);
      // Users may always read the roles they hold.
      if (!caller.roles.includes(name)) requireAccess(rolesOf(caller), 'role', 'read');
      const role = cluster.roles.get(name);
      if (!role) throw new SimError('NotFound', `role ${JSON.stringify(name)} is not found`);
      return roleToPb(role);
    }),
    GetRoles: unary('GetRoles', (caller) => {
      requireAccess(rolesOf(caller), 'role', 'list', 'read');
      return { Roles: [...cluster.roles.values()].map(roleToPb) };
    }),
    ListRoles: unary('ListRoles', (caller, req) => {
      requireAccess(rolesOf(caller), 'role', 'list', 'read');
      const { items, next } = page([...cluster.roles.values()].sort(byName), Number(req.Limit ?? 0), String(req.StartKey ?? ''));
      return { Roles: items.map(roleToPb), NextKey: next };
    }),
    CreateRole: unary('CreateRole', (caller, req) => {
      requireAccess(rolesOf(caller), 'role', 'create');
      return roleToPb(cluster.putRole(roleFromPb(req.Role), 'create'));
    }),
    UpdateRole: unary('UpdateRole', (caller, req) => {
      requireAccess(rolesOf(caller), 'role', 'update');
      return roleToPb(cluster.putRole(roleFromPb(req.Role), 'update'));
    }),
    UpsertRoleV2: unary('UpsertRoleV2', (caller, req) => {
      requireAccess(rolesOf(caller), 'role', 'create', 'update');
      return roleToPb(cluster.putRole(roleFromPb(req.Role), 'upsert'));
    }),
    DeleteRole: unary('DeleteRole', (caller, req) => {
      requireAccess(rolesOf(caller), 'role', 'delete');
      cluster.deleteRole(String(req.Name));
      return EMPTY;
    }),

    GetUser: unary('GetUser', (caller, req) => {
      const name = String(req.Name);
      if (req.WithSecrets) throw new SimError('AccessDenied', 'this request can be only executed by an admin');
      if (name !== caller.user) requireAccess(rolesOf(caller), 'user', 'read');
      const user = cluster.users.get(name);
      if (!user) throw new SimError('NotFound', `user ${JSON.stringify(name)} not found`);
      return userToPb(user);
    }),
    GetCurrentUser: unary('GetCurrentUser', (caller) => {
      const user = cluster.users.get(caller.user);
      if (!user) throw new SimError('NotFound', `user ${JSON.stringify(caller.user)} not found`);
      return userToPb(user);
    }),
    GetUsers: serverStream('GetUsers', (caller, req, call) => {
      if (req.WithSecrets) throw new SimError('AccessDenied', 'this request can be only executed by an admin');
      requireAccess(rolesOf(caller), 'user', 'list', 'read');
      sendList(call, [...cluster.users.values()].map(userToPb));
    }),
    CreateUser: unary('CreateUser', (caller, req) => {
      requireAccess(rolesOf(caller), 'user', 'create');
      cluster.putUser(userFromPb(req), 'create');
      return EMPTY;
    }),
    UpdateUser: unary('UpdateUser', (caller, req) => {
      requireAccess(rolesOf(caller), 'user', 'update');
      cluster.putUser(userFromPb(req), 'update');
      return EMPTY;
    }),
    DeleteUser: unary('DeleteUser', (caller, req) => {
      requireAccess(rolesOf(caller), 'user', 'delete');
      cluster.deleteUser(String(req.Name));
      return EMPTY;
    }),
  };

  // A method the major does not serve is not registered: grpc-js answers UNIMPLEMENTED, as a real server does.
  for (const method of Object.keys(handlers)) if (!methodServed(`${AUTH}${method}`, teleport.major)) delete handlers[method];

  const usersHandlers: grpc.UntypedServiceImplementation = {
    ListUsers: unary('UsersService/ListUsers', (caller, req) => {
      if (req.with_secrets) throw new SimError('AccessDenied', 'this request can be only executed by an admin');
      requireAccess(rolesOf(caller), 'user', 'list', 'read');
      const { items, next } = page([...cluster.users.values()].sort(byName), Number(req.page_size ?? 0), String(req.page_token ?? ''));
      return { users: items.map(userToPb), next_page_token: next };
    }),
  };
  if (!methodServed(`${USERS}ListUsers`, teleport.major)) delete usersHandlers.ListUsers;

  const service = authServiceDefinition().service;
  let server: grpc.Server;
  let port = opts.port ?? 0;

  const listen = async () => {
    server = new grpc.Server();
    server.addService(service, handlers);
    server.addService(usersServiceDefinition().service, usersHandlers);
    port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))));
  };
  await listen();

  const dropStreams = () => {
    for (const call of [...streams]) {
      streams.delete(call);
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'watch stream dropped by the simulator' });
    }
  };

  const userRoles = (user: string) => cluster.users.get(user)?.spec.roles ?? [];
  const identity = (user: string, roles: string[] | undefined, o: IssueOptions = {}) =>
    issueIdentity(userCA, hostCA, sshCA, clusterName, { user, roles: roles ?? userRoles(user), traits: cluster.users.get(user)?.spec.traits, ttlMs: o.ttlMs });

  const sim: TeleportSimulator = {
    get addr() {
      return `127.0.0.1:${port}`;
    },
    clusterName,
    caPem: hostCA.certPem,
    userCaPem: userCA.certPem,
    callLog,
    cluster,
    async writeIdentity(user: string, rolesOrFile: string[] | string | undefined, file?: string, o?: IssueOptions) {
      const [roles, path] = typeof rolesOrFile === 'string' ? [undefined, rolesOrFile] : [rolesOrFile, file];
      if (!path) throw new Error('writeIdentity: missing file path');
      const tmp = `${path}.tmp-${process.pid}`;
      await fs.writeFile(tmp, formatIdentityFile(identity(user, roles, o)), { mode: 0o600 });
      await fs.rename(tmp, path);
    },
    issueIdentity: (user, roles, o) => identity(user, roles, o),
    foreignIdentity(user, roles) {
      const otherHost: CertAuthority = createCertAuthority('other.example', 'Host CA');
      const otherUser: CertAuthority = createCertAuthority('other.example', 'User CA');
      const id = issueIdentity(otherUser, otherHost, sshCA, 'other.example', { user, roles });
      // Trust the real server, so only the client certificate is wrong.
      return { ...id, tlsCaPems: [hostCA.certPem] };
    },
    seed,
    createAccessRequest: (user, roles, reason, resources) => cluster.createAccessRequest(user, roles, { reason, resources }),
    review: (id, author, state, reason) => cluster.submitReview(id, { author, state, reason }),
    setState: (id, state, reason) => cluster.setState(id, state, { reason }),
    expire: (id) => cluster.deleteAccessRequest(id),
    deleteRequest: (id) => cluster.deleteAccessRequest(id),
    dropStreams,
    openStreams: () => streams.size,
    async restart() {
      dropStreams();
      server.forceShutdown();
      await listen();
    },
    async close() {
      dropStreams();
      server.forceShutdown();
    },
    requests: () => cluster.listAccessRequests(),
    request: (id) => cluster.getAccessRequest(id),
    pluginData: (resource) => cluster.getPluginData({ kind: 'access_request', resource })[0]?.entries,
    roles: () => [...cluster.roles.values()].map((r) => JSON.parse(JSON.stringify(r)) as RoleResource),
  };
  return sim;
}
