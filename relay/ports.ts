/**
 * The two sides the relay talks to, as the small interfaces the engine needs. The real ones are the
 * Teleport gRPC client (teleport-client/client.ts) and the Mattermost REST client
 * (mattermost-client/client.ts); tests and the benchmark can pass in-memory ones.
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

export interface MmUser {
  id: string;
  username: string;
  email?: string;
}

export interface MmChannel {
  id: string;
  name?: string;
  team_id?: string;
  type?: string;
}

export interface MmPost {
  id: string;
  channel_id: string;
}

export interface MattermostPort {
  getMe(): Promise<MmUser>;
  getUserByEmail(email: string): Promise<MmUser>;
  getUserByUsername(username: string): Promise<MmUser>;
  getChannel(id: string): Promise<MmChannel>;
  getChannelByName(team: string, channel: string): Promise<MmChannel>;
  createDirectChannel(a: string, b: string): Promise<MmChannel>;
  createPost(p: { channel_id: string; message: string; root_id?: string; pending_post_id?: string; props?: Record<string, unknown> }): Promise<MmPost>;
  updatePost(p: { id: string; channel_id: string; message: string; props?: Record<string, unknown> }): Promise<MmPost>;
}
