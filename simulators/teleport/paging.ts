/** Pages of a list call as the Auth server hands them out: sorted by name, a page size, an opaque next key. */
import type { TeleportResource } from '../../model/resources';

/** The simulator caps a page at this many items, whatever the client asks (real servers cap pages too). */
const DEFAULT_PAGE = 1000;

export const byName = (a: TeleportResource, b: TeleportResource): number => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

/** One page after `start` (exclusive key: the next page starts at the name after the last one sent). */
export function page<T extends TeleportResource>(sorted: T[], limit: number, start: string): { items: T[]; next: string } {
  const size = limit > 0 ? Math.min(limit, DEFAULT_PAGE) : DEFAULT_PAGE;
  const from = start ? sorted.findIndex((r) => r.metadata.name >= start) : 0;
  const items = from < 0 ? [] : sorted.slice(from, from + size);
  const after = from < 0 ? undefined : sorted[from + size];
  return { items, next: after ? after.metadata.name : '' };
}

