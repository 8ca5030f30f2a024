/**
 * In-memory Teleport and messenger for engine tests that need exact control: a Teleport whose list
 * can lag behind its direct reads (as a list taken before an event does), plugin data that outlives
 * its request (as in Teleport), and a messenger without any deduplication window (Mattermost after a
 * restart, or across its HA nodes), which counts every post.
 */
import { TeleportApiError, type AccessRequest } from '../../teleport-client/client';
import { Engine } from '../../relay/engine';
import { silentLogger } from '../../relay/log';
import { Messages } from '../../relay/messages';
import { createMetrics } from '../../relay/metrics';
import type { Destination, Messenger, PostRef } from '../../relay/messenger';
import type { TeleportPort } from '../../relay/ports';

export class MemTeleport implements TeleportPort {
  readonly requests = new Map<string, AccessRequest>();
  readonly data = new Map<string, Record<string, string>>();
  /** When set, the list call returns this instead of the live requests (a stale snapshot). */
  listOverride?: AccessRequest[];
  /** When set, plugin-data reads wait for it (keeps a job running while the test queues events). */
  hold?: Promise<void>;

  watch(): never {
    throw new Error('not used');
  }

  async getAccessRequests(f: { id?: string } = {}): Promise<AccessRequest[]> {
    if (f.id) {
      const r = this.requests.get(f.id);
      return r ? [structuredClone(r)] : [];
    }
    return structuredClone(this.listOverride ?? [...this.requests.values()]);
  }

  async getPluginData(f: { resource?: string }): Promise<{ resource: string; entries: Record<string, Record<string, string>> }[]> {
    await this.hold;
    const out = [];
    for (const [id, d] of this.data) if ((!f.resource || f.resource === id) && Object.keys(d).length > 0) out.push({ resource: id, entries: { mattermost: { ...d } } });
    return out;
  }

  async updatePluginData(p: { resource: string; set: Record<string, string>; expect?: Record<string, string> }): Promise<void> {
    // As lib/services/local/plugin_data.go: creating needs the request, updating does not.
    if (!this.data.has(p.resource) && !this.requests.has(p.resource)) throw new TeleportApiError('NotFound', 'UpdatePluginData', 'no such request');
    const cur = this.data.get(p.resource) ?? {};
    for (const [k, v] of Object.entries(p.expect ?? {})) if ((cur[k] ?? '') !== v) throw new TeleportApiError('CompareFailed', 'UpdatePluginData', `expectations not met for ${k}`);
    const next = { ...cur };
    for (const [k, v] of Object.entries(p.set)) {
      if (v === '') delete next[k];
      else next[k] = v;
    }
    this.data.set(p.resource, next);
  }
}

export interface MemPost {
  address: string;
  postId: string;
  rootId?: string;
  text: string;
  marker: string;
}

export class MemMessenger implements Messenger {
  readonly name = 'mattermost';
  readonly displayName = 'Memory';
  readonly posts: MemPost[] = [];
  private n = 0;
  /** Called before each post is stored (a test can throw to simulate a fault, after storing: `afterPost`). */
  afterPost?: (p: MemPost) => void;

  isRecipient(): boolean {
    return true;
  }

  personalRecipient(user: string): string | undefined {
    return user;
  }

  async lookupRecipient(raw: string): Promise<Destination> {
    return { raw, kind: 'channel', address: `ch-${raw.replace(/[^a-z0-9]/gi, '')}` };
  }

  private store(p: Omit<MemPost, 'postId'>): PostRef {
    const post = { ...p, postId: `p${++this.n}` };
    this.posts.push(post);
    this.afterPost?.(post);
    return { address: post.address, postId: post.postId };
  }

  async postRequest(p: { to: string; text: string; marker: string }): Promise<PostRef> {
    return this.store({ address: p.to, text: p.text, marker: p.marker });
  }

  async replyInThread(p: { root: PostRef; text: string; marker: string }): Promise<PostRef> {
    return this.store({ address: p.root.address, rootId: p.root.postId, text: p.text, marker: p.marker });
  }

  async updatePost(p: { post: PostRef; text: string }): Promise<void> {
    const post = this.posts.find((x) => x.postId === p.post.postId);
    if (post) post.text = p.text;
  }

  async findPost(p: { to: string; marker: string }): Promise<PostRef | undefined> {
    const post = this.posts.find((x) => x.address === p.to && x.marker === p.marker);
    return post && { address: post.address, postId: post.postId };
  }

  isPermanentError(): boolean {
    return false;
  }

  roots(): MemPost[] {
    return this.posts.filter((p) => !p.rootId && p.marker.endsWith('/root'));
  }

  replies(): MemPost[] {
    return this.posts.filter((p) => p.rootId);
  }
}

export function memEngine(tp: MemTeleport, mm: MemMessenger, o: { instanceId?: string; session?: string; leaseMs?: number } = {}): Engine {
  return new Engine({
    teleport: tp,
    messenger: mm,
    messages: new Messages(),
    roleToRecipients: { dbadmin: ['alice@example.com', 'myteam/access'] },
    instanceId: o.instanceId ?? 'relay-1',
    session: o.session,
    leaseMs: o.leaseMs ?? 60_000,
    backoff: { minMs: 5, maxMs: 20 },
    log: silentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
  });
}

export function pendingRequest(id: string, over: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id,
    user: 'bob@example.com',
    roles: ['dbadmin'],
    state: 'PENDING',
    reason: 'fix the database',
    created: new Date().toISOString(),
    thresholds: [{ approve: 2, deny: 1 }],
    role_threshold_mapping: { dbadmin: { sets: [{ indexes: [0] }] } },
    reviews: [],
    suggested_reviewers: [],
    system_annotations: {},
    resolve_annotations: {},
    ...over,
  };
}

export const review = (author: string, state: 'APPROVED' | 'DENIED' = 'APPROVED') => ({ author, state, threshold_indexes: [0], created: new Date().toISOString() });
