/**
 * Teleport as the small interface the engine needs. The real one is the Teleport gRPC client
 * (teleport-client/client.ts); tests and the benchmark can pass in-memory ones. The chat side is the
 * messenger port (relay/messenger.ts).
 */
import type { AccessRequest, WatchHandlers, WatchKindSpec, WatchOptions, Watcher } from '../teleport-client/client';

export interface TeleportPort {
  watch(kinds: (WatchKindSpec | string)[], handlers: WatchHandlers, opts?: WatchOptions): Watcher;
  getAccessRequests(filter?: { id?: string; state?: 'PENDING' }): Promise<AccessRequest[]>;
  /** All "mattermost" plugin data of one request, or of every request when resource is "". */
  getPluginData(f: { resource?: string; plugin?: string }): Promise<{ resource: string; entries: Record<string, Record<string, string>> }[]>;
  updatePluginData(p: { resource: string; plugin: string; set: Record<string, string>; expect?: Record<string, string> }): Promise<void>;
  /** User traits, for access monitoring rule conditions. */
  getUser?(name: string): Promise<{ spec: { traits?: Record<string, string[]> } }>;
}
