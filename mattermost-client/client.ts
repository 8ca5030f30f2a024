// Our door to the Mattermost REST API: Client4 (@mattermost/client) builds the routes and headers; we replace its
// transport so every call gets a status-aware retry policy and fails with MattermostApiError, never ClientError.
// Client4's own transport cannot do either: it hides the HTTP status (a plain-text 429 surfaces as a ClientError
// with an empty message and no status_code) and it never retries.
// Longer than most files: one method per Mattermost call we make, each a few lines over the shared
// transport; splitting it by resource would scatter the one retry and error policy.
import { randomUUID } from 'node:crypto';
import { Client4 } from '@mattermost/client';
import type { Bot } from '@mattermost/types/bots';
import type { ChannelMembership, ServerChannel } from '@mattermost/types/channels';
import type { Options } from '@mattermost/types/client4';
import type { AdminConfig, ClientConfig } from '@mattermost/types/config';
import type { Post, PostList } from '@mattermost/types/posts';
import type { Team, TeamMembership } from '@mattermost/types/teams';
import type { UserAccessToken, UserProfile } from '@mattermost/types/users';
import { backOff } from 'exponential-backoff';
import { MattermostApiError, redact } from './api-error';
import { describeValue, withoutUserInfo } from '../model/secret-scrub';
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  isNotSentCode,
  isRetrySafe,
  serverWaitHintMs,
  type Failure,
  type RetryPolicy,
} from './retry-policy';

export { MattermostApiError } from './api-error';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
export type { AdminConfig, Bot, ChannelMembership, ClientConfig, Post, PostList, ServerChannel, Team, TeamMembership, UserAccessToken, UserProfile };

export interface RetryEvent {
  method: string;
  path: string;
  /** The attempt that just failed (1 = first try). */
  attempt: number;
  /** HTTP status of the failure, 0 for a connection failure. */
  status: number;
  /** The server's minimum wait (Retry-After), before backoff jitter is added. */
  waitAtLeastMs: number;
}

export interface MattermostApiOptions {
  /** Site URL, e.g. https://mattermost.example.com (no /api/v4). */
  url: string;
  /** Bot, personal access or session token. Sent only in the Authorization header, never logged. */
  token: string;
  /** Partial overrides of DEFAULT_RETRY_POLICY, or false for a single attempt. */
  retry?: Partial<RetryPolicy> | false;
  userAgent?: string;
  /** Called before each retry, e.g. for logs or metrics. Carries no token. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Waits out a server's pause (Retry-After); default a timer. Tests inject one that advances a manual
   * clock, so rate-limit behaviour is checked by counting events, never by measuring wall-clock time.
   */
  sleep?: (ms: number) => Promise<void>;
}

export interface NewPost {
  channel_id: string;
  message: string;
  /** Thread reply: the id of the thread's root post. */
  root_id?: string;
  /** e.g. { attachments: [...] }. */
  props?: Record<string, unknown>;
  /** Deduplication key; filled in automatically so a retried create cannot post twice. */
  pending_post_id?: string;
}

export interface PostUpdate {
  id: string;
  channel_id: string;
  message: string;
  props?: Record<string, unknown>;
}

export interface PostPatch {
  message?: string;
  /** Replaces the whole props map. */
  props?: Record<string, unknown>;
  is_pinned?: boolean;
}

