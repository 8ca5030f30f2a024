// The one error type our Mattermost code throws. It carries what a caller needs to decide (HTTP status and the
// server's error id) and never the bearer token: the server can echo a token in detailed_error (developer mode
// puts "token=<value>" there), so every server-supplied string is scrubbed before it is stored.

import { scrubSecrets } from '../model/secret-scrub';

export interface MattermostApiErrorDetails {
  /** HTTP status; 0 when no response arrived (connection failure or timeout). */
  status: number;
  /** The AppError id, e.g. "api.context.session_expired.app_error"; "" when the body had none (plain-text 429). */
  serverErrorId: string;
  /** The server's (translated) message, or a description of the connection failure. */
  serverMessage: string;
  /** detailed_error, only filled when the server runs with EnableDeveloper. */
  detailedError: string;
  /** X-Request-Id of the last response, for matching server logs. */
  requestId: string;
  method: string;
  /** Request path, e.g. /api/v4/users/me (no query string). */
  path: string;
  /** How many times the request was sent. */
  attempts: number;
  /** Connection-level error code such as ECONNREFUSED, when status is 0. */
  networkCode?: string;
}

export class MattermostApiError extends Error {
  readonly status: number;
  readonly serverErrorId: string;
  readonly serverMessage: string;
  readonly detailedError: string;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly networkCode: string | undefined;

  constructor(details: MattermostApiErrorDetails) {
    super(describe(details));
    this.name = 'MattermostApiError';
    this.status = details.status;
    this.serverErrorId = details.serverErrorId;
    this.serverMessage = details.serverMessage;
    this.detailedError = details.detailedError;
    this.requestId = details.requestId;
    this.method = details.method;
    this.path = details.path;
    this.attempts = details.attempts;
    this.networkCode = details.networkCode;
  }

  /** True for 401: the token is unknown, revoked, or belongs to a deactivated user. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

function describe(d: MattermostApiErrorDetails): string {
  const tries = d.attempts > 1 ? ` after ${d.attempts} attempts` : '';
  if (d.status === 0) return `Mattermost ${d.method} ${d.path} failed${tries}: ${d.serverMessage}`;
  const id = d.serverErrorId ? ` ${d.serverErrorId}` : '';
  const message = d.serverMessage ? `: ${d.serverMessage}` : '';
  return `Mattermost ${d.method} ${d.path} returned ${d.status}${id}${message}${tries}`;
}

/**
 * Replaces every occurrence of each secret, whatever its length (a short test token echoed by the server
 * too), plus anything the model's scrubber recognises (PEM blocks, URL user-info, registered secrets).
 */
export function redact(text: string, secrets: readonly string[]): string {
  return scrubSecrets(text, secrets);
}
