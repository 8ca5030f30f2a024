/**
 * WatchEvents streams: request encoding, event decoding, and an optional reconnect loop.
 *
 * The server sends an INIT event first (with a WatchStatus naming the confirmed kinds; very old
 * servers send INIT with no resource), then PUT events carrying the resource and DELETE events
 * carrying only a ResourceHeader. A stream can end at any time (Auth restart, load balancer,
 * UNAVAILABLE); with `reconnect` the watcher opens a new stream after a backoff and the caller gets
 * a fresh onInit, after which it should re-read whatever it may have missed.
 */
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { RoleResource, UserResource } from '../model/resources';
import { AccessRequest, Pb, accessRequestFromPb, roleFromPb, userFromPb } from './convert';
import { TeleportApiError } from './errors';

export interface WatchKindSpec {
  kind: 'access_request' | 'role' | 'user' | (string & {});
  /** Only events for this resource name. */
  name?: string;
  /** access_request keys: id, user, state (e.g. {state: 'PENDING'}). */
  filter?: Record<string, string>;
  subKind?: string;
}

export type WatchEvent =
  | { type: 'PUT'; kind: 'access_request'; request: AccessRequest }
  | { type: 'PUT'; kind: 'role'; role: RoleResource }
  | { type: 'PUT'; kind: 'user'; user: UserResource }
  | { type: 'DELETE'; kind: string; name: string };

export interface WatchHandlers {
  /** The stream is live; `kinds` are the kinds the server confirmed. Called again after each reconnect. */
  onInit?(kinds: WatchKindSpec[]): void;
  onEvent(event: WatchEvent): void;
  /** The stream failed; `willRetry` tells whether the watcher reconnects. */
  onError?(err: TeleportApiError, willRetry: boolean): void;
}

export interface WatchOptions {
  /** Reconnect after errors with exponential backoff (default off). */
  reconnect?: boolean | { minDelayMs?: number; maxDelayMs?: number };
}

export interface Watcher {
  /** Resolves at the first INIT; rejects if the first stream fails and reconnect is off. */
  readonly initialized: Promise<void>;
  close(): void;
}

export function watchKindToPb(k: WatchKindSpec | string): Pb {
  const spec = typeof k === 'string' ? { kind: k } : k;
  return { Kind: spec.kind, Name: spec.name ?? '', Filter: { ...(spec.filter ?? {}) }, SubKind: spec.subKind ?? '', LoadSecrets: false };
}

function watchKindFromPb(pb: Pb): WatchKindSpec {
  const filter = (pb.Filter ?? {}) as Record<string, string>;
  return {
    kind: String(pb.Kind),
    ...(pb.Name ? { name: String(pb.Name) } : {}),
    ...(Object.keys(filter).length > 0 ? { filter: { ...filter } } : {}),
    ...(pb.SubKind ? { subKind: String(pb.SubKind) } : {}),
  };
}

/** Decodes one non-INIT event; undefined for resources this client does not model. */
export function eventFromPb(pb: Pb): WatchEvent | undefined {
  if (pb.Type === 'DELETE') {
    const h = (pb.ResourceHeader ?? {}) as Pb;
    return { type: 'DELETE', kind: String(h.Kind ?? ''), name: String(((h.Metadata ?? {}) as Pb).Name ?? '') };
  }
  switch (pb.Resource) {
    case 'AccessRequest':
      return { type: 'PUT', kind: 'access_request', request: accessRequestFromPb(pb.AccessRequest) };
    case 'Role':
      return { type: 'PUT', kind: 'role', role: roleFromPb(pb.Role) };
    case 'User':
      return { type: 'PUT', kind: 'user', user: userFromPb(pb.User) };
    default:
      return undefined;
  }
}

/** Opens one WatchEvents stream; provided by the client so it can pick the current channel. */
export type OpenStream = () => Promise<{ stream: ClientReadableStream<Pb>; release: () => void }>;

export function startWatcher(open: OpenStream, handlers: WatchHandlers, opts: WatchOptions = {}): Watcher {
  const rc = opts.reconnect === true ? {} : opts.reconnect || undefined;
  const minDelay = rc?.minDelayMs ?? 250;
  const maxDelay = rc?.maxDelayMs ?? 30_000;
  let closed = false;
  let delay = minDelay;
  let current: ClientReadableStream<Pb> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let resolveInit!: () => void;
  let rejectInit!: (e: unknown) => void;
  const initialized = new Promise<void>((res, rej) => {
    resolveInit = res;
    rejectInit = rej;
  });
  initialized.catch(() => undefined);

  const fail = (err: TeleportApiError) => {
    if (closed) return;
    const willRetry = !!rc;
    handlers.onError?.(err, willRetry);
    if (!willRetry) {
      rejectInit(err);
      return;
    }
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, maxDelay);
  };

  const connect = async () => {
    if (closed) return;
    let opened;
    try {
      opened = await open();
    } catch (err) {
      fail(TeleportApiError.fromGrpc('WatchEvents', err));
      return;
    }
    const { stream, release } = opened;
    if (closed) {
      stream.cancel();
      release();
      return;
    }
    current = stream;
    let sawInit = false;
    let ended = false;
    const finish = (err?: TeleportApiError) => {
      if (ended) return;
      ended = true;
      release();
      if (current === stream) current = undefined;
      if (!closed) fail(err ?? new TeleportApiError('ConnectionProblem', 'WatchEvents', 'the event stream ended'));
    };
    stream.on('data', (pb: Pb) => {
      if (!sawInit) {
        if (pb.Type !== 'INIT') {
          stream.cancel();
          finish(new TeleportApiError('BadParameter', 'WatchEvents', `expected an INIT event first, got ${String(pb.Type)}`));
          return;
        }
        sawInit = true;
        delay = minDelay;
        const status = (pb.WatchStatus ?? null) as Pb | null;
        const kinds = Array.isArray(((status?.Spec ?? {}) as Pb).Kinds) ? (((status!.Spec as Pb).Kinds as Pb[]).map(watchKindFromPb)) : [];
        handlers.onInit?.(kinds);
        resolveInit();
        return;
      }
      const event = eventFromPb(pb);
      if (event) handlers.onEvent(event);
    });
    stream.on('error', (err) => finish(TeleportApiError.fromGrpc('WatchEvents', err)));
    stream.on('end', () => finish());
  };

  void connect();
  return {
    initialized,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      current?.cancel();
      rejectInit(new TeleportApiError('Canceled', 'WatchEvents', 'the watcher was closed'));
    },
  };
}
