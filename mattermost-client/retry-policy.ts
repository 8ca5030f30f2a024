// When to send a failed request again, and how long to wait first. The backoff itself (exponential, full jitter)
// is exponential-backoff's; this module only classifies failures and reads the server's wait hints.

export interface RetryPolicy {
  /** Total tries per request, the first one included. 1 disables retries. */
  maxAttempts: number;
  /** First backoff step; doubles per retry, with full jitter (a random wait in [0, step]). */
  baseDelayMs: number;
  /** Cap on one backoff step. */
  maxDelayMs: number;
  /** Give up instead of waiting when the server asks for a longer pause than this (Retry-After). */
  maxRetryAfterMs: number;
  /** Per-attempt timeout; a timed-out attempt counts as a connection failure. */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  maxRetryAfterMs: 60_000,
  requestTimeoutMs: 30_000,
};

/** A response that was not 2xx. */
export interface HttpFailure {
  kind: 'http';
  status: number;
  headers: Headers;
  /** Parsed JSON body, or the text when the body was not JSON. */
  data: unknown;
}

/** No response: the connection failed, was reset, or the attempt timed out. */
export interface NetworkFailure {
  kind: 'network';
  /** Error code such as ECONNREFUSED; EFETCH when fetch gave none (e.g. a port fetch refuses to use). */
  code: string;
  /** Extra words from fetch when there is no code. */
  detail?: string;
  /** True when the request surely never reached the server (refused, DNS failure, connect timeout). */
  notSent: boolean;
}

export type Failure = HttpFailure | NetworkFailure;

export type RetryDecision = { retry: false } | { retry: true; waitAtLeastMs: number };

// Error codes that mean the request never left: safe to resend even when the call is not idempotent.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
// Failures after the request may have been sent; worth another try when resending is harmless.
const TRANSIENT_CODES = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function isNotSentCode(code: string): boolean {
  return NOT_SENT_CODES.has(code);
}

/**
 * - 429: always retried. The limiter answers before the request is processed. Wait at least Retry-After
 *   (or X-Ratelimit-Reset, which Mattermost sends as seconds-until-reset, not an epoch).
 * - 5xx and dropped connections: retried when resending is harmless (`retrySafe`). A POST that creates
 *   something may have been applied before the failure, so a resend could duplicate it.
 * - A connection that never opened: always retried. Errors without a known transient code: never.
 * - Any other 4xx: never retried. It will fail the same way again.
 */
export function decideRetry(failure: Failure, retrySafe: boolean): RetryDecision {
  if (failure.kind === 'network') {
    // Anything else (a refused port, a malformed request) fails the same way every time.
    if (!TRANSIENT_CODES.has(failure.code)) return { retry: false };
    return failure.notSent || retrySafe ? { retry: true, waitAtLeastMs: 0 } : { retry: false };
  }
  if (failure.status === 429) return { retry: true, waitAtLeastMs: serverWaitHintMs(failure.headers) ?? 0 };
  if (failure.status >= 500 && retrySafe) return { retry: true, waitAtLeastMs: 0 };
  return { retry: false };
}

/** Retry-After (seconds or an HTTP date), else X-Ratelimit-Reset (seconds), in milliseconds. */
export function serverWaitHintMs(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null && reset.trim() !== '') {
    const seconds = Number(reset);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return null;
}

/**
 * Whether resending after an ambiguous failure is harmless. Reads and PUTs are; so are the POSTs the server
 * treats as get-or-create or deduplicates: direct channels, team membership, bot enable/disable, user lookups
 * by id, and posts carrying a pending_post_id (the server returns the first post for 30 s).
 * Creating a bot or a token is not.
 */
export function isRetrySafe(method: string, path: string, body: unknown): boolean {
  if (method !== 'POST') return true;
  if (/\/api\/v4\/(channels\/direct|users\/ids|users\/usernames|teams\/[^/]+\/members|bots\/[^/]+\/(enable|disable))$/.test(path)) {
    return true;
  }
  if (/\/api\/v4\/posts$/.test(path) && typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { pending_post_id?: unknown };
      return typeof parsed.pending_post_id === 'string' && parsed.pending_post_id !== '';
    } catch {
      return false;
    }
  }
  return false;
}
