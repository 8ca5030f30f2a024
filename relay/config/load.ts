/**
 * Reads the Go plugin's own `teleport-mattermost.toml`, unchanged, with Teleport's defaults and checks
 * (integrations/lib/config.go TeleportConfig, integrations/access/mattermost/config.go,
 * integrations/access/common/config.go + recipient.go, integrations/lib/logger):
 *
 *   [teleport]   addr (default localhost:3025; old alias auth_server), identity, refresh_identity,
 *                refresh_identity_interval (default 1m), client_key + client_crt + root_cas
 *   [mattermost] url, token (a value starting with "/" is a file path), recipients
 *   [role_to_recipients]  role (or "*") = "recipient" or ["recipients"]
 *   [log]        output (default stderr), severity (default info)
 *
 * plus an optional `[relay]` table for what only this relay has (health port, templates, ...). The Go
 * plugin decodes with go-toml's lenient Unmarshal, which ignores tables it does not know, so the same
 * file still works there. Unknown keys are reported as warnings (typos), never as errors, because the
 * Go plugin accepts them too.
 *
 * Every error names its key and, where obvious, the fix; all problems are collected and reported at
 * once. No secret ever appears in an error: the token file path is named, never its content.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parseSeverity, type Severity } from '../log';
import { hostPortProblem } from '../../model/host-port';
import { Reader, TOP_LEVEL, describe, parseGoBool, type Table } from './reader';
import { readMattermostSections } from './mattermost-section';
import { ConfigError, ConfigErrors } from './errors';
import { describeValue } from '../../model/secret-scrub';
import { didYouMean } from '../../model/did-you-mean';
import { Secret } from './secret';

export const DEFAULT_CONFIG_PATH = '/etc/teleport-mattermost.toml';
export const DEFAULT_TELEPORT_ADDR = 'localhost:3025';
export const DEFAULT_LISTEN_ADDR = '0.0.0.0:8080';
/** Teleport's default auth_service.keep_alive_interval: its server accepts pings this often. */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 20_000;

export type TeleportConnectMode = 'auto' | 'direct' | 'proxy';

export interface RelayConfig {
  /** Where the config came from (file path), for messages. */
  source: string;
  teleport: {
    addr: string;
    /** Which key gave the address: "addr", "auth_server" (deprecated) or the default. */
    addrFrom: 'addr' | 'auth_server' | 'default';
    identity?: string;
    refreshIdentity: boolean;
    refreshIdentityIntervalMs: number;
    clientKey?: string;
    clientCrt?: string;
    rootCas?: string;
  };
  mattermost: {
    url: string;
    token: Secret;
    /** Set when `token` named a file. */
    tokenFile?: string;
    recipients: string[];
  };
  /** After Teleport's rule: a non-empty mattermost.recipients replaces this map with {"*": recipients}. */
  roleToRecipients: Record<string, string[]>;
  /** Which TOML key each role's recipients came from, for error messages. */
  recipientKeys: Record<string, string>;
  log: { output: string; severity: Severity };
  relay: {
    /** host:port of /healthz, /readyz, /metrics; null = off. */
    listenAddr: string | null;
    notifyRequester: boolean;
    templatesDir?: string;
    /** Web UI address for links (overrides what Teleport's Ping reports). */
    webProxyAddr?: string;
    resyncIntervalMs: number;
    /** How to reach Teleport: direct mTLS to Auth, TLS routing through a Proxy, or decide by trying. */
    teleportConnect: TeleportConnectMode;
    /** Identifies this replica in plugin-data claims, stable across its restarts; default the host name. */
    instanceId: string;
    /** Requests processed at once. */
    concurrency: number;
    /** gRPC keepalive on the Teleport channel: ping after this much silence, fail after the timeout. */
    keepaliveIntervalMs: number;
    keepaliveTimeoutMs: number;
  };
  /** TELEPORT_PLUGIN_FAIL_FAST: exit on a lost Teleport connection instead of reconnecting. */
  failFast: boolean;
}

export interface ParseOptions {
  source?: string;
  env?: NodeJS.ProcessEnv;
  /** Reads the token file; injectable for tests. */
  readFile?: (path: string) => Buffer;
}

export interface ParsedConfig {
  config: RelayConfig;
  warnings: string[];
}


function listenProblem(addr: string): string | undefined {
  const m = /^(.*):(\d{1,5})$/.exec(addr);
  if (!m || Number(m[2]) > 65535) return 'must be host:port (e.g. "0.0.0.0:8080"), or "" to turn the HTTP endpoints off';
  return undefined;
}

