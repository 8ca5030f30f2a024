/**
 * Reading typed values out of the parsed TOML document, collecting every problem as a ConfigError
 * naming its key (and unknown keys as warnings: the Go plugin ignores them too).
 */
import { parseDuration } from '../../model/duration';
import { ConfigError } from './errors';
import { describeValue, secretKind } from '../../model/secret-scrub';
import { didYouMean } from '../../model/did-you-mean';

export type Table = Record<string, unknown>;

export const KNOWN: Record<string, readonly string[]> = {
  teleport: ['addr', 'auth_server', 'identity', 'refresh_identity', 'refresh_identity_interval', 'client_key', 'client_crt', 'root_cas'],
  mattermost: ['url', 'token', 'recipients'],
  log: ['output', 'severity'],
  relay: ['listen_addr', 'notify_requester', 'templates_dir', 'web_proxy_addr', 'resync_interval', 'teleport_connect', 'instance_id', 'concurrency', 'keepalive_interval', 'keepalive_timeout'],
};
export const TOP_LEVEL = ['teleport', 'mattermost', 'role_to_recipients', 'log', 'relay'];

export function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export class Reader {
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
      this.errors.push(new ConfigError(`${section}.${key}`, `must be a file path, but the value looks like ${kind ?? 'file content (it has line breaks)'}`, "save it to a file readable only by the relay and give that file's path here"));
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

export function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  if (typeof v === 'string') return `string ${describeValue(v)}`;
  return `${typeof v} ${JSON.stringify(typeof v === 'bigint' ? v.toString() : v)}`;
}

