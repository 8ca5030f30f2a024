/**
 * Mattermost naming rules the constructs check at synth: bot usernames, team handles, notification
 * recipients, server URLs. Each function returns a problem with its fix, or undefined when the value is fine.
 */

/** Usernames Mattermost reserves for mentions or the system (server/public/model/user.go). */
export const RESTRICTED_USERNAMES = ['all', 'channel', 'here', 'matterbot', 'system'] as const;

const USERNAME_CHARS = /^[a-z0-9._-]+$/;
/** Team URL names: 2-64 lowercase letters, digits or '-', starting and ending with a letter or digit. */
const TEAM = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])$/;
/** Channel URL names: lowercase letters, digits, '-' and '_'. */
const CHANNEL = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * The bot username rules of Mattermost's bot form: 3 to 22 characters, a lowercase letter first, then
 * lowercase letters, digits, '.', '-' or '_', no '.' at the end, and not a reserved name.
 */
export function mattermostUsernameProblem(name: string): string | undefined {
  const fix = 'use 3-22 characters: a lowercase letter, then lowercase letters, digits, ".", "-" or "_" (e.g. "teleport")';
  if (name.length < 3 || name.length > 22) return `${JSON.stringify(name)} has ${name.length} characters: ${fix}`;
  if (!/^[a-z]/.test(name)) return `${JSON.stringify(name)} must start with a lowercase letter: ${fix}`;
  if (!USERNAME_CHARS.test(name)) return `${JSON.stringify(name)} contains characters Mattermost rejects: ${fix}`;
  if (name.endsWith('.')) return `${JSON.stringify(name)} ends with ".": ${fix}`;
  if ((RESTRICTED_USERNAMES as readonly string[]).includes(name)) return `${JSON.stringify(name)} is reserved by Mattermost (${RESTRICTED_USERNAMES.join(', ')}): choose another name`;
  return undefined;
}

/** A team handle as it appears in the team's URL (not its display name). */
export function mattermostTeamProblem(team: string): string | undefined {
  if (!TEAM.test(team)) return `team ${JSON.stringify(team)} is not a team URL name: use the 2-64 character lowercase handle from the team's URL (letters, digits, "-"), e.g. "myteam"`;
  return undefined;
}

/**
 * A notification recipient: a user's email (direct message), `team/channel` (channel URL names), a
 * username (optionally with '@') or a 26-character channel id.
 */
export function recipientProblem(recipient: string): string | undefined {
  const r = recipient;
  const kinds = 'an email, "team/channel" (URL names), a username or a channel id';
  if (r.trim() === '') return `recipient is empty: give ${kinds}`;
  if (/\s/.test(r)) return `recipient ${JSON.stringify(r)} contains whitespace: use the channel's URL name (e.g. "myteam/town-square"), not its display name`;
  const slashes = r.split('/').length - 1;
  if (slashes > 1) return `recipient ${JSON.stringify(r)} has ${slashes} slashes: write "team/channel" with exactly one`;
  if (slashes === 1) {
    const [team, channel] = r.split('/') as [string, string];
    if (!TEAM.test(team) || !CHANNEL.test(channel)) return `recipient ${JSON.stringify(r)} is not "team/channel": both parts must be lowercase URL names (letters, digits, "-"; "_" in channels), e.g. "myteam/town-square"`;
    return undefined;
  }
  if (r.includes('@') && !r.startsWith('@')) {
    if (!/^[^@]+@[^@]+$/.test(r) || r.endsWith('.')) return `recipient ${JSON.stringify(r)} is not a valid email: give e.g. "alice@example.com"`;
    return undefined;
  }
  const name = r.startsWith('@') ? r.slice(1) : r;
  if (!/^[a-z0-9]/.test(name) || !USERNAME_CHARS.test(name)) return `recipient ${JSON.stringify(r)} is not ${kinds}: usernames are lowercase letters, digits, ".", "-", "_"`;
  return undefined;
}

/**
 * What Teleport's Go Mattermost plugin reads (integrations/access/mattermost/bot.go FetchRecipient): an email
 * (a direct message) or "team/channel"; anything else is skipped there with BadParameter. Check this on top of
 * recipientProblem when the deployment runs runtime "teleport-plugin".
 */
export function goPluginRecipientProblem(recipient: string): string | undefined {
  if (recipient.split('/').length === 2) return undefined;
  if (recipient.includes('@') && !recipient.startsWith('@')) return undefined;
  return `recipient ${JSON.stringify(recipient)} is not read by Teleport's Go plugin (runtime "teleport-plugin"), which takes only an email or "team/channel": give the user's email (e.g. "alice@example.com") or the channel as "myteam/access-requests", or use runtime "relay"`;
}

/** The "team/channel" recipients of a list: the channels a bot must be a member of. */
export function channelRecipients(recipients: Iterable<string>): string[] {
  return [...new Set([...recipients].filter((r) => r.split('/').length === 2))].sort();
}

/** A Mattermost server URL: absolute http(s) with a host. */
export function httpUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL: give the server's base URL, e.g. "https://mattermost.example.com"`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `${JSON.stringify(url)} uses ${u.protocol.replace(/:$/, '')}: give an http(s) URL, e.g. "https://mattermost.example.com"`;
  if (!u.hostname) return `${JSON.stringify(url)} has no host: give e.g. "https://mattermost.example.com"`;
  if (u.username || u.password) return 'the URL contains credentials: give the bare server URL; tokens come from Secrets and MATTERMOST_TOKEN, never from a URL';
  return undefined;
}
