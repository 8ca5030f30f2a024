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
import { parseDuration } from '../../teleport-client/values';
import { ConfigError, ConfigErrors } from './errors';
import { describeValue, registerSecret, secretKind, withoutUserInfo } from '../../model/secret-scrub';
import { didYouMean } from '../../model/did-you-mean';
import { Secret } from './secret';

export const DEFAULT_CONFIG_PATH = '/etc/teleport-mattermost.toml';
export const DEFAULT_TELEPORT_ADDR = 'localhost:3025';
export const DEFAULT_LISTEN_ADDR = '0.0.0.0:8080';
/** lib.ReadPassword reads at most this many bytes of a token file. */
const TOKEN_FILE_MAX_BYTES = 2000;

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
    /** Identifies this replica in plugin-data claims; default hostname + random suffix. */
    instanceId: string;
    /** Requests processed at once. */
    concurrency: number;
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

type Table = Record<string, unknown>;

const KNOWN: Record<string, readonly string[]> = {
  teleport: ['addr', 'auth_server', 'identity', 'refresh_identity', 'refresh_identity_interval', 'client_key', 'client_crt', 'root_cas'],
  mattermost: ['url', 'token', 'recipients'],
  log: ['output', 'severity'],
  relay: ['listen_addr', 'notify_requester', 'templates_dir', 'web_proxy_addr', 'resync_interval', 'teleport_connect', 'instance_id', 'concurrency'],
};
const TOP_LEVEL = ['teleport', 'mattermost', 'role_to_recipients', 'log', 'relay'];

function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

class Reader {
  readonly errors: ConfigError[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly doc: Table) {}

  table(name: string): Table {
    const t = this.doc[name];
    if (t === undefined) return {};
    if (!isTable(t)) {
      this.errors.push(new ConfigError(name, `must be a table ([${name}]), got ${describe(t)}`));
      return {};
    }
    for (const key of Object.keys(t)) {
      if (KNOWN[name] && !KNOWN[name].includes(key)) this.warnings.push(`unknown key ${name}.${key} is ignored${didYouMean(key, KNOWN[name])}`);
    }
    return t;
  }

  /** A file path; a secret pasted in its place (a PEM identity, a token) is an error naming its kind, not its value. */
  path(t: Table, section: string, key: string): string | undefined {
    const v = this.string(t, section, key);
    if (!v) return undefined;
    const kind = secretKind(v);
    if (kind || v.includes('\n')) {
      this.errors.push(new ConfigError(`${section}.${key}`, `must be a file path, but the value looks like ${kind ?? 'file content (it has line breaks)'}`, 'save it to a file readable only by the relay and give that file\'s path here'));
      return undefined;
    }
    return v;
  }

  string(t: Table, section: string, key: string): string | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      this.errors.push(new ConfigError(`${section}.${key}`, `must be a string, got ${describe(v)}`));
      return undefined;
    }
    return v;
  }

  bool(t: Table, section: string, key: string): boolean | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.errors.push(new ConfigError(`${section}.${key}`, `must be true or false, got ${describe(v)}`));
      return undefined;
    }
    return v;
  }

  /** A Go time.Duration as go-toml decodes it: duration text ("1m30s") or integer nanoseconds. */
  durationMs(t: Table, section: string, key: string): number | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    try {
      let ns: bigint;
      if (typeof v === 'string') ns = parseDuration(v);
      else if (typeof v === 'number' && Number.isInteger(v)) ns = BigInt(v);
      else if (typeof v === 'bigint') ns = v;
      else throw new TypeError(`got ${describe(v)}`);
      if (ns < 0n) throw new TypeError('must not be negative');
      return Number(ns / 1_000_000n);
    } catch (e) {
      this.errors.push(new ConfigError(`${section}.${key}`, `is not a duration: ${(e as Error).message}`, 'use Go syntax such as "1m" or "30s"'));
      return undefined;
    }
  }

  stringList(v: unknown, key: string): string[] | undefined {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    this.errors.push(new ConfigError(key, `must be a string or an array of strings, got ${describe(v)}`));
    return undefined;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  if (typeof v === 'string') return `string ${describeValue(v)}`;
  return `${typeof v} ${JSON.stringify(typeof v === 'bigint' ? v.toString() : v)}`;
}

/** host:port with a non-empty host and a numeric port (what the Go client dials). */
function addrProblem(addr: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(addr)) return 'must be host:port without a scheme';
  const m = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(addr);
  if (!m) return 'must be host:port';
  if (Number(m[2]) < 1 || Number(m[2]) > 65535) return 'has a port out of range';
  return undefined;
}

/** http(s) site URL with a host. */
function urlProblem(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return 'must start with https:// (or http://)';
  try {
    const u = new URL(url);
    if (!u.hostname) return 'has no host';
    if (u.username || u.password) return 'must not contain credentials';
  } catch {
    return 'is not a valid URL';
  }
  return undefined;
}

function listenProblem(addr: string): string | undefined {
  const m = /^(.*):(\d{1,5})$/.exec(addr);
  if (!m || Number(m[2]) > 65535) return 'must be host:port (e.g. "0.0.0.0:8080"), or "" to turn the HTTP endpoints off';
  return undefined;
}

