/**
 * The Mattermost access plugin's own TOML (the format of Teleport's teleport-mattermost, which the
 * dualauth relay reads too), rendered from constructs/templates/teleport-mattermost.toml.hbs.
 * Key names follow Teleport's source: integrations/lib/config.go ([teleport]),
 * integrations/access/mattermost/config.go ([mattermost]), integrations/access/common/config.go
 * ([role_to_recipients], [log]); plus the relay's own [relay] table (relay/config/load.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';

/** Conventional file name of the plugin config (the Go plugin's default is /etc/teleport-mattermost.toml). */
export const PLUGIN_TOML_FILE = 'teleport-mattermost.toml';

export interface PluginTomlConfig {
  readonly teleport: {
    /** Auth (host:3025) or Proxy (host:443 / host:3080) address. */
    readonly addr: string;
    /** Path of an identity file (`tctl auth sign --format=file` or tbot's identity output). */
    readonly identity?: string;
    /** Reload the identity file every minute so a rotated identity is picked up (default true with `identity`). */
    readonly refreshIdentity?: boolean;
    /** `--format=tls` credentials instead of `identity`: all three or none. */
    readonly clientKey?: string;
    readonly clientCrt?: string;
    readonly rootCas?: string;
  };
  readonly mattermost: {
    /** Mattermost server base URL. */
    readonly url: string;
    /** Path of a file holding the bot token. Must start with "/": the plugin then reads the file, so the token never sits in the config. */
    readonly token: string;
    /** Recipients for every role. Teleport's plugin lets a non-empty list replace all of [role_to_recipients]. */
    readonly recipients?: readonly string[];
  };
  /** Role name (or "*") to recipients. */
  readonly roleToRecipients?: Readonly<Record<string, readonly string[]>>;
  readonly log?: {
    /** "stdout", "stderr" or a file path (default "stderr", as the plugin). */
    readonly output?: string;
    /** info, warn, error or debug (default "info"). */
    readonly severity?: string;
  };
  /** Settings only the dualauth relay reads (Teleport's plugin ignores the [relay] table). */
  readonly relay?: {
    /** host:port of the relay's /healthz, /readyz and /metrics, e.g. "0.0.0.0:8080". */
    readonly listenAddr?: string;
  };
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** A TOML basic string (double-quoted) holding exactly `s`. */
export function tomlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
    else if (code >= 0xd800 && code <= 0xdfff) throw new Error(`${JSON.stringify(s)} contains a lone UTF-16 surrogate, which TOML cannot hold`);
    else out += ch;
  }
  return `${out}"`;
}

function tomlArray(values: readonly string[]): string {
  return `[${values.map(tomlString).join(', ')}]`;
}

let compiled: HandlebarsTemplateDelegate | undefined;

function template(): HandlebarsTemplateDelegate {
  if (!compiled) {
    const hbs = Handlebars.create();
    hbs.registerHelper('toml', (v: unknown) => {
      if (typeof v !== 'string') throw new Error(`plugin TOML template: expected a string, got ${JSON.stringify(v)}`);
      return tomlString(v);
    });
    hbs.registerHelper('tomlArray', (v: unknown) => tomlArray(v as string[]));
    hbs.registerHelper('tomlBool', (v: unknown) => (v === true ? 'true' : 'false'));
    const source = fs.readFileSync(path.join(__dirname, 'templates', `${PLUGIN_TOML_FILE}.hbs`), 'utf8');
    // noEscape: values are never HTML; every value goes through a TOML helper instead. strict: a typo in
    // the template fails loudly rather than rendering an empty value.
    compiled = hbs.compile(source, { noEscape: true, strict: true });
  }
  return compiled;
}

/** Role keys in a stable order: "*" first, then by name. */
function sortedRoles(map: Readonly<Record<string, readonly string[]>>): { role: string; recipients: readonly string[] }[] {
  return Object.keys(map)
    .sort((a, b) => (a === '*' ? -1 : b === '*' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map((role) => ({ role, recipients: map[role] as readonly string[] }));
}

/**
 * Renders the plugin TOML. Throws on combinations Teleport's plugin refuses at startup (identity with
 * TLS files, a partial TLS set) and on a token that is not a file path: the token itself must never be
 * written into a config file.
 */
export function renderPluginToml(config: PluginTomlConfig): string {
  const t = config.teleport;
  const tls = [t.clientKey, t.clientCrt, t.rootCas].filter((v) => v !== undefined && v !== '');
  if (t.identity && tls.length) throw new Error('teleport.identity cannot be combined with clientKey/clientCrt/rootCas: give one kind of credentials');
  if (!t.identity && tls.length !== 3) throw new Error('teleport: give identity, or all three of clientKey, clientCrt and rootCas');
  if (!config.mattermost.token.startsWith('/')) {
    throw new Error('mattermost.token must be the path of a file holding the token (starting with "/"), never the token itself');
  }
  return template()({
    teleport: {
      addr: t.addr,
      identity: t.identity ?? '',
      refreshIdentity: t.refreshIdentity ?? true,
      clientKey: t.clientKey ?? '',
      clientCrt: t.clientCrt ?? '',
      rootCas: t.rootCas ?? '',
    },
    mattermost: { url: config.mattermost.url, token: config.mattermost.token, recipients: [...(config.mattermost.recipients ?? [])] },
    roleToRecipients: sortedRoles(config.roleToRecipients ?? {}),
    log: { output: config.log?.output ?? 'stderr', severity: config.log?.severity ?? 'info' },
    relay: { listenAddr: config.relay?.listenAddr ?? '' },
  });
}
