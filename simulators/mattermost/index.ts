// A Mattermost REST API v4 simulator for tests: real HTTP on 127.0.0.1, the real server's status codes, error
// bodies, content types, permission answers and rate limiting (see /work/shared/notes/mattermost-api.md).
import { newChannel, newTeam } from './handlers/teams-channels';
import { SimulatorServer, type FailOptions, type RateLimitOptions, type RecordedRequest } from './server';
import type { MattermostSimulatorSettings } from './settings';
import type { SimAccessToken, SimBot, SimChannel, SimPost, SimTeam, SimUser } from './store';

export type { FailOptions, MattermostSimulatorSettings, RateLimitOptions, RecordedRequest };
export type { SimAccessToken, SimBot, SimChannel, SimPost, SimTeam, SimUser };
export { isValidId, newId } from './ids';

export interface StartMattermostSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Off by default, like RateLimitSettings.Enable. */
  rateLimit?: RateLimitOptions | false;
  settings?: Partial<MattermostSimulatorSettings>;
  /**
   * Milliseconds for the rate limiter and the request log (default: performance.now() since start).
   * Tests pass a manual clock so limits are decided on virtual time, whatever the machine's load.
   */
  clock?: () => number;
}

export interface AddUserOptions {
  username: string;
  email?: string;
  /** System roles, e.g. ["system_user", "system_admin"]. Default ["system_user"]. */
  roles?: string[];
  firstName?: string;
  lastName?: string;
  nickname?: string;
  /** Deactivated user (delete_at set). */
  deactivated?: boolean;
}

export interface AddBotOptions {
  username: string;
  displayName?: string;
  description?: string;
  /** The owning user's id (the admin who "created" it). */
  ownerId: string;
  roles?: string[];
  disabled?: boolean;
}

export interface IssueTokenOptions {
  /** "session" (default): a login session, valid whatever the settings. "access_token": a PAT/bot token. */
  kind?: 'session' | 'access_token';
  description?: string;
}

export interface MattermostSimulator {
  /** Site URL without /api/v4, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  close(): Promise<void>;

  addUser(opts: AddUserOptions): SimUser;
  addBot(opts: AddBotOptions): SimBot;
  addTeam(opts: { name: string; displayName?: string; type?: 'O' | 'I' }): SimTeam;
  /** `team` is a team id or name. */
  addChannel(opts: { team: string; name: string; displayName?: string; type?: 'O' | 'P' }): SimChannel;
  addTeamMember(teamId: string, userId: string): void;
  addChannelMember(channelId: string, userId: string): void;
  /** A bearer token for the user. */
  issueToken(userId: string, opts?: IssueTokenOptions): string;
  setSetting<K extends keyof MattermostSimulatorSettings>(key: K, value: MattermostSimulatorSettings[K]): void;
  settings(): Readonly<MattermostSimulatorSettings>;
  setRateLimit(opts: RateLimitOptions | false): void;

  /** Posts as stored (attachment actions keep their integration url/context), oldest first. */
  posts(): SimPost[];
  bots(): SimBot[];
  users(): SimUser[];
  user(idOrUsername: string): SimUser | undefined;
  teams(): SimTeam[];
  channels(): SimChannel[];
  /** Names of the teams the user belongs to. */
  teamsOf(userId: string): string[];
  channelMembers(channelId: string): string[];
  /** User access tokens (PATs and bot tokens) including their secret values, for assertions. */
  accessTokens(userId?: string): SimAccessToken[];
  /** Every request seen, in arrival order, with its final status. */
  requests(): RecordedRequest[];
  clearRequests(): void;

  /** The next n matching requests answer `status` (default 500) instead of being served. */
  failNext(n: number, status?: number, opts?: FailOptions): void;
  /** The next n matching requests get the limiter's 429 with Retry-After = retryAfterSeconds (default 1). */
  force429(n: number, opts?: { retryAfterSeconds?: number } & FailOptions): void;
  /** The next n connections are reset without an answer. */
  dropNextConnections(n: number): void;
  /** Serves the next n matching requests (the write happens) but answers only after delayMs: a slow server, or a post in flight. */
  holdNext(n: number, delayMs: number, opts?: FailOptions): void;
  /** Forgets every pending_post_id, as a restarted server (or another HA node) has none: no deduplication of earlier creates. */
  forgetPendingPostIds(): void;
}

