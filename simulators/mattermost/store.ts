import { newId } from './ids';

// In-memory state of the simulated server. JSON shapes follow the Go structs (snake_case, omitempty where the
// server omits), so what a test reads back is what Client4 would get from a real server.

export interface SimUser {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  username: string;
  auth_service: string;
  email: string;
  nickname: string;
  first_name: string;
  last_name: string;
  position: string;
  /** Space-separated system roles, e.g. "system_user system_post_all". */
  roles: string;
  locale: string;
  timezone: Record<string, string>;
  props: Record<string, string>;
  notify_props: Record<string, string>;
  is_bot?: boolean;
  bot_description?: string;
}

export interface SimBot {
  user_id: string;
  username: string;
  display_name: string;
  description: string;
  owner_id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
}

export interface SimTeam {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  display_name: string;
  name: string;
  description: string;
  email: string;
  /** "O" open, "I" invite only. */
  type: 'O' | 'I';
  company_name: string;
  allowed_domains: string;
  invite_id: string;
  allow_open_invite: boolean;
  scheme_id: string | null;
  group_constrained: boolean | null;
}

export interface SimChannel {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  team_id: string;
  /** "O" public, "P" private, "D" direct, "G" group. */
  type: 'O' | 'P' | 'D' | 'G';
  display_name: string;
  name: string;
  header: string;
  purpose: string;
  last_post_at: number;
  total_msg_count: number;
  extra_update_at: number;
  creator_id: string;
  scheme_id: string | null;
  group_constrained: boolean | null;
  shared: boolean | null;
  total_msg_count_root: number;
  last_root_post_at: number;
}

export interface SimPost {
  id: string;
  create_at: number;
  update_at: number;
  edit_at: number;
  delete_at: number;
  is_pinned: boolean;
  /** omitempty in the Post JSON: sent only when true. */
  has_reactions: boolean;
  user_id: string;
  channel_id: string;
  root_id: string;
  original_id: string;
  message: string;
  type: string;
  /** Stored as sent (attachment actions keep their `integration`); responses strip it like the server does. */
  props: Record<string, unknown>;
  hashtags: string;
  file_ids: string[];
  pending_post_id: string;
  reply_count: number;
  last_reply_at: number;
  participants: null;
  metadata: Record<string, unknown>;
}

export interface SimAccessToken {
  id: string;
  token: string;
  user_id: string;
  description: string;
  is_active: boolean;
}

/** What a bearer token resolves to: a login session or a user access token (PAT or bot token). */
export interface SimCredential {
  token: string;
  userId: string;
  kind: 'session' | 'access_token';
  accessTokenId?: string;
}

export interface SimTeamMember {
  team_id: string;
  user_id: string;
  roles: string;
  delete_at: number;
  scheme_user: boolean;
  scheme_admin: boolean;
  scheme_guest: boolean;
  explicit_roles: string;
}

export class SimStore {
  readonly users = new Map<string, SimUser>();
  readonly bots = new Map<string, SimBot>();
  readonly teams = new Map<string, SimTeam>();
  readonly channels = new Map<string, SimChannel>();
  readonly posts = new Map<string, SimPost>();
  readonly accessTokens = new Map<string, SimAccessToken>();
  readonly credentials = new Map<string, SimCredential>();
  /** team id -> user id -> membership */
  readonly teamMembers = new Map<string, Map<string, SimTeamMember>>();
  /** channel id -> member user ids */
  readonly channelMembers = new Map<string, Set<string>>();
  /** pending_post_id -> post id ('' while the first request is still saving), with expiry (ms epoch). */
  readonly pendingPostIds = new Map<string, { postId: string; expiresAt: number }>();

  userByUsername(username: string): SimUser | undefined {
    const wanted = username.toLowerCase();
    for (const u of this.users.values()) if (u.username === wanted) return u;
    return undefined;
  }

  userByEmail(email: string): SimUser | undefined {
    const wanted = email.toLowerCase();
    for (const u of this.users.values()) if (u.email === wanted) return u;
    return undefined;
  }

  teamByName(name: string): SimTeam | undefined {
    for (const t of this.teams.values()) if (t.name === name && t.delete_at === 0) return t;
    return undefined;
  }

  channelByName(teamId: string, name: string): SimChannel | undefined {
    for (const c of this.channels.values()) if (c.team_id === teamId && c.name === name) return c;
    return undefined;
  }

  isTeamMember(teamId: string, userId: string): boolean {
    const m = this.teamMembers.get(teamId)?.get(userId);
    return m !== undefined && m.delete_at === 0;
  }

  isChannelMember(channelId: string, userId: string): boolean {
    return this.channelMembers.get(channelId)?.has(userId) ?? false;
  }

  addTeamMember(teamId: string, userId: string): SimTeamMember {
    let members = this.teamMembers.get(teamId);
    if (!members) {
      members = new Map();
      this.teamMembers.set(teamId, members);
    }
    const existing = members.get(userId);
    if (existing && existing.delete_at === 0) return existing;
    const member: SimTeamMember = {
      team_id: teamId,
      user_id: userId,
      roles: 'team_user',
      delete_at: 0,
      scheme_user: true,
      scheme_admin: false,
      scheme_guest: false,
      explicit_roles: '',
    };
    members.set(userId, member);
    return member;
  }

  addChannelMember(channelId: string, userId: string): void {
    let members = this.channelMembers.get(channelId);
    if (!members) {
      members = new Set();
      this.channelMembers.set(channelId, members);
    }
    members.add(userId);
  }

  removeChannelMember(channelId: string, userId: string): boolean {
    return this.channelMembers.get(channelId)?.delete(userId) ?? false;
  }

  createUser(fields: Partial<SimUser> & { username: string }): SimUser {
    const now = Date.now();
    const user: SimUser = {
      id: newId(),
      create_at: now,
      update_at: now,
      delete_at: 0,
      auth_service: '',
      email: `${fields.username}@example.com`,
      nickname: '',
      first_name: '',
      last_name: '',
      position: '',
      roles: 'system_user',
      locale: 'en',
      timezone: { automaticTimezone: '', manualTimezone: '', useAutomaticTimezone: 'true' },
      props: {},
      notify_props: { channel: 'true', desktop: 'mention', email: 'true', mention_keys: '', push: 'mention' },
      ...fields,
    };
    user.username = user.username.toLowerCase();
    user.email = user.email.toLowerCase();
    this.users.set(user.id, user);
    return user;
  }

  /** The server creates the user row (UserFromBot) and the bot row with the same id. */
  createBot(fields: { username: string; display_name: string; description: string; owner_id: string }): SimBot {
    const user = this.createUser({
      username: fields.username,
      email: `${fields.username}@localhost`,
      first_name: fields.display_name,
      roles: 'system_user',
      is_bot: true,
      bot_description: fields.description,
    });
    const bot: SimBot = {
      user_id: user.id,
      username: user.username,
      display_name: fields.display_name,
      description: fields.description,
      owner_id: fields.owner_id,
      create_at: user.create_at,
      update_at: user.update_at,
      delete_at: 0,
    };
    this.bots.set(bot.user_id, bot);
    return bot;
  }

  issueCredential(userId: string, kind: SimCredential['kind'], description = 'simulator'): string {
    const token = newId();
    if (kind === 'access_token') {
      const at: SimAccessToken = { id: newId(), token, user_id: userId, description, is_active: true };
      this.accessTokens.set(at.id, at);
      this.credentials.set(token, { token, userId, kind, accessTokenId: at.id });
    } else {
      this.credentials.set(token, { token, userId, kind });
    }
    return token;
  }
}
