/**
 * Machine ID (`tbot`) configuration, v2 schema, for a sidecar that keeps the access plugin's identity
 * file renewed in a shared directory. Key names follow Teleport's Machine ID configuration reference and
 * its tbot Helm chart (examples/chart/tbot/templates/_config.tpl).
 */
import { stringify } from 'yaml';

export const TBOT_CONFIG_FILE = 'tbot.yaml';
/** File name of the identity output (tbot's `identity` output writes the identity file under this name). */
export const TBOT_IDENTITY_FILE = 'identity';

export interface TbotConfig {
  /** Teleport Proxy address (host:port) tbot joins through. Exclusive with authServer. */
  readonly proxyServer?: string;
  /** Teleport Auth address (host:3025) instead of a Proxy. */
  readonly authServer?: string;
  /** Join method, e.g. "kubernetes". */
  readonly joinMethod: string;
  /** Name of the Teleport provision token that lets this bot join. */
  readonly token: string;
  /** Directory the identity output is written to. */
  readonly outputDir: string;
  /** Lifetime of issued certificates, e.g. "1h". */
  readonly credentialTtl?: string;
  /** How often certificates are renewed, e.g. "20m" (must be shorter than credentialTtl). */
  readonly renewalInterval?: string;
}

/** tbot.yaml: in-memory bot state, one identity output into `outputDir`. */
export function renderTbotConfig(c: TbotConfig): string {
  const doc: Record<string, unknown> = { version: 'v2' };
  if (c.proxyServer) doc.proxy_server = c.proxyServer;
  if (c.authServer) doc.auth_server = c.authServer;
  doc.onboarding = { join_method: c.joinMethod, token: c.token };
  // memory: nothing to persist, a restarted pod joins again (the kubernetes join method allows it)
  doc.storage = { type: 'memory' };
  if (c.credentialTtl) doc.credential_ttl = c.credentialTtl;
  if (c.renewalInterval) doc.renewal_interval = c.renewalInterval;
  doc.outputs = [{ type: 'identity', destination: { type: 'directory', path: c.outputDir } }];
  return stringify(doc, { lineWidth: 0 });
}
