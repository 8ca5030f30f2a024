/**
 * The one grammar of notification recipients in a Teleport Mattermost access plugin config
 * (`[mattermost] recipients`, `[role_to_recipients]`, access monitoring rule recipients). Both the
 * constructs (at synth) and the relay (at start and for every request) read recipients with it.
 *
 * Teleport's Go plugin (integrations/access/mattermost/bot.go FetchRecipient) reads only two forms:
 * a user's email (lib.IsEmail: a bare address as Go's mail.ParseAddress returns it), which becomes a
 * direct message from the bot, and "team/channel" (exactly one "/"). Our relay reads two more: a
 * username (optionally with "@") for a direct message and a 26-character channel id. RUNTIME_KINDS
 * says which runtime reads which kinds, so a stack that runs the Go plugin can allow only its two.
 *
 * It lives in model/ because it is part of the plugin's config format (what Teleport's plugin reads),
 * and both constructs/ and relay/ may import model/ (neither may import the other).
 */

export type RecipientKind = 'email' | 'channel' | 'channel_id' | 'username';

/** Which recipient kinds each plugin runtime reads. */
export const RUNTIME_KINDS: Record<'relay' | 'teleport-plugin', readonly RecipientKind[]> = {
  relay: ['email', 'channel', 'channel_id', 'username'],
  'teleport-plugin': ['email', 'channel'],
};

export type ParsedRecipient =
  | { kind: 'email'; email: string }
  | { kind: 'channel'; team: string; channel: string }
  | { kind: 'channel_id'; id: string }
  | { kind: 'username'; username: string };

/** Team URL names: 2-64 lowercase letters, digits or '-', starting and ending with a letter or digit. */
export const TEAM_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])$/;
/** Channel URL names: lowercase letters, digits, '-' and '_'. */
const CHANNEL = /^[a-z0-9][a-z0-9_-]*$/;
/** Mattermost ids: 26 characters of base32 (lowercase). */
const ID = /^[a-z0-9]{26}$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]*$/;

/** A bare address, as Go's mail.ParseAddress would return unchanged (no display name, no brackets). */
export function isEmail(s: string): boolean {
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(s);
}

/** The recipient read by the grammar, or a problem naming what is wrong and the fix. */
export function parseRecipient(raw: string, kinds: readonly RecipientKind[] = RUNTIME_KINDS.relay): { ok: true; recipient: ParsedRecipient } | { ok: false; problem: string } {
  const r = raw;
  const names: Record<RecipientKind, string> = { email: 'an email', channel: '"team/channel" (URL names)', username: 'a username', channel_id: 'a channel id' };
  const allowed = RUNTIME_KINDS.relay.filter((k) => kinds.includes(k)).map((k) => names[k]);
  const what = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}` : allowed[0];
  const fail = (problem: string) => ({ ok: false as const, problem });
  const only = (kind: RecipientKind, found: ParsedRecipient) =>
    kinds.includes(kind) ? { ok: true as const, recipient: found } : fail(`recipient ${JSON.stringify(r)} is ${names[kind]}, which this plugin runtime does not read: give ${what}`);
  if (r.trim() === '') return fail(`recipient is empty: give ${what}`);
  if (/\s/.test(r)) return fail(`recipient ${JSON.stringify(r)} contains whitespace: use the channel's URL name (e.g. "myteam/town-square"), not its display name`);
  const slashes = r.split('/').length - 1;
  if (slashes > 1) return fail(`recipient ${JSON.stringify(r)} has ${slashes} slashes: write "team/channel" with exactly one`);
  if (slashes === 1) {
    const [team, channel] = r.split('/') as [string, string];
    if (!TEAM_NAME.test(team) || !CHANNEL.test(channel)) return fail(`recipient ${JSON.stringify(r)} is not "team/channel": both parts must be lowercase URL names (letters, digits, "-"; "_" in channels), e.g. "myteam/town-square"`);
    return only('channel', { kind: 'channel', team, channel });
  }
  if (r.includes('@') && !r.startsWith('@')) {
    if (!isEmail(r)) return fail(`recipient ${JSON.stringify(r)} is not a valid email: give e.g. "alice@example.com"`);
    return only('email', { kind: 'email', email: r });
  }
  if (!r.startsWith('@') && ID.test(r) && kinds.includes('channel_id')) return only('channel_id', { kind: 'channel_id', id: r });
  const name = r.startsWith('@') ? r.slice(1) : r;
  if (!USERNAME.test(name)) return fail(`recipient ${JSON.stringify(r)} is not ${what}: usernames are lowercase letters, digits, ".", "-", "_"`);
  return only('username', { kind: 'username', username: name });
}

/** The kind of a recipient, or undefined when the grammar does not read it. */
export function recipientKind(raw: string, kinds?: readonly RecipientKind[]): RecipientKind | undefined {
  const p = parseRecipient(raw, kinds);
  return p.ok ? p.recipient.kind : undefined;
}
