/**
 * Teleport API errors. The Auth server turns its trace errors into gRPC codes with
 * github.com/gravitational/trace/trail.ToGRPC; TeleportApiError maps them back the way the Go
 * client's trail.FromGRPC does, so callers branch on Teleport's names (NotFound, CompareFailed, …).
 */
import { status } from '@grpc/grpc-js';

export type TeleportErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'AccessDenied'
  | 'CompareFailed'
  | 'BadParameter'
  | 'LimitExceeded'
  | 'ConnectionProblem'
  | 'NotImplemented'
  | 'DeadlineExceeded'
  | 'Canceled'
  | 'Unknown';

/** trail.ToGRPC, the server side: Teleport error name -> gRPC status code. */
export const GRPC_CODE_OF: Record<TeleportErrorCode, status> = {
  NotFound: status.NOT_FOUND,
  AlreadyExists: status.ALREADY_EXISTS,
  AccessDenied: status.PERMISSION_DENIED,
  CompareFailed: status.FAILED_PRECONDITION,
  BadParameter: status.INVALID_ARGUMENT,
  LimitExceeded: status.RESOURCE_EXHAUSTED,
  ConnectionProblem: status.UNAVAILABLE,
  NotImplemented: status.UNIMPLEMENTED,
  DeadlineExceeded: status.DEADLINE_EXCEEDED,
  Canceled: status.CANCELLED,
  Unknown: status.UNKNOWN,
};

/** trail.FromGRPC, the client side. ABORTED is also read as CompareFailed (optimistic locking). */
export function teleportCodeOf(code: number): TeleportErrorCode {
  switch (code) {
    case status.NOT_FOUND:
      return 'NotFound';
    case status.ALREADY_EXISTS:
      return 'AlreadyExists';
    case status.PERMISSION_DENIED:
    case status.UNAUTHENTICATED:
      return 'AccessDenied';
    case status.FAILED_PRECONDITION:
    case status.ABORTED:
      return 'CompareFailed';
    case status.INVALID_ARGUMENT:
      return 'BadParameter';
    case status.RESOURCE_EXHAUSTED:
      return 'LimitExceeded';
    case status.UNAVAILABLE:
      return 'ConnectionProblem';
    case status.UNIMPLEMENTED:
      return 'NotImplemented';
    case status.DEADLINE_EXCEEDED:
      return 'DeadlineExceeded';
    case status.CANCELLED:
      return 'Canceled';
    default:
      return 'Unknown';
  }
}

export class TeleportApiError extends Error {
  constructor(
    readonly code: TeleportErrorCode,
    /** The RPC, e.g. "UpdatePluginData". */
    readonly method: string,
    /** The server's message (Teleport's user message; never contains our credentials). */
    readonly detail: string,
    readonly grpcCode?: number,
  ) {
    super(`Teleport ${method}: ${code}: ${detail}`);
    this.name = 'TeleportApiError';
  }

  static fromGrpc(method: string, err: unknown): TeleportApiError {
    if (err instanceof TeleportApiError) return err;
    const e = err as { code?: number; details?: string; message?: string };
    if (typeof e?.code === 'number') return new TeleportApiError(teleportCodeOf(e.code), method, e.details || e.message || 'no details', e.code);
    return new TeleportApiError('Unknown', method, e?.message ?? String(err));
  }
}

export function isTeleportError(err: unknown, code: TeleportErrorCode): err is TeleportApiError {
  return err instanceof TeleportApiError && err.code === code;
}
