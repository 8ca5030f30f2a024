// The simulator's HTTP front: what real Mattermost does around every handler (rate limiter before
// authentication, forced faults, held answers, request log, standard headers). Longer than most files
// because those wrappers must run in this order on every request; the handlers are in handlers/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AppError, sessionExpired } from './app-error';
import { botRoutes } from './handlers/bots';
import { channelMemberRoutes } from './handlers/channel-members';
import { channelPostRoutes } from './handlers/channel-posts';
import { postRoutes } from './handlers/posts';
import { BUILD_NUMBER, SERVER_VERSION, systemRoutes } from './handlers/system';
import { teamChannelRoutes } from './handlers/teams-channels';
import { userRoutes } from './handlers/users';
import { newId } from './ids';
import { GcraRateLimiter, rateLimitHeaders, type RateLimitResult } from './rate-limiter';
import { matchRoute, type HandlerResult, type RequestContext, type Route } from './router';
import { DEFAULT_SETTINGS, type MattermostSimulatorSettings } from './settings';
import { SimStore, type SimCredential, type SimUser } from './store';

const API_PREFIX = '/api/v4';
const ROUTES: readonly Route[] = [...userRoutes, ...teamChannelRoutes, ...channelMemberRoutes, ...channelPostRoutes, ...postRoutes, ...botRoutes, ...systemRoutes];

export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  /** RateLimitSettings.VaryByUser: key the bucket by auth token (falling back to the IP). Default false: by IP. */
  varyByUser?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** URL path, e.g. /api/v4/users/me (never the query's access_token, never a header). */
  path: string;
  status: number;
  /** Milliseconds since the simulator started, taken when the rate limiter saw the request. */
  at: number;
  /** The authenticated user, when the request got as far as authentication. */
  userId: string | null;
  /** True when the rate limiter (or force429) answered 429 without serving the request. */
  rateLimited: boolean;
  /** The body's pending_post_id on POST /api/v4/posts: a retried post carries the same one. */
  pendingPostId?: string;
}

export interface FailOptions {
  method?: string;
  /** Exact pathname (/api/v4/posts) or a RegExp tested against it. */
  path?: string | RegExp;
  /** "json" sends an AppError body, "text" a plain-text body like a reverse proxy. Default: json for 500/501. */
  body?: 'json' | 'text';
  /** Serve the request first, then answer with the failure: the write happened but the client cannot know. */
  afterHandling?: boolean;
}

interface Fault {
  remaining: number;
  status: number;
  opts: FailOptions;
}

