/**
 * The `[mattermost]` table and `[role_to_recipients]` of the plugin config, with Teleport's rules
 * (integrations/access/mattermost/config.go, common/config.go): `token` starting with "/" is a file
 * (lib.ReadPassword reads at most 2000 bytes of it), and a non-empty `recipients` replaces the whole
 * map with {"*": recipients}.
 */
import { ConfigError } from './errors';
import { registerSecret, withoutUserInfo } from '../../model/secret-scrub';
import { describe, isTable, type Reader, type Table } from './reader';

/** lib.ReadPassword reads at most this many bytes of a token file. */
const TOKEN_FILE_MAX_BYTES = 2000;

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

export interface MattermostSections {
  url: string;
  token: string;
  tokenFile?: string;
  recipients: string[];
  roleToRecipients: Record<string, string[]>;
  recipientKeys: Record<string, string>;
}

export function readMattermostSections(r: Reader, doc: Table, readFile: (path: string) => Buffer): MattermostSections {
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
      const buf = readFile(tokenFile);
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
  registerSecret(token); // cut out of every message and log from now on
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
  return { url, token, tokenFile, recipients, roleToRecipients: finalMap, recipientKeys: finalKeys };
}
