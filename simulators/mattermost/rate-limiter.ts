// The server's limiter: throttled's GCRA with RateQuota{MaxRate: PerSec per second, MaxBurst}
// (server/channels/app/ratelimit.go). A key may send MaxBurst+1 requests at once, then one every 1/PerSec s.

export interface RateLimitResult {
  limited: boolean;
  /** X-Ratelimit-Limit: throttled reports MaxBurst + 1. */
  limit: number;
  remaining: number;
  /** Time until the key's bucket is full again (X-Ratelimit-Reset, ceil seconds). */
  resetAfterMs: number;
  /** Time until the next request would be allowed; -1 when not limited (Retry-After, ceil seconds). */
  retryAfterMs: number;
}

export class GcraRateLimiter {
  private readonly emissionMs: number;
  private readonly toleranceMs: number;
  private readonly tat = new Map<string, number>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {
    if (!(perSecond > 0) || !Number.isInteger(burst) || burst < 0) {
      throw new Error('rateLimit needs perSecond > 0 and an integer burst >= 0');
    }
    this.emissionMs = 1000 / perSecond;
    this.toleranceMs = this.emissionMs * (burst + 1);
  }

  take(key: string, now: number): RateLimitResult {
    const stored = this.tat.get(key);
    const tat = stored === undefined || stored < now ? now : stored;
    const newTat = tat + this.emissionMs;
    const allowAt = newTat - this.toleranceMs;
    let limited = false;
    let retryAfterMs = -1;
    let ttl: number;
    // The epsilon absorbs floating-point rounding of (now + emission - tolerance) for a fresh key,
    // which otherwise limits a first request depending on the clock's exact value.
    if (allowAt - now > 1e-6) {
      limited = true;
      retryAfterMs = allowAt - now;
      ttl = tat - now;
    } else {
      this.tat.set(key, newTat);
      ttl = newTat - now;
    }
    const next = this.toleranceMs - ttl;
    const remaining = next > -this.emissionMs ? Math.max(0, Math.floor(next / this.emissionMs)) : 0;
    return { limited, limit: this.burst + 1, remaining, resetAfterMs: ttl, retryAfterMs };
  }
}

/** Header names as Go canonicalises them (header names are case-insensitive anyway). */
export function rateLimitHeaders(r: RateLimitResult): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Ratelimit-Limit': String(r.limit),
    'X-Ratelimit-Remaining': String(r.remaining),
    'X-Ratelimit-Reset': String(Math.ceil(r.resetAfterMs / 1000)),
  };
  if (r.retryAfterMs >= 0) headers['Retry-After'] = String(Math.ceil(r.retryAfterMs / 1000));
  return headers;
}
