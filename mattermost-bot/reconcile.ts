// Declarative bot provisioning: read the server, compute what differs from the bot file (planBot), then make
// exactly those calls (applyBotPlan). Planning only reads, so a dry run is the plan alone; applying a plan that
// was just applied yields an empty plan. Teams the bot is in but the file does not list are left alone.
// Channels of the file (the stack's team/channel recipients) are joined after the teams. A little over 300
// lines on purpose: plan, apply and the plan's text share one action type and one error translation.
import { MattermostApiError } from '../mattermost-client/api-error';
import { botFieldChanges, type BotFieldChange } from './bot-fields';
import type { MattermostBotSpec } from './bot-spec';
import type { AdminConfig, MattermostApi, UserProfile } from '../mattermost-client/client';

export type BotAction =
  | { kind: 'create-bot'; username: string; displayName: string; description: string }
  | { kind: 'enable-bot'; username: string }
  | { kind: 'update-bot'; changes: BotFieldChange[] }
  | { kind: 'set-roles'; from: string[]; to: string[] }
  | { kind: 'join-team'; teamName: string; teamId: string }
  | { kind: 'join-channel'; channel: string; channelId: string }
  | { kind: 'create-token'; description: string };

export type { BotFieldChange };

export interface BotPlan {
  username: string;
  /** The bot's user id, or null when the plan creates it. */
  botUserId: string | null;
  actions: BotAction[];
  /** Facts worth showing next to the plan (existing tokens, extra teams, settings that do not block). */
  notes: string[];
}

export interface BotApplyResult {
  botUserId: string;
  applied: BotAction[];
  /** Present when the plan minted a token: the only time its secret is visible. */
  token?: { id: string; token: string };
}

export type BotReconcileReason = 'unauthorized' | 'forbidden' | 'setting-off' | 'conflict' | 'not-found' | 'server';

export class BotReconcileError extends Error {
  constructor(
    readonly reason: BotReconcileReason,
    message: string,
    readonly apiError?: MattermostApiError,
  ) {
    super(message);
    this.name = 'BotReconcileError';
  }
}

export const DEFAULT_TOKEN_DESCRIPTION = 'dualauth mattermost apply';

const SETTING_BOT_CREATION =
  'ServiceSettings.EnableBotAccountCreation is off, so bot accounts cannot be created. ' +
  'Enable it in System Console > Integrations > Bot Accounts > "Enable Bot Account Creation" ' +
  '(or set MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION=true), then run apply again.';