export function defaultInstanceId(): string {
  return `${os.hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
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
  const addrIssue = addrProblem(teleportAddr);
  if (addrIssue) r.errors.push(new ConfigError(`teleport.${addrFrom === 'default' ? 'addr' : addrFrom}`, `${addrIssue}, got ${describeValue(teleportAddr)}`, 'e.g. "teleport.example.com:443" or "auth.example.com:3025"'));

  // A value pasted here instead of a path counts as given (so no second "no credentials" error).
  const pasted = (key: string) => typeof tp[key] === 'string' && tp[key] !== '' ? '' : undefined;
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
    const typo = r.warnings.find((w) => w.startsWith('unknown key teleport.'));
    r.errors.push(new ConfigError('teleport', `no credentials configured${typo ? `: ${typo.replace(/^unknown key (\S+) is ignored/, '$1 was ignored as an unknown key')}` : ''}`, 'set teleport.identity to an identity file (`tctl auth sign --format=file` or tbot), or all of client_key, client_crt and root_cas'));
  }
  if (refreshIdentity && identity === undefined) r.errors.push(new ConfigError('teleport.refresh_identity', 'requires teleport.identity to be set'));

  // [mattermost]
  const mm = r.table('mattermost');
  const url = (r.string(mm, 'mattermost', 'url') ?? '').trim();
  if (!url) r.errors.push(new ConfigError('mattermost.url', 'is required', 'e.g. url = "https://mattermost.example.com"'));
  else {
    const p = urlProblem(url);
    // Never echo user-info (a password or token before "@"), neither in the problem nor in the fix.
    const bare = withoutUserInfo(url);
    const shown = bare === url ? JSON.stringify(url) : 'a URL with credentials';
    if (p) r.errors.push(new ConfigError('mattermost.url', `${p}, got ${shown}`, `e.g. "https://${bare.replace(/^[a-z]+:\/*/i, '')}"${bare === url ? '' : '; the bot token goes in mattermost.token'}`));
  }
  let token = r.string(mm, 'mattermost', 'token') ?? '';
  let tokenFile: string | undefined;
  if (token.startsWith('/')) {
    tokenFile = token;
    try {
      const buf = (opts.readFile ?? fs.readFileSync)(tokenFile);
      token = buf.subarray(0, TOKEN_FILE_MAX_BYTES).toString('utf8').trim();
      if (!token) r.errors.push(new ConfigError('mattermost.token', `the token file ${tokenFile} is empty`));
    } catch (e) {
      token = '';
      r.errors.push(new ConfigError('mattermost.token', `cannot read the token file ${tokenFile} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'mount the bot token there or check its permissions'));
    }
  } else if (!token && mm.token === undefined) {
    r.errors.push(new ConfigError('mattermost.token', 'is required', 'the bot token, or the path of a file holding it (starting with "/")'));
  } else if (!token) {
    r.errors.push(new ConfigError('mattermost.token', 'is empty'));
  }
  registerSecret(token);
  if (token && !/^[\x21-\x7e]+$/.test(token)) r.errors.push(new ConfigError('mattermost.token', 'contains whitespace or control characters'));
  const recipients = mm.recipients === undefined ? [] : r.stringList(mm.recipients, 'mattermost.recipients') ?? [];

  // [role_to_recipients]
  const roleToRecipients: Record<string, string[]> = {};
  const recipientKeys: Record<string, string> = {};
  const rtr = doc.role_to_recipients;
  if (rtr !== undefined) {
    if (!isTable(rtr)) r.errors.push(new ConfigError('role_to_recipients', `must be a table, got ${describe(rtr)}`));
    else
      for (const [role, v] of Object.entries(rtr)) {
        const key = `role_to_recipients.${/^[A-Za-z0-9_-]+$/.test(role) ? role : JSON.stringify(role)}`;
        const list = r.stringList(v, key);
        if (list) {
          roleToRecipients[role] = list;
          recipientKeys[role] = key;
        }
      }
  }
  const finalMap = recipients.length > 0 ? { '*': recipients } : roleToRecipients;
  const finalKeys = recipients.length > 0 ? { '*': 'mattermost.recipients' } : recipientKeys;
  if (recipients.length > 0 && Object.keys(roleToRecipients).length > 0) {
    r.warnings.push('mattermost.recipients is set, so [role_to_recipients] is ignored (Teleport replaces the map with {"*": recipients})');
  }
  for (const [role, list] of Object.entries(finalMap)) {
    list.forEach((rec, i) => {
      if (rec.trim() === '') r.errors.push(new ConfigError(`${finalKeys[role]}[${i}]`, 'is an empty recipient'));
    });
  }

  // [log]
  const lg = r.table('log');
  const output = r.string(lg, 'log', 'output') || 'stderr';
  const severityText = r.string(lg, 'log', 'severity') ?? 'info';
  let severity = parseSeverity(severityText);
  if (!severity) {
    r.errors.push(new ConfigError('log.severity', `unknown severity ${JSON.stringify(severityText)}`, 'use one of info, warn, error, debug'));
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
  if (!['auto', 'direct', 'proxy'].includes(connect)) r.errors.push(new ConfigError('relay.teleport_connect', `must be "auto", "direct" or "proxy", got ${JSON.stringify(connect)}`));
  const concurrency = rl.concurrency === undefined ? 64 : rl.concurrency;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) r.errors.push(new ConfigError('relay.concurrency', `must be a positive integer, got ${describe(concurrency)}`));

  const notifyRequester = r.bool(rl, 'relay', 'notify_requester') ?? false;
  const templatesDir = r.path(rl, 'relay', 'templates_dir') || undefined;
  const resyncIntervalMs = r.durationMs(rl, 'relay', 'resync_interval') ?? 5 * 60_000;
  const instanceId = r.string(rl, 'relay', 'instance_id') || defaultInstanceId();

  // Environment
  let failFast = false;
  const ff = env.TELEPORT_PLUGIN_FAIL_FAST;
  if (ff !== undefined && ff !== '') {
    const b = parseGoBool(ff);
    if (b === undefined) r.errors.push(new ConfigError('TELEPORT_PLUGIN_FAIL_FAST', `must be a boolean (true/false/1/0), got ${JSON.stringify(ff)}`));
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
    },
    failFast,
  };
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
