/** Paging and the per-major fallbacks of model/teleport-versions.ts, shared by the kinds' list(). */
import { TeleportApiError } from '../errors';

/** Page size we ask for; servers may return fewer (Teleport caps pages at its own default). */
export const PAGE_SIZE = 500;
/** A server that keeps answering the same token would loop forever: stop and say so. */
const MAX_PAGES = 100_000;

/** Calls `page` with each next token until the server returns an empty one. */
export async function allPages<T>(method: string, page: (token: string) => Promise<{ items: T[]; next: string }>): Promise<T[]> {
  const out: T[] = [];
  let token = '';
  for (let i = 0; i < MAX_PAGES; i++) {
    const { items, next } = await page(token);
    out.push(...items);
    if (!next) return out;
    if (next === token) throw new TeleportApiError('Unknown', method, `the server returned the same page token ${JSON.stringify(next)} twice`);
    token = next;
  }
  throw new TeleportApiError('Unknown', method, `more than ${MAX_PAGES} pages`);
}

/** Runs `primary`; when the server does not implement it (an older or newer major), runs `fallback`. */
export async function withFallback<T>(primary: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
  try {
    return await primary();
  } catch (err) {
    if (err instanceof TeleportApiError && err.code === 'NotImplemented') return fallback();
    throw err;
  }
}