export interface MattermostApi {
  /** The site URL this API talks to (normalised, no trailing slash). */
  readonly url: string;
  /** The underlying Client4, already using our transport, for calls not wrapped below. */
  readonly client: Client4;
  ping(): Promise<{ status: string }>;
  getMe(): Promise<UserProfile>;
  getUser(userId: string): Promise<UserProfile>;
  getUserByUsername(username: string): Promise<UserProfile>;
  getUserByEmail(email: string): Promise<UserProfile>;
  getUsersByIds(userIds: string[]): Promise<UserProfile[]>;
  getTeamByName(name: string): Promise<Team>;
  getTeamsForUser(userId: string): Promise<Team[]>;
  addToTeam(teamId: string, userId: string): Promise<TeamMembership>;
  getChannel(channelId: string): Promise<ServerChannel>;
  /** By URL handle (e.g. "town-square"), not display name. */
  getChannelByName(teamName: string, channelName: string): Promise<ServerChannel>;
  /** Adds the user to the channel (201 also when already a member); the user must be in the channel's team. */
  addToChannel(userId: string, channelId: string): Promise<ChannelMembership>;
  /** 404 (MattermostApiError) when the user is not a member. */
  getChannelMember(channelId: string, userId: string): Promise<ChannelMembership>;
  removeFromChannel(userId: string, channelId: string): Promise<void>;
  /** Get-or-create the DM channel between two users (one of them must be the caller unless admin). */
  createDirectChannel(userIdA: string, userIdB: string): Promise<ServerChannel>;
  createPost(post: NewPost): Promise<Post>;
  getPost(postId: string): Promise<Post>;
  /** One page of a channel's posts, newest first (GET /channels/{id}/posts?page&per_page). */
  getChannelPosts(channelId: string, page: number, perPage: number): Promise<PostList>;
  /** Full update: omitted message/props become blank. */
  updatePost(post: PostUpdate): Promise<Post>;
  /** Partial update of the given fields only. */
  patchPost(postId: string, patch: PostPatch): Promise<Post>;
  /** POST /posts/{id}/pin: needs only read access to the channel. */
  pinPost(postId: string): Promise<void>;
  /** Every bot (all pages); includeDeleted adds disabled bots. */
  getBots(opts?: { includeDeleted?: boolean }): Promise<Bot[]>;
  getBot(botUserId: string, opts?: { includeDeleted?: boolean }): Promise<Bot>;
  createBot(bot: { username: string; display_name?: string; description?: string }): Promise<Bot>;
  patchBot(botUserId: string, patch: { username?: string; display_name?: string; description?: string }): Promise<Bot>;
  enableBot(botUserId: string): Promise<Bot>;
  /** Overwrites all system roles of the user. */
  updateUserRoles(userId: string, roles: readonly string[]): Promise<void>;
  /** The returned `token` is the only time the secret is visible. */
  createUserAccessToken(userId: string, description: string): Promise<UserAccessToken>;
  /** Sanitized: no `token` values. */
  getUserAccessTokens(userId: string): Promise<UserAccessToken[]>;
  /** The full server config (System Admin or read-only admin roles only). */
  getConfig(): Promise<AdminConfig>;
  /** The client subset (strings), readable by anyone. */
  getClientConfig(): Promise<ClientConfig>;
}

const BOTS_PER_PAGE = 200;

/** Client4 with its transport swapped for ours; everything else (routes, headers) is Client4's. */
class RoutedClient4 extends Client4 {
  constructor(private readonly transport: <T>(url: string, options: Options) => Promise<T>) {
    super();
  }

  protected override doFetch = <T>(url: string, options: Options): Promise<T> =>
    this.transport<T>(url, this.getOptions(options));

  getBotIncludingDeleted(botUserId: string): Promise<Bot> {
    return this.doFetch<Bot>(`${this.getBotRoute(botUserId)}?include_deleted=true`, { method: 'get' });
  }
}

