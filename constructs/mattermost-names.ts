/**
 * Mattermost naming rules the constructs check at synth: bot usernames, team handles, notification
 * recipients, server URLs. Each function returns a problem with its fix, or undefined when the value is fine.
 */

import { RUNTIME_KINDS, TEAM_NAME, parseRecipient, recipientKind, type RecipientKind } from '../model/recipient-grammar';

/** Usernames Mattermost reserves for mentions or the system (server/public/model/user.go). */
export const RESTRICTED_USERNAMES = ['all', 'channel', 'here', 'matterbot', 'system'] as const;

const USERNAME_CHARS = /^[a-z0-9._-]+$/;

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
  if (!TEAM_NAME.test(team)) return `team ${JSON.stringify(team)} is not a team URL name: use the 2-64 character lowercase handle from the team's URL (letters, digits, "-"), e.g. "myteam"`;
  return undefined;
}

/**
 * A notification recipient, read by the one grammar of the plugin config (model/recipient-grammar.ts):
 * a user's email, `team/channel` (URL names), a username (optionally with '@') or a 26-character
 * channel id; `kinds` narrows it to what a runtime reads (RUNTIME_KINDS['teleport-plugin']).
 */
export function recipientProblem(recipient: string, kinds?: readonly RecipientKind[]): string | undefined {
  const parsed = parseRecipient(recipient, kinds);
  return parsed.ok ? undefined : parsed.problem;
}

/**
 * What Teleport's Go Mattermost plugin reads (integrations/access/mattermost/bot.go FetchRecipient): an email
 * (a direct message) or "team/channel"; anything else is skipped there with BadParameter. Check this on top of
 * recipientProblem when the deployment runs runtime "teleport-plugin".
 */
export function goPluginRecipientProblem(recipient: string): string | undefined {
  const kind = recipientKind(recipient);
  if (kind === undefined || RUNTIME_KINDS['teleport-plugin'].includes(kind)) return undefined;
  return `recipient ${JSON.stringify(recipient)} is not read by Teleport's Go plugin (runtime "teleport-plugin"), which takes only an email or "team/channel": give the user's email (e.g. "alice@example.com") or the channel as "myteam/access-requests", or use runtime "relay"`;
}

/** The "team/channel" recipients of a list: the channels a bot must be a member of. */
export function channelRecipients(recipients: Iterable<string>): string[] {
  return [...new Set([...recipients].filter((r) => recipientKind(r) === 'channel'))].sort();
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
