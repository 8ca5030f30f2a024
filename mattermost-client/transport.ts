/**
 * The HTTP transport under the Mattermost client for the relay: a fetch-compatible function on
 * node:http(s) with a keep-alive agent. The Mattermost client (Client4 routes and headers, our retry
 * policy and errors) is unchanged; only the bytes go through here instead of the global fetch.
 *
 * Why: every root post and update is one request, four or more per access request. Node's fetch
 * (undici plus web streams and an AbortSignal per call) costs about 0.5-0.75 ms of CPU per request on
 * loopback; node:http with a kept-alive socket a fraction of that, which is what lets one relay keep up
 * with hundreds of requests per second (see bench/relay.bench.ts).
 *
 * It does what the Mattermost client needs from fetch: method, headers, string body, abort signal,
 * status, headers and text (or JSON) of the answer, and redirects (307/308 for any method, 301/302/303 for
 * GET). Connection errors reject with a TypeError whose `cause` carries the Node error code, as
 * undici's fetch does, so the client's retry policy classifies them the same way.
 */
import * as http from 'node:http';
import * as https from 'node:https';

const MAX_REDIRECTS = 5;

/** Read-only header access over node's lower-cased header object (what Headers.get offers). */
class LiteHeaders {
  constructor(private readonly h: http.IncomingHttpHeaders) {}

  get(name: string): string | null {
    const v = this.h[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }

  has(name: string): boolean {
    return this.h[name.toLowerCase()] !== undefined;
  }

  forEach(fn: (value: string, key: string) => void): void {
    for (const [k, v] of Object.entries(this.h)) if (v !== undefined) fn(Array.isArray(v) ? v.join(', ') : v, k);
  }
}

/**
 * The part of Response the Mattermost client and the gate use (status, ok, headers.get, text, json),
 * without building a web ReadableStream per answer: the body is already in memory.
 */
class LiteResponse {
  readonly headers: LiteHeaders;
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  private used = false;

  constructor(
    readonly status: number,
    headers: http.IncomingHttpHeaders,
    private readonly body: Buffer,
    readonly url: string,
  ) {
    this.headers = new LiteHeaders(headers);
    this.ok = status >= 200 && status < 300;
  }

  get statusText(): string {
    return http.STATUS_CODES[this.status] ?? '';
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.used = true;
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

export interface TransportOptions {
  maxSockets?: number;
  keepAliveMs?: number;
}

export function createHttpTransport(opts: TransportOptions = {}): { fetch: typeof fetch; close(): void } {
  const agentOpts = { keepAlive: true, keepAliveMsecs: opts.keepAliveMs ?? 30_000, maxSockets: opts.maxSockets ?? 32, maxFreeSockets: opts.maxSockets ?? 32, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOpts), 'https:': new https.Agent(agentOpts) };

  const once = (url: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, signal: AbortSignal | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: Buffer }> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const mod = url.protocol === 'https:' ? https : http;
      const req = mod.request(url, { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks) });
        });
        res.on('error', fail);
      });
      function fail(err: Error) {
        signal?.removeEventListener('abort', onAbort);
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: err }));
      }
      function onAbort() {
        req.destroy();
        reject(signal!.reason);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      req.end(body);
    });

  const transportFetch = async (input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1] = {}): Promise<Response> => {
    let url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported protocol ${url.protocol}`);
    let method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    let body = typeof init.body === 'string' || Buffer.isBuffer(init.body) ? init.body : init.body === undefined || init.body === null ? undefined : String(init.body);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    for (let hop = 0; ; hop++) {
      const r = await once(url, method, headers, body, init.signal ?? undefined);
      const location = r.headers.location;
      const redirect = location && hop < MAX_REDIRECTS && (r.status === 307 || r.status === 308 || ((r.status === 301 || r.status === 302 || r.status === 303) && (method === 'GET' || method === 'HEAD')));
      if (redirect) {
        url = new URL(location, url);
        if (r.status === 303) {
          method = 'GET';
          body = undefined;
          delete headers['content-length'];
        }
        continue;
      }
      return new LiteResponse(r.status, r.headers, r.text, url.href) as unknown as Response;
    }
  };

  return {
    fetch: transportFetch as typeof fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
