/**
 * One gate in front of every HTTP request the relay sends to Mattermost, retries included, so a rate
 * limit slows the whole relay down instead of each request running into it on its own:
 *
 *  - a 429 pauses every request until the server's Retry-After (or X-Ratelimit-Reset) has passed;
 *  - after a 429 the gate paces requests below what got through in the last second and raises the pace
 *    with every success (additive increase, multiplicative decrease, as TCP does), so a relay behind a
 *    limit settles just under it instead of bouncing off it;
 *  - at most `maxInFlight` requests run at once, and no more than the X-Ratelimit-Remaining of the
 *    latest answer (but at least one), so a burst stops at the edge of the limit instead of past it;
 *    when an answer says nothing remains, the gate starts pacing at the rate the limit allows
 *    (X-Ratelimit-Limit per X-Ratelimit-Reset) before the server has to refuse anything.
 * Without any 429 the gate adds nothing but the in-flight cap.
 *
 * It sits at the fetch level because the Mattermost client (@mattermost/client's Client4 with our
 * retrying transport) sends through the global fetch and retries on its own: wrapping fetch for the
 * Mattermost origin is the one place that sees every attempt and its status and headers.
 */

export interface GateOptions {
  maxInFlight?: number;
  now?: () => number;
}

export class MattermostGate {
  private pausedUntil = 0;
  /** Requests per second while pacing; Infinity = not pacing. */
  private rate = Infinity;
  private nextStart = 0;
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly successes: number[] = [];
  private readonly maxInFlight: number;
  private readonly now: () => number;
  /** X-Ratelimit-Remaining of the latest answer, when the server sends it. */
  private remaining: number | undefined;
  limited = 0;

  constructor(opts: GateOptions = {}) {
    this.maxInFlight = opts.maxInFlight ?? 16;
    this.now = opts.now ?? Date.now;
  }

  /** Mattermost answered 429: nobody sends before `ms` have passed, and the pace drops. */
  pause(ms: number): void {
    const now = this.now();
    this.limited++;
    // One decrease per pause: the other answers of the same burst report the same congestion.
    if (now >= this.pausedUntil) {
      const recent = this.successes.filter((t) => t > now - 1000).length;
      this.rate = Math.max(1, Math.min(this.rate, Math.max(recent, 2)) * 0.7);
    }
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  /** The answer said nothing remains: pace at what the limit allows before a 429 says so. */
  private exhausted(h: { get(name: string): string | null }): void {
    const limit = Number(h.get('x-ratelimit-limit'));
    const reset = Number(h.get('x-ratelimit-reset'));
    const allowed = limit > 0 && reset > 0 ? limit / reset : 1;
    this.rate = Math.max(1, Math.min(this.rate, allowed));
    this.nextStart = Math.max(this.nextStart, this.now() + 1000 / this.rate);
  }

  private limit(): number {
    return this.remaining === undefined ? this.maxInFlight : Math.min(this.maxInFlight, Math.max(1, this.remaining));
  }

  /** Current pace in requests per second (Infinity when not pacing). */
  get pace(): number {
    return this.rate;
  }

  get paused(): boolean {
    return this.now() < this.pausedUntil;
  }

  private succeeded(): void {
    const now = this.now();
    this.successes.push(now);
    while (this.successes.length > 0 && this.successes[0] <= now - 1000) this.successes.shift();
    if (this.rate !== Infinity) {
      this.rate += 1;
      if (this.rate > 500) this.rate = Infinity;
    }
  }

  /** Waits for a free slot, the end of a pause and the next paced start time. */
  private async admit(): Promise<void> {
    while (this.inFlight >= this.limit()) await new Promise<void>((r) => this.waiters.push(r));
    this.inFlight++;
    for (;;) {
      const now = this.now();
      let start = Math.max(now, this.pausedUntil);
      if (this.rate !== Infinity) start = Math.max(start, this.nextStart);
      if (start <= now) break;
      await new Promise((r) => setTimeout(r, start - now));
    }
    if (this.rate !== Infinity) this.nextStart = Math.max(this.now(), this.nextStart) + 1000 / this.rate;
  }

  private release(): void {
    this.inFlight--;
    // Wake as many as may run now (the limit can have grown with the latest answer).
    for (let n = this.limit() - this.inFlight; n > 0 && this.waiters.length > 0; n--) this.waiters.shift()!();
  }

  /** Sends one request through the gate and learns from its answer. */
  async send(send: () => Promise<Response>): Promise<Response> {
    await this.admit();
    try {
      const res = await send();
      const remaining = res.headers.get('x-ratelimit-remaining');
      this.remaining = remaining !== null && remaining.trim() !== '' && Number.isFinite(Number(remaining)) ? Number(remaining) : undefined;
      if (this.remaining === 0 && res.status !== 429) this.exhausted(res.headers);
      if (res.status === 429) this.pause(waitHintMs(res.headers) ?? 1000);
      else if (res.status < 500) this.succeeded();
      return res;
    } finally {
      this.release();
    }
  }
}

/** Retry-After (seconds or HTTP date), else X-Ratelimit-Reset (seconds until reset), in ms. */
function waitHintMs(h: Headers): number | undefined {
  const ra = h.get('retry-after');
  if (ra) {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const d = Date.parse(ra);
    if (!Number.isNaN(d)) return Math.max(0, d - Date.now());
  }
  const reset = Number(h.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
}

type Fetch = typeof fetch;
const gates = new Map<string, { gate: MattermostGate; transport?: Fetch }>();
let original: Fetch | undefined;

function urlOf(input: Parameters<Fetch>[0]): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/**
 * Routes every fetch to `siteUrl` through `gate` (and `transport` instead of the global fetch, when
 * given) until the returned function is called. Several relays in one process (tests) each register
 * their own site URL.
 */
export function installGate(siteUrl: string, gate: MattermostGate, transport?: Fetch): () => void {
  const prefix = siteUrl.replace(/\/+$/, '') + '/';
  if (!original) {
    original = globalThis.fetch;
    const base = original;
    globalThis.fetch = ((input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
      const url = urlOf(input);
      for (const [p, g] of gates) if (url.startsWith(p)) return g.gate.send(() => (g.transport ?? base)(input, init));
      return base(input, init);
    }) as Fetch;
  }
  const entry = { gate, transport };
  gates.set(prefix, entry);
  return () => {
    if (gates.get(prefix) === entry) gates.delete(prefix);
    if (gates.size === 0 && original) {
      globalThis.fetch = original;
      original = undefined;
    }
  };
}
