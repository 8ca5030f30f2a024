/**
 * Mattermost drift: the bot of mattermost-bot.json (username, display name, description, system roles, teams,
 * enabled) against the server. Read-only. Teams the bot is in but the file does not list are a note, not drift,
 * as `dualauth mattermost apply` leaves them alone; roles are the bot's complete set, so any difference is drift.
 */
import { botFieldChanges } from '../mattermost-bot/bot-fields';
import type { MattermostBotSpec } from '../mattermost-bot/bot-spec';
import { isChannelMember } from '../mattermost-bot/reconcile';
import { MattermostApiError } from '../mattermost-client/api-error';
import type { MattermostApi } from '../mattermost-client/client';
import { FieldChange, ResourceFinding } from './types';

export interface MattermostComparison {
  findings: ResourceFinding[];
  notes: string[];
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Wraps an API failure into one sentence naming the step and the fix; never includes the token. */
export function describeMattermostError(err: unknown, url: string, doing: string): Error {
  if (err instanceof MattermostApiError) {
    if (err.status === 0) return new Error(`cannot reach Mattermost at ${url} (--mattermost-url) while ${doing}: ${err.serverMessage}`);
    if (err.status === 401) return new Error(`Mattermost rejected the token in MATTERMOST_TOKEN (401) while ${doing}: give a valid token of a System Admin`);
    if (err.status === 403) return new Error(`Mattermost refused ${doing} (403): the MATTERMOST_TOKEN user needs System Admin (or read_others_bots and permission to view users and teams)`);
    return new Error(`Mattermost ${err.method} ${err.path} returned ${err.status} while ${doing}${err.serverMessage ? `: ${err.serverMessage}` : ''}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

async function step<T>(api: MattermostApi, doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw describeMattermostError(err, api.url, doing);
  }
}

export async function compareMattermostBot(api: MattermostApi, spec: MattermostBotSpec): Promise<MattermostComparison> {
  const notes: string[] = [];
  const finding = (status: ResourceFinding['status'], changes: FieldChange[], note?: string): MattermostComparison => ({
    findings: [{ kind: 'bot', name: spec.username, status, changes, ...(note ? { note } : {}) }],
    notes,
  });

  let user;
  try {
    user = await api.getUserByUsername(spec.username);
  } catch (err) {
    if (err instanceof MattermostApiError && err.status === 404) return finding('missing', [], 'no user with this username on the server');
    throw describeMattermostError(err, api.url, `looking up ${spec.username}`);
  }
  if (!user.is_bot) return finding('changed', [{ path: 'is_bot', before: true, after: false }], 'the username belongs to a regular user account');

  const bot = await step(api, `reading bot ${spec.username}`, () => api.getBot(user.id, { includeDeleted: true }));
  const teams = await step(api, `reading the teams of ${spec.username}`, () => api.getTeamsForUser(user.id));

  const changes: FieldChange[] = [];
  const enabled = bot.delete_at === 0 && user.delete_at === 0;
  if (!enabled) changes.push({ path: 'enabled', before: true, after: false });
  // the same comparison apply makes: an absent display_name/description is the empty string
  for (const c of botFieldChanges(bot, spec)) changes.push({ path: c.field, before: c.to, after: c.from });

  const wantRoles = sorted(spec.roles);
  const haveRoles = sorted(user.roles.split(/\s+/).filter(Boolean));
  if (wantRoles.join(' ') !== haveRoles.join(' ')) changes.push({ path: 'roles', before: wantRoles, after: haveRoles });

  const teamNames = new Set(teams.map((t) => t.name));
  const missingTeams = spec.teams.filter((t) => !teamNames.has(t));
  if (missingTeams.length > 0) {
    const want = sorted(spec.teams);
    changes.push({ path: 'teams', before: want, after: want.filter((t) => teamNames.has(t)) });
  }
  // every channel the recipients name must have the bot as a member, or its posts can never be updated
  const wantChannels = sorted(spec.channels ?? []);
  const inChannels: string[] = [];
  for (const name of wantChannels) {
    const [team, channelName] = name.split('/') as [string, string];
    const channel = await lookupChannel(api, team, channelName, name);
    if (channel && (await step(api, `reading membership of ${name}`, () => isChannelMember(api, channel.id, user.id, name)))) inChannels.push(name);
  }
  if (inChannels.length < wantChannels.length) changes.push({ path: 'channels', before: wantChannels, after: inChannels });

  const extra = sorted([...teamNames].filter((t) => !spec.teams.includes(t)));
  if (extra.length > 0) notes.push(`bot ${spec.username} is also in team(s) ${extra.join(', ')}, not listed in the bot file (not drift)`);

  return changes.length > 0 ? finding('changed', changes) : { findings: [], notes };
}

/** A missing channel counts as "bot not in it" (drift), not as an error: apply will say how to fix it. */
async function lookupChannel(api: MattermostApi, team: string, channel: string, name: string): Promise<{ id: string } | null> {
  try {
    return await api.getChannelByName(team, channel);
  } catch (err) {
    if (err instanceof MattermostApiError && err.status === 404) return null;
    throw describeMattermostError(err, api.url, `looking up channel ${name}`);
  }
}
