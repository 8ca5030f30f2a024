import { AppError, invalidBodyParam } from './app-error';
import type { MattermostSimulatorSettings } from './settings';
import type { SimCredential, SimStore, SimUser } from './store';

export interface RequestContext {
  store: SimStore;
  settings: MattermostSimulatorSettings;
  params: Record<string, string>;
  query: URLSearchParams;
  rawBody: string;
  /** The session's user; null on routes that do not need one when no valid token was sent. */
  user: SimUser | null;
  credential: SimCredential | null;
  /** The rate limiter's settings, or null when rate limiting is off (RateLimitSettings.Enable=false). */
  rateLimit: { perSecond: number; burst: number; varyByUser: boolean } | null;
}

export interface SessionContext extends RequestContext {
  user: SimUser;
  credential: SimCredential;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  segments: string[];
  /** "session" routes answer 401 without a valid token (APISessionRequired); "public" ones serve anyone (APIHandler). */
  auth: 'session' | 'public';
  handler: (ctx: RequestContext) => HandlerResult;
}

export function sessionRoute(method: string, pattern: string, handler: (ctx: SessionContext) => HandlerResult): Route {
  return { method, segments: split(pattern), auth: 'session', handler: handler as (ctx: RequestContext) => HandlerResult };
}

export function publicRoute(method: string, pattern: string, handler: (ctx: RequestContext) => HandlerResult): Route {
  return { method, segments: split(pattern), auth: 'public', handler };
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | null;

/** First route whose pattern and method match; literal segments are listed before parameter routes. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let segments: string[];
  try {
    segments = split(path).map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
  let pathMatched = false;
  for (const route of routes) {
    const params = matchSegments(route.segments, segments);
    if (!params) continue;
    if (route.method !== method) {
      pathMatched = true;
      continue;
    }
    return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : null;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) params[p.slice(1)] = a;
    else if (p !== a) return null;
  }
  return params;
}

/** Go's json.Decoder into a struct: a missing, empty or malformed body is "invalid or missing {name}". */
export function jsonBody(ctx: RequestContext, name: string): unknown {
  if (ctx.rawBody.trim() === '') throw invalidBodyParam(name);
  try {
    return JSON.parse(ctx.rawBody) as unknown;
  } catch {
    throw invalidBodyParam(name);
  }
}

export function jsonObjectBody(ctx: RequestContext, name: string): Record<string, unknown> {
  const body = jsonBody(ctx, name);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidBodyParam(name);
  return body as Record<string, unknown>;
}

/** A field Go would decode into a string: absent is "", any other JSON type fails the whole decode. */
export function stringField(body: Record<string, unknown>, field: string, bodyName: string): string {
  const v = body[field];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidBodyParam(bodyName);
  return v;
}

export function ok(body: unknown, status = 200): HandlerResult {
  return { status, body };
}

export const statusOK = (): HandlerResult => ok({ status: 'OK' });

export { AppError };