export async function startMattermostSimulator(opts: StartMattermostSimulatorOptions = {}): Promise<MattermostSimulator> {
  const sim = new SimulatorServer(opts.settings ?? {}, opts.rateLimit, opts.clock);
  const url = await sim.listen(opts.port ?? 0, '127.0.0.1');
  const store = sim.store;

  const teamOf = (idOrName: string): SimTeam => {
    const team = store.teams.get(idOrName) ?? store.teamByName(idOrName);
    if (!team) throw new Error(`simulator: no team ${idOrName}`);
    return team;
  };
  const mustUser = (id: string): SimUser => {
    const user = store.users.get(id);
    if (!user) throw new Error(`simulator: no user ${id}`);
    return user;
  };

  return {
    url,
    close: () => sim.close(),

    addUser(o) {
      if (store.userByUsername(o.username)) throw new Error(`simulator: username ${o.username} is taken`);
      return store.createUser({
        username: o.username,
        ...(o.email !== undefined ? { email: o.email } : {}),
        roles: (o.roles ?? ['system_user']).join(' '),
        first_name: o.firstName ?? '',
        last_name: o.lastName ?? '',
        nickname: o.nickname ?? '',
        delete_at: o.deactivated ? Date.now() : 0,
      });
    },
    addBot(o) {
      if (store.userByUsername(o.username)) throw new Error(`simulator: username ${o.username} is taken`);
      const bot = store.createBot({
        username: o.username,
        display_name: o.displayName ?? '',
        description: o.description ?? '',
        owner_id: o.ownerId,
      });
      const user = mustUser(bot.user_id);
      if (o.roles) user.roles = o.roles.join(' ');
      if (o.disabled) {
        bot.delete_at = Date.now();
        user.delete_at = bot.delete_at;
      }
      return bot;
    },
    addTeam(o) {
      const team = newTeam({ name: o.name, display_name: o.displayName ?? o.name, type: o.type ?? 'O' });
      store.teams.set(team.id, team);
      return team;
    },
    addChannel(o) {
      const team = teamOf(o.team);
      const channel = newChannel({
        team_id: team.id,
        type: o.type ?? 'O',
        name: o.name,
        display_name: o.displayName ?? o.name,
        creator_id: '',
      });
      store.channels.set(channel.id, channel);
      return channel;
    },
    addTeamMember(teamId, userId) {
      mustUser(userId);
      store.addTeamMember(teamOf(teamId).id, userId);
    },
    addChannelMember(channelId, userId) {
      mustUser(userId);
      const channel = store.channels.get(channelId);
      if (!channel) throw new Error(`simulator: no channel ${channelId}`);
      if (channel.team_id) store.addTeamMember(channel.team_id, userId);
      store.addChannelMember(channelId, userId);
    },
    issueToken(userId, o = {}) {
      mustUser(userId);
      return store.issueCredential(userId, o.kind ?? 'session', o.description ?? 'simulator');
    },
    setSetting(key, value) {
      sim.settings = { ...sim.settings, [key]: value };
    },
    settings: () => ({ ...sim.settings }),
    setRateLimit: (o) => sim.setRateLimit(o),

    posts: () => [...store.posts.values()].map((p) => structuredClone(p)),
    bots: () => [...store.bots.values()].map((b) => ({ ...b })),
    users: () => [...store.users.values()].map((u) => structuredClone(u)),
    user(idOrUsername) {
      const u = store.users.get(idOrUsername) ?? store.userByUsername(idOrUsername);
      return u ? structuredClone(u) : undefined;
    },
    teams: () => [...store.teams.values()].map((t) => ({ ...t })),
    channels: () => [...store.channels.values()].map((c) => ({ ...c })),
    teamsOf: (userId) => [...store.teams.values()].filter((t) => store.isTeamMember(t.id, userId)).map((t) => t.name),
    channelMembers: (channelId) => [...(store.channelMembers.get(channelId) ?? [])],
    accessTokens: (userId) =>
      [...store.accessTokens.values()].filter((t) => userId === undefined || t.user_id === userId).map((t) => ({ ...t })),
    requests: () => sim.recorded.map((r) => ({ ...r })),
    clearRequests() {
      sim.recorded.length = 0;
    },

    failNext(n, status = 500, o = {}) {
      if (status < 500 || status > 599) throw new Error('failNext injects 5xx statuses only; use force429 for 429');
      sim.faults.push({ remaining: n, status, opts: o });
    },
    force429(n, o = {}) {
      sim.forced429.push({ remaining: n, retryAfterSeconds: o.retryAfterSeconds ?? 1, opts: o });
    },
    holdNext(n, delayMs, o = {}) {
      sim.held.push({ remaining: n, delayMs, opts: o });
    },
    forgetPendingPostIds() {
      store.pendingPostIds.clear();
    },
    dropNextConnections(n) {
      sim.dropConnections += n;
    },
  };
}