interface Forced429 {
  remaining: number;
  retryAfterSeconds: number;
  opts: FailOptions;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class SimulatorServer {
  readonly store = new SimStore();
  settings: MattermostSimulatorSettings;
  limiter: GcraRateLimiter | null = null;
  varyByUser = false;
  readonly recorded: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  readonly forced429: Forced429[] = [];
  /** Requests served (the write happens) whose answer is held back this long: slow, or "in flight" to a client killed meanwhile. */
  readonly held: { remaining: number; delayMs: number; opts: FailOptions }[] = [];
  private readonly holdTimers = new Set<NodeJS.Timeout>();
  dropConnections = 0;
  private readonly t0 = performance.now();
  private readonly server: Server;
  private readonly configHash = newId().slice(0, 8);

  constructor(
    settings: Partial<MattermostSimulatorSettings>,
    rateLimit: RateLimitOptions | false | undefined,
    private readonly clock?: () => number,
  ) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.setRateLimit(rateLimit ?? false);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // A bug in the simulator itself: answer 500 rather than leave the client hanging.
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`simulator error: ${err instanceof Error ? err.message : String(err)}\n`);
      });
    });
    this.server.keepAliveTimeout = 1000;
  }

  setRateLimit(opts: RateLimitOptions | false): void {
    this.limiter = opts ? new GcraRateLimiter(opts.perSecond, opts.burst) : null;
    this.varyByUser = opts ? opts.varyByUser ?? false : false;
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    return `http://${host}:${addr.port}`;
  }

  async close(): Promise<void> {
    for (const t of this.holdTimers) clearTimeout(t);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private now(): number {
    return this.clock ? this.clock() : performance.now() - this.t0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const at = this.now();
    let pendingPostId: string | undefined;
    const record = (status: number, userId: string | null, rateLimited = false) =>
      this.recorded.push({ method, path: url.pathname, status, at, userId, rateLimited, ...(pendingPostId ? { pendingPostId } : {}) });

    if (this.dropConnections > 0) {
      this.dropConnections--;
      record(0, null);
      (req.socket as Socket).destroy();
      return;
    }

    const rawBody = await readBody(req);
    const token = parseAuthToken(req, url);
    if (method === 'POST' && url.pathname === '/api/v4/posts') pendingPostId = pendingPostIdOf(rawBody);

    // The rate limiter wraps the whole API router, so it runs before authentication and answers in plain text.
    let limitHeaders: Record<string, string> = {};
    if (this.limiter) {
      const key = this.varyByUser && token ? `token:${token.value}` : `ip:${req.socket.remoteAddress ?? ''}`;
      const result = this.limiter.take(key, at);
      limitHeaders = rateLimitHeaders(result);
      if (result.limited) {
        record(429, null, true);
        return send(res, tooManyRequests(limitHeaders));
      }
    }
    const forced = takeMatching(this.forced429, method, url.pathname);
    if (forced) {
      const synthetic: RateLimitResult = {
        limited: true,
        limit: this.limiter ? this.limiter.burst + 1 : 1,
        remaining: 0,
        resetAfterMs: forced.retryAfterSeconds * 1000,
        retryAfterMs: forced.retryAfterSeconds * 1000,
      };
      record(429, null, true);
      return send(res, tooManyRequests(rateLimitHeaders(synthetic)));
    }

    const requestId = newId();
    const baseHeaders: Record<string, string> = {
      ...limitHeaders,
      'X-Request-Id': requestId,
      'X-Version-Id': `${SERVER_VERSION}.${BUILD_NUMBER}.${this.configHash}.false`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    if (method === 'GET') baseHeaders.Expires = '0';

    const fault = takeMatching(this.faults, method, url.pathname);
    if (fault && !fault.opts.afterHandling) {
      record(fault.status, null);
      return send(res, this.faultReply(fault, baseHeaders, requestId));
    }

    const { reply, userId } = this.dispatch(method, url, rawBody, token, requestId);
    const final = fault ? this.faultReply(fault, baseHeaders, requestId) : reply;
    final.headers = { ...baseHeaders, ...final.headers };
    record(final.status, userId);
    const hold = takeMatching(this.held, method, url.pathname);
    if (hold) {
      const t = setTimeout(() => {
        this.holdTimers.delete(t);
        if (!res.destroyed) send(res, final);
      }, hold.delayMs);
      this.holdTimers.add(t);
      return;
    }
    send(res, final);
  }

  private dispatch(
    method: string,
    url: URL,
    rawBody: string,
    token: ParsedToken | null,
    requestId: string,
  ): { reply: Reply; userId: string | null } {
    let userId: string | null = null;
    try {
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) throw new AppError('api.context.404.app_error', 404);
      const match = matchRoute(ROUTES, method, url.pathname.slice(API_PREFIX.length));
      if (match === null) throw new AppError('api.context.404.app_error', 404);
      if ('methodNotAllowed' in match) {
        return { reply: { status: 405, headers: {}, body: '' }, userId };
      }
      if (Buffer.byteLength(rawBody) > this.settings.maximumPayloadSizeBytes) {
        throw new AppError('api.context.request_body_too_large.app_error', 413);
      }
      const session = token ? this.resolveSession(token.value) : null;
      if (token && token.location === 'query' && session) {
        // Only OAuth tokens may travel in the query string, and this server has no OAuth apps.
        throw new AppError('api.context.token_provided.app_error', 401);
      }
      if (match.route.auth === 'session' && !session) {
        throw sessionExpired(token ? `token=${token.value}` : 'UserRequired');
      }
      userId = session?.user.id ?? null;
      const ctx: RequestContext = {
        store: this.store,
        settings: this.settings,
        params: match.params,
        query: url.searchParams,
        rawBody,
        user: session?.user ?? null,
        credential: session?.credential ?? null,
        rateLimit: this.limiter
          ? { perSecond: this.limiter.perSecond, burst: this.limiter.burst, varyByUser: this.varyByUser }
          : null,
      };
      return { reply: successReply(match.route.handler(ctx)), userId };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { reply: this.errorReply(err, requestId), userId };
    }
  }

  /** A token that names no live credential yields no session, exactly like an expired one. */
  private resolveSession(token: string): { user: SimUser; credential: SimCredential } | null {
    const credential = this.store.credentials.get(token);
    if (!credential) return null;
    const user = this.store.users.get(credential.userId);
    if (!user || user.delete_at !== 0) return null;
    if (credential.kind === 'access_token') {
      const record = credential.accessTokenId ? this.store.accessTokens.get(credential.accessTokenId) : undefined;
      if (!record || !record.is_active) return null;
      if (!this.settings.enableUserAccessTokens && !user.is_bot) return null;
    }
    return { user, credential };
  }

  /** handleContextError: detailed_error is wiped unless EnableDeveloper; status_code mirrors the HTTP status. */
  private errorReply(err: AppError, requestId: string): Reply {
    const body = {
      id: err.id,
      message: err.message,
      detailed_error: this.settings.enableDeveloper ? err.detailedError : '',
      request_id: requestId,
      status_code: err.statusCode,
    };
    return { status: err.statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  }

  private faultReply(fault: Fault, headers: Record<string, string>, requestId: string): Reply {
    const kind = fault.opts.body ?? (fault.status <= 501 ? 'json' : 'text');
    if (kind === 'text') {
      return {
        status: fault.status,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: `${fault.status} simulated upstream failure\n`,
      };
    }
    const reply = this.errorReply(new AppError('simulator.injected_failure.app_error', fault.status), requestId);
    reply.headers = { ...headers, ...reply.headers };
    return reply;
  }
}

function successReply(result: HandlerResult): Reply {
  // Success bodies go through json.Encoder, which ends them with a newline.
  return {
    status: result.status,
    headers: { 'Content-Type': 'application/json', ...result.headers },
    body: `${JSON.stringify(result.body)}\n`,
  };
}

/** The limiter's answer: Go's http.Error, so plain text and none of the API headers. */
function tooManyRequests(limitHeaders: Record<string, string>): Reply {
  return {
    status: 429,
    headers: { ...limitHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: 'limit exceeded\n',
  };
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

function takeMatching<T extends { remaining: number; opts: FailOptions }>(queue: T[], method: string, path: string): T | null {
  const index = queue.findIndex((f) => {
    if (f.opts.method && f.opts.method.toUpperCase() !== method) return false;
    if (f.opts.path === undefined) return true;
    return typeof f.opts.path === 'string' ? f.opts.path === path : f.opts.path.test(path);
  });
  if (index < 0) return null;
  const fault = queue[index] as T;
  fault.remaining--;
  if (fault.remaining <= 0) queue.splice(index, 1);
  return fault;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface ParsedToken {
  value: string;
  location: 'cookie' | 'header' | 'query';
}

/** ParseAuthTokenFromRequest: the MMAUTHTOKEN cookie first, then "Bearer"/"Token" (any case), then the query. */
function parseAuthToken(req: IncomingMessage, url: URL): ParsedToken | null {
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'MMAUTHTOKEN' && rest.length > 0) return { value: rest.join('='), location: 'cookie' };
  }
  const auth = req.headers.authorization ?? '';
  if (auth.length > 6 && auth.slice(0, 6).toUpperCase() === 'BEARER') return { value: auth.slice(7), location: 'header' };
  if (auth.length > 5 && auth.slice(0, 5).toLowerCase() === 'token') return { value: auth.slice(6), location: 'header' };
  const query = url.searchParams.get('access_token');
  if (query) return { value: query, location: 'query' };
  return null;
}

/** The pending_post_id of a create-post body, for the request log (undefined when the body is not a post). */
function pendingPostIdOf(rawBody: string): string | undefined {
  try {
    const id = (JSON.parse(rawBody) as { pending_post_id?: unknown }).pending_post_id;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}