export function createMattermostApi(opts: MattermostApiOptions): MattermostApi {
  const url = normaliseSiteUrl(opts.url);
  const token = opts.token;
  // A token with whitespace or control characters would make fetch throw a TypeError quoting the header value.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new Error('Mattermost token is empty or contains whitespace or control characters');
  }
  const policy: RetryPolicy =
    opts.retry === false ? { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 } : { ...DEFAULT_RETRY_POLICY, ...opts.retry };

  const transport = <T>(requestUrl: string, init: Options): Promise<T> =>
    sendWithRetry<T>(requestUrl, init, policy, [token], opts.onRetry, opts.sleep ?? sleep);
  const client = new RoutedClient4(transport);
  client.setUrl(url);
  client.setToken(token);
  client.setIncludeCookies(false);
  if (opts.userAgent) client.setUserAgent(opts.userAgent);

  const enc = encodeURIComponent;
  return {
    url,
    client,
    ping: () => client.ping(false),
    getMe: () => client.getMe(),
    getUser: (id) => client.getUser(enc(id)),
    // Client4 does not encode these path segments: an email's "+" or a stray "/" would change the route.
    getUserByUsername: (username) => client.getUserByUsername(enc(username)),
    getUserByEmail: (email) => client.getUserByEmail(enc(email)),
    getUsersByIds: (ids) => client.getProfilesByIds(ids),
    getTeamByName: (name) => client.getTeamByName(enc(name)),
    getTeamsForUser: (userId) => client.getTeamsForUser(enc(userId)),
    addToTeam: (teamId, userId) => client.addToTeam(teamId, userId),
    getChannel: (id) => client.getChannel(enc(id)),
    getChannelByName: (teamName, channelName) => client.getChannelByNameAndTeamName(enc(teamName), enc(channelName)),
    addToChannel: (userId, channelId) => client.addToChannel(userId, enc(channelId)),
    getChannelMember: (channelId, userId) => client.getChannelMember(enc(channelId), enc(userId)),
    async removeFromChannel(userId, channelId) {
      await client.removeFromChannel(enc(userId), enc(channelId));
    },
    createDirectChannel: (a, b) => client.createDirectChannel([a, b]),
    createPost: (post) =>
      client.createPost({ ...post, pending_post_id: post.pending_post_id ?? `${randomUUID()}:${Date.now()}` }),
    getPost: (postId) => client.getPost(enc(postId)),
    getChannelPosts: (channelId, page, perPage) => client.getPosts(enc(channelId), page, perPage, false),
    updatePost: (post) => client.updatePost(post as Post),
    patchPost: (postId, patch) => client.patchPost({ ...patch, id: enc(postId) }),
    async pinPost(postId) {
      await client.pinPost(enc(postId));
    },
    async getBots(o = {}) {
      const all: Bot[] = [];
      for (let page = 0; ; page++) {
        const batch = o.includeDeleted
          ? await client.getBotsIncludeDeleted(page, BOTS_PER_PAGE)
          : await client.getBots(page, BOTS_PER_PAGE);
        all.push(...batch);
        if (batch.length < BOTS_PER_PAGE) return all;
      }
    },
    getBot: (id, o = {}) => (o.includeDeleted ? client.getBotIncludingDeleted(enc(id)) : client.getBot(enc(id))),
    createBot: (bot) => client.createBot(bot),
    patchBot: (id, patch) => client.patchBot(enc(id), patch),
    enableBot: (id) => client.enableBot(enc(id)),
    async updateUserRoles(userId, roles) {
      await client.updateUserRoles(enc(userId), roles.join(' '));
    },
    createUserAccessToken: (userId, description) => client.createUserAccessToken(enc(userId), description),
    getUserAccessTokens: (userId) => client.getUserAccessTokensForUser(enc(userId), 0, 200),
    getConfig: () => client.getConfig(),
    getClientConfig: () => client.getClientConfig(),
  };
}

/** Accepts http(s) site URLs; drops a trailing slash or /api/v4 (Client4 appends /api/v4 itself). */
export function normaliseSiteUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`Mattermost URL is not a valid URL: ${describeValue(raw)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Mattermost URL must start with http:// or https://, got ${describeValue(raw)}`);
  }
  if (parsed.username || parsed.password) {
    throw new Error(`Mattermost URL must not carry credentials: give ${JSON.stringify(withoutUserInfo(`${parsed.origin}${parsed.pathname}`))} and put the token in MATTERMOST_TOKEN`);
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
}

/** Thrown inside the retry loop; carries the raw failure until we turn it into a MattermostApiError. */
class AttemptFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind === 'http' ? `HTTP ${failure.status}` : failure.code);
  }
}