export async function planBot(
  api: MattermostApi,
  spec: MattermostBotSpec,
  opts: { createToken?: boolean } = {},
): Promise<BotPlan> {
  const me = await call('reading the token owner', () => api.getMe());
  const config = await readConfig(api, me);
  const notes: string[] = [];
  const service = config.ServiceSettings as unknown as Record<string, unknown>;
  if (opts.createToken && service.EnableUserAccessTokens === false) {
    notes.push(
      'ServiceSettings.EnableUserAccessTokens is off: bot tokens still work (the server exempts bots), ' +
        'but personal access tokens for people stay disabled.',
    );
  }

  const existing = await findUser(api, spec.username);
  const actions: BotAction[] = [];
  let botUserId: string | null = null;
  let currentRoles: string[];
  let currentTeams = new Set<string>();

  if (!existing) {
    // Only creating a bot needs the setting; an existing bot can be updated with it off.
    if (service.EnableBotAccountCreation !== true) throw new BotReconcileError('setting-off', SETTING_BOT_CREATION);
    actions.push({ kind: 'create-bot', username: spec.username, displayName: spec.displayName, description: spec.description });
    currentRoles = ['system_user']; // what the server gives a new bot (UserFromBot)
  } else {
    if (!existing.is_bot) {
      throw new BotReconcileError(
        'conflict',
        `the username "${spec.username}" belongs to a regular user account, not a bot; choose another username in the bot file`,
      );
    }
    botUserId = existing.id;
    const bot = await call(`reading bot ${spec.username}`, () => api.getBot(existing.id, { includeDeleted: true }));
    if (bot.delete_at !== 0 || existing.delete_at !== 0) actions.push({ kind: 'enable-bot', username: spec.username });
    const changes = botFieldChanges(bot, spec);
    if (changes.length > 0) actions.push({ kind: 'update-bot', changes });
    currentRoles = existing.roles.split(/\s+/).filter(Boolean);
    const teams = await call(`reading the teams of ${spec.username}`, () => api.getTeamsForUser(existing.id));
    currentTeams = new Set(teams.map((t) => t.name));
    const extra = [...currentTeams].filter((t) => !spec.teams.includes(t)).sort();
    if (extra.length > 0) notes.push(`bot is also in team(s) ${extra.join(', ')}, not listed in the file (left as is)`);
  }

  if (!sameSet(currentRoles, spec.roles)) actions.push({ kind: 'set-roles', from: currentRoles, to: [...spec.roles] });

  for (const teamName of spec.teams) {
    if (currentTeams.has(teamName)) continue;
    const team = await call(`looking up team ${teamName}`, () => api.getTeamByName(teamName), {
      404: `team "${teamName}" does not exist on the server; create it or fix "teams" in the bot file`,
    });
    actions.push({ kind: 'join-team', teamName, teamId: team.id });
  }

  for (const name of spec.channels ?? []) {
    const [teamName, channelName] = name.split('/') as [string, string];
    const channel = await call(`looking up channel ${name}`, () => api.getChannelByName(teamName, channelName), {
      404: `channel "${name}" does not exist on the server (or is private and hidden from this token): create it, or fix "channels" in the bot file (the stack's recipients)`,
    });
    if (botUserId && (await isChannelMember(api, channel.id, botUserId, name))) continue;
    actions.push({ kind: 'join-channel', channel: name, channelId: channel.id });
  }

  if (opts.createToken) {
    if (botUserId) {
      const id = botUserId;
      const tokens = await call(`listing the tokens of ${spec.username}`, () => api.getUserAccessTokens(id));
      const active = tokens.filter((t) => t.is_active).length;
      if (active > 0) notes.push(`bot already has ${active} active token(s); a new one is added, none is revoked`);
    }
    actions.push({ kind: 'create-token', description: spec.token?.description ?? DEFAULT_TOKEN_DESCRIPTION });
  }

  return { username: spec.username, botUserId, actions, notes };
}

export async function applyBotPlan(
  api: MattermostApi,
  plan: BotPlan,
  opts: { onAction?: (action: BotAction) => void } = {},
): Promise<BotApplyResult> {
  let botUserId = plan.botUserId;
  const applied: BotAction[] = [];
  let token: BotApplyResult['token'];
  const needBot = (): string => {
    if (!botUserId) throw new Error(`plan for ${plan.username} has no bot to act on (missing create-bot action)`);
    return botUserId;
  };
  for (const action of plan.actions) {
    const what = describeAction(action);
    switch (action.kind) {
      case 'create-bot': {
        const bot = await call(what, () =>
          api.createBot({ username: action.username, display_name: action.displayName, description: action.description }),
        );
        botUserId = bot.user_id;
        break;
      }
      case 'enable-bot': {
        const id = needBot();
        await call(what, () => api.enableBot(id));
        break;
      }
      case 'update-bot': {
        const id = needBot();
        const patch: { display_name?: string; description?: string } = {};
        for (const c of action.changes) patch[c.field] = c.to;
        await call(what, () => api.patchBot(id, patch));
        break;
      }
      case 'set-roles': {
        const id = needBot();
        await call(what, () => api.updateUserRoles(id, action.to));
        break;
      }
      case 'join-team': {
        const id = needBot();
        await call(what, () => api.addToTeam(action.teamId, id));
        break;
      }
      case 'join-channel': {
        const id = needBot();
        await call(what, () => api.addToChannel(id, action.channelId), {
          403:
            `adding the bot to channel ${action.channel} needs manage_public_channel_members (public) or ` +
            'manage_private_channel_members (private channel): use a System Admin token, or one of a team admin or a member of that channel',
        });
        break;
      }
      case 'create-token': {
        const id = needBot();
        const created = await call(what, () => api.createUserAccessToken(id, action.description));
        if (!created.token) throw new BotReconcileError('server', `${what}: the server returned no token value`);
        token = { id: created.id, token: created.token };
        break;
      }
    }
    applied.push(action);
    opts.onAction?.(action);
  }
  return { botUserId: needBot(), applied, ...(token ? { token } : {}) };
}