/**
 * Stable across restarts, so a restarted process recognises its own claims (a pod keeps its name when
 * its container restarts); each process start adds a random session to its claims, so the successor
 * knows the claim's holder is dead. Replicas need distinct ids: different pods have different names.
 */
export function defaultInstanceId(): string {
  return os.hostname();
}

/** Parses and checks TOML text; throws ConfigErrors listing every problem. */
export function parseRelayConfig(text: string, opts: ParseOptions = {}): ParsedConfig {
  const source = opts.source ?? '<config>';
  const env = opts.env ?? process.env;
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (e) {
    const where = e instanceof TomlError ? ` at line ${e.line}, column ${e.column}` : '';
    const first = ((e as Error).message ?? '').split('\n')[0];
    throw new ConfigErrors(source, [new ConfigError('config', `is not valid TOML${where}: ${first}`)]);
  }
  const r = new Reader(doc);
  for (const key of Object.keys(doc)) if (!TOP_LEVEL.includes(key)) r.warnings.push(`unknown key ${key} is ignored${didYouMean(key, TOP_LEVEL)}`);

  // [teleport]
  const tp = r.table('teleport');
  const addr = r.string(tp, 'teleport', 'addr') ?? '';
  const authServer = r.string(tp, 'teleport', 'auth_server') ?? '';
  let addrFrom: RelayConfig['teleport']['addrFrom'] = 'default';
  let teleportAddr = DEFAULT_TELEPORT_ADDR;
  if (addr) {
    teleportAddr = addr;
    addrFrom = 'addr';
  } else if (authServer) {
    teleportAddr = authServer;
    addrFrom = 'auth_server';
    r.warnings.push('teleport.auth_server is deprecated, use teleport.addr');
  }
  const addrIssue = hostPortProblem(teleportAddr);
  if (addrIssue) r.errors.push(new ConfigError(`teleport.${addrFrom === 'default' ? 'addr' : addrFrom}`, addrIssue, 'give host:port without a scheme, e.g. "teleport.example.com:443" or "auth.example.com:3025"'));

  // A value pasted here instead of a path counts as given (so no second "no credentials" error).
  const pasted = (key: string) => (typeof tp[key] === 'string' && tp[key] !== '' ? '' : undefined);
  const identity = r.path(tp, 'teleport', 'identity') ?? pasted('identity');
  const clientKey = r.path(tp, 'teleport', 'client_key') ?? pasted('client_key');
  const clientCrt = r.path(tp, 'teleport', 'client_crt') ?? pasted('client_crt');
  const rootCas = r.path(tp, 'teleport', 'root_cas') ?? pasted('root_cas');
  const refreshIdentity = r.bool(tp, 'teleport', 'refresh_identity') ?? false;
  const refreshIntervalMs = r.durationMs(tp, 'teleport', 'refresh_identity_interval') || 60_000;

  const tlsKeys = { client_crt: clientCrt, client_key: clientKey, root_cas: rootCas };
  const provided = Object.entries(tlsKeys).filter(([, v]) => v !== undefined).map(([k]) => `teleport.${k}`);
  const missing = Object.entries(tlsKeys).filter(([, v]) => v === undefined).map(([k]) => `teleport.${k}`);
  if (provided.length > 0 && provided.length < 3) {
    r.errors.push(new ConfigError(missing[0], `${provided.join(', ')} ${provided.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`, 'give all three files of `tctl auth sign --format=tls`, or use teleport.identity'));
  }
  if (identity !== undefined && provided.length > 0) {
    r.errors.push(new ConfigError('teleport.identity', `cannot be combined with ${provided.join(', ')}`, 'keep either the identity file or the three TLS files'));
  }
  if (identity === undefined && provided.length === 0) {
    // A misspelt key (`identitty`) is the usual reason: name it in the error it causes.
    const typo = r.warnings.find((w) => w.startsWith('unknown key teleport.'));
    r.errors.push(new ConfigError('teleport', `no credentials configured${typo ? `: ${typo.replace(/^unknown key (\S+) is ignored/, '$1 was ignored as an unknown key')}` : ''}`, 'set teleport.identity to an identity file (`tctl auth sign --format=file` or tbot), or all of client_key, client_crt and root_cas'));
  }
  if (refreshIdentity && identity === undefined) r.errors.push(new ConfigError('teleport.refresh_identity', 'requires teleport.identity to be set'));

  const { url, token, tokenFile, recipients, roleToRecipients: finalMap, recipientKeys: finalKeys } = readMattermostSections(r, doc, opts.readFile ?? fs.readFileSync);

  // [log]
  const lg = r.table('log');
  const output = r.string(lg, 'log', 'output') || 'stderr';
  const severityText = r.string(lg, 'log', 'severity') ?? 'info';
  let severity = parseSeverity(severityText);
  if (!severity) {
    r.errors.push(new ConfigError('log.severity', `unknown severity ${describeValue(severityText)}`, 'use one of info, warn, error, debug'));
    severity = 'info';
  }

  // [relay] (ours only)
  const rl = r.table('relay');
  const listenRaw = r.string(rl, 'relay', 'listen_addr');
  const listenAddr = listenRaw === undefined ? DEFAULT_LISTEN_ADDR : listenRaw === '' || listenRaw === 'off' ? null : listenRaw;
  if (listenAddr) {
    const p = listenProblem(listenAddr);
    if (p) r.errors.push(new ConfigError('relay.listen_addr', p));
  }
  const webProxyAddr = r.string(rl, 'relay', 'web_proxy_addr') || undefined;
  const connect = (r.string(rl, 'relay', 'teleport_connect') ?? 'auto') as TeleportConnectMode;
  if (!['auto', 'direct', 'proxy'].includes(connect)) r.errors.push(new ConfigError('relay.teleport_connect', `must be "auto", "direct" or "proxy", got ${describeValue(connect)}`));
  const concurrency = rl.concurrency === undefined ? 64 : rl.concurrency;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) r.errors.push(new ConfigError('relay.concurrency', `must be a positive integer, got ${describe(concurrency)}`));

  const notifyRequester = r.bool(rl, 'relay', 'notify_requester') ?? false;
  const templatesDir = r.path(rl, 'relay', 'templates_dir') || undefined;
  const resyncIntervalMs = r.durationMs(rl, 'relay', 'resync_interval') ?? 5 * 60_000;
  const instanceId = r.string(rl, 'relay', 'instance_id') || defaultInstanceId();
  // Teleport's Auth answers pings more frequent than its keep_alive_interval (default 5m) with GOAWAY.
  const keepaliveIntervalMs = r.durationMs(rl, 'relay', 'keepalive_interval') ?? DEFAULT_KEEPALIVE_INTERVAL_MS;
  const keepaliveTimeoutMs = r.durationMs(rl, 'relay', 'keepalive_timeout') ?? DEFAULT_KEEPALIVE_TIMEOUT_MS;
  if (keepaliveIntervalMs < 1000) r.errors.push(new ConfigError('relay.keepalive_interval', `must be at least 1s, got ${keepaliveIntervalMs} ms`, 'use e.g. "5m" (Teleport\'s auth_service.keep_alive_interval)'));
  if (keepaliveTimeoutMs < 1000) r.errors.push(new ConfigError('relay.keepalive_timeout', `must be at least 1s, got ${keepaliveTimeoutMs} ms`, 'use e.g. "20s"'));

  // Environment
  let failFast = false;
  const ff = env.TELEPORT_PLUGIN_FAIL_FAST;
  if (ff !== undefined && ff !== '') {
    const b = parseGoBool(ff);
    if (b === undefined) r.errors.push(new ConfigError('TELEPORT_PLUGIN_FAIL_FAST', `must be a boolean (true/false/1/0), got ${describeValue(ff)}`));
    else failFast = b;
  }

  const config: RelayConfig = {
    source,
    teleport: { addr: teleportAddr, addrFrom, identity, refreshIdentity, refreshIdentityIntervalMs: refreshIntervalMs, clientKey, clientCrt, rootCas },
    mattermost: { url, token: new Secret(token), tokenFile, recipients },
    roleToRecipients: finalMap,
    recipientKeys: finalKeys,
    log: { output, severity },
    relay: {
      listenAddr,
      notifyRequester,
      templatesDir,
      webProxyAddr,
      resyncIntervalMs,
      teleportConnect: connect,
      instanceId,
      concurrency: concurrency as number,
      keepaliveIntervalMs,
      keepaliveTimeoutMs,
    },
    failFast,
  };
  // The warnings go with the errors (a typo explains many an error), and so does what could be read,
  // so check-config can go on checking the files it names and report everything at once.
  if (r.errors.length > 0) throw new ConfigErrors(source, r.errors, r.warnings, config);
  return { warnings: r.warnings, config };
}

/** Reads and parses the config file; a missing or unreadable file is a ConfigErrors too. */
export function loadRelayConfig(path: string, opts: Omit<ParseOptions, 'source'> = {}): ParsedConfig {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigErrors(path, [new ConfigError('config', `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'pass --config with the path of teleport-mattermost.toml')]);
  }
  return parseRelayConfig(text, { ...opts, source: path });
}