async function sendWithRetry<T>(
  requestUrl: string,
  init: Options,
  policy: RetryPolicy,
  secrets: readonly string[],
  onRetry: ((event: RetryEvent) => void) | undefined,
  wait: (ms: number) => Promise<void>,
): Promise<T> {
  const method = (init.method ?? 'GET').toUpperCase();
  const path = new URL(requestUrl).pathname;
  const retrySafe = isRetrySafe(method, path, init.body);
  let attempts = 0;
  try {
    return await backOff(
      async () => {
        attempts++;
        return await sendOnce<T>(requestUrl, { ...init, method }, policy.requestTimeoutMs);
      },
      {
        numOfAttempts: Math.max(1, policy.maxAttempts),
        startingDelay: policy.baseDelayMs,
        timeMultiple: 2,
        maxDelay: policy.maxDelayMs,
        jitter: 'full',
        retry: async (err: unknown, nextAttempt: number) => {
          if (!(err instanceof AttemptFailed) || init.signal?.aborted) return false;
          const decision = decideRetry(err.failure, retrySafe);
          if (!decision.retry || decision.waitAtLeastMs > policy.maxRetryAfterMs) return false;
          if (nextAttempt >= policy.maxAttempts) return false;
          onRetry?.({
            method,
            path,
            attempt: nextAttempt,
            status: err.failure.kind === 'http' ? err.failure.status : 0,
            waitAtLeastMs: decision.waitAtLeastMs,
          });
          // The server's pause comes first; backOff then adds its own jittered step on top.
          if (decision.waitAtLeastMs > 0) await wait(decision.waitAtLeastMs);
          return true;
        },
      },
    );
  } catch (err) {
    if (err instanceof AttemptFailed) throw toApiError(err.failure, { method, path, attempts, secrets, policy });
    throw err;
  }
}

async function sendOnce<T>(requestUrl: string, init: Options, timeoutMs: number): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(requestUrl, { ...init, signal } as RequestInit);
    text = await response.text();
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new AttemptFailed(networkFailure(err, timeout.aborted));
  }
  const data = parseBody(text, response.headers.get('content-type'));
  if (!response.ok) throw new AttemptFailed({ kind: 'http', status: response.status, headers: response.headers, data });
  return data as T;
}

function parseBody(text: string, contentType: string | null): unknown {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' || text === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function networkFailure(err: unknown, timedOut: boolean): Failure {
  if (timedOut) return { kind: 'network', code: 'ETIMEDOUT', notSent: false };
  const cause = (err as { cause?: { code?: unknown; message?: unknown; errors?: { code?: unknown }[] } } | null)?.cause;
  const raw = cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof raw === 'string') return { kind: 'network', code: raw, notSent: isNotSentCode(raw) };
  const detail = typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  return { kind: 'network', code: 'EFETCH', detail, notSent: false };
}

function toApiError(
  failure: Failure,
  ctx: { method: string; path: string; attempts: number; secrets: readonly string[]; policy: RetryPolicy },
): MattermostApiError {
  const scrub = (s: string) => redact(s, ctx.secrets);
  const base = { method: ctx.method, path: scrub(ctx.path), attempts: ctx.attempts };
  if (failure.kind === 'network') {
    const what =
      failure.code === 'ETIMEDOUT'
        ? `no response within ${ctx.policy.requestTimeoutMs} ms`
        : `connection failed (${failure.code}${failure.detail ? `: ${scrub(failure.detail)}` : ''})`;
    return new MattermostApiError({
      ...base,
      status: 0,
      serverErrorId: '',
      serverMessage: what,
      detailedError: '',
      requestId: '',
      networkCode: failure.code,
    });
  }
  const body = failure.data !== null && typeof failure.data === 'object' ? (failure.data as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  let message = str(body.message);
  if (message === '' && typeof failure.data === 'string') message = failure.data.trim().slice(0, 200);
  if (failure.status === 429) {
    const wait = serverWaitHintMs(failure.headers);
    message = `rate limited${message ? ` (${message})` : ''}${wait !== null ? `; server asked to wait ${Math.ceil(wait / 1000)} s` : ''}`;
  }
  return new MattermostApiError({
    ...base,
    status: failure.status,
    serverErrorId: scrub(str(body.id)),
    serverMessage: scrub(message),
    detailedError: scrub(str(body.detailed_error)),
    requestId: str(body.request_id) || (failure.headers.get('x-request-id') ?? ''),
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