/** Human-readable plan lines: "+" adds, "~" changes, "= no changes" when there is nothing to do. */
export function formatPlan(plan: BotPlan): string[] {
  if (plan.actions.length === 0) return ['= no changes'];
  const lines: string[] = [];
  for (const a of plan.actions) {
    switch (a.kind) {
      case 'create-bot':
        lines.push(`+ create bot ${a.username} (display_name ${q(a.displayName)}, description ${q(a.description)})`);
        break;
      case 'enable-bot':
        lines.push(`~ enable bot ${a.username} (it is disabled)`);
        break;
      case 'update-bot':
        for (const c of a.changes) lines.push(`~ ${c.field}: ${q(c.from)} -> ${q(c.to)}`);
        break;
      case 'set-roles':
        lines.push(`~ roles: ${q(a.from.join(' '))} -> ${q(a.to.join(' '))}`);
        break;
      case 'join-team':
        lines.push(`+ join team ${a.teamName}`);
        break;
      case 'join-channel':
        lines.push(`+ join channel ${a.channel}`);
        break;
      case 'create-token':
        lines.push(`+ create token ${q(a.description)}`);
        break;
    }
  }
  return lines;
}

function describeAction(a: BotAction): string {
  switch (a.kind) {
    case 'create-bot':
      return `creating bot ${a.username}`;
    case 'enable-bot':
      return `enabling bot ${a.username}`;
    case 'update-bot':
      return `updating ${a.changes.map((c) => c.field).join(' and ')}`;
    case 'set-roles':
      return `setting roles to "${a.to.join(' ')}"`;
    case 'join-team':
      return `adding the bot to team ${a.teamName}`;
    case 'join-channel':
      return `adding the bot to channel ${a.channel}`;
    case 'create-token':
      return 'creating a token';
  }
}

function q(s: string): string {
  return JSON.stringify(s);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** GET /channels/{id}/members/{user}: 404 means "not a member". */
export async function isChannelMember(api: MattermostApi, channelId: string, userId: string, name: string): Promise<boolean> {
  try {
    await api.getChannelMember(channelId, userId);
    return true;
  } catch (err) {
    if (err instanceof MattermostApiError && err.status === 404) return false;
    throw translate(err, `reading the bot's membership of channel ${name}`);
  }
}

async function findUser(api: MattermostApi, username: string): Promise<UserProfile | null> {
  try {
    return await api.getUserByUsername(username);
  } catch (err) {
    if (err instanceof MattermostApiError && err.status === 404) return null;
    throw translate(err, `looking up user ${username}`);
  }
}

async function readConfig(api: MattermostApi, me: UserProfile): Promise<AdminConfig> {
  return call('reading the server configuration', () => api.getConfig(), {
    403:
      `the token belongs to @${me.username}, who is not a System Admin: reading the server settings and creating ` +
      'bots need one. Use a System Admin\'s token (System Console > User Management > Users > Manage roles).',
  });
}

async function call<T>(what: string, fn: () => Promise<T>, byStatus: Record<number, string> = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translate(err, what, byStatus);
  }
}

function translate(err: unknown, what: string, byStatus: Record<number, string> = {}): Error {
  if (!(err instanceof MattermostApiError)) return err instanceof Error ? err : new Error(String(err));
  const specific = byStatus[err.status];
  if (specific) return new BotReconcileError(err.status === 404 ? 'not-found' : 'forbidden', specific, err);
  if (err.status === 401) {
    return new BotReconcileError('unauthorized', `Mattermost rejected the token while ${what}: ${err.message}`, err);
  }
  if (err.status === 403) {
    const setting = err.serverErrorId === 'api.bot.create_disabled' ? ` ${SETTING_BOT_CREATION}` : '';
    return new BotReconcileError('forbidden', `permission denied while ${what}: ${err.message}${setting}`, err);
  }
  return new BotReconcileError(err.status === 404 ? 'not-found' : 'server', `failed while ${what}: ${err.message}`, err);
}
