import type { SimChannel, SimPost, SimStore, SimUser } from './store';

// A reduced copy of the default permission scheme: enough to answer the questions the endpoints we serve ask.
// system_admin holds every permission; the other roles hold what server/public/model/role.go gives them (after the
// server's permission migrations: channel_user also gets edit_post, delete_post, manage_private_channel_members).
const SYSTEM_ROLE_PERMISSIONS: Record<string, readonly string[]> = {
  system_user: ['create_direct_channel', 'create_group_channel', 'create_team', 'list_public_teams', 'join_public_teams', 'view_members'],
  system_guest: ['create_direct_channel', 'create_group_channel'],
  system_post_all: ['create_post', 'use_channel_mentions', 'use_group_mentions'],
  system_post_all_public: ['create_post_public', 'use_channel_mentions'],
  system_user_access_token: ['create_user_access_token', 'read_user_access_token', 'revoke_user_access_token'],
  system_read_only_admin: ['sysconsole_read'],
  system_manager: ['sysconsole_read'],
  system_user_manager: ['sysconsole_read'],
  system_custom_group_admin: [],
};

/** team_user: what a member of the channel's team holds on every channel of that team. */
const TEAM_USER_PERMISSIONS: readonly string[] = [
  'list_team_channels',
  'join_public_channels',
  'read_public_channel',
  'view_team',
  'create_public_channel',
  'create_private_channel',
  'invite_user',
  'add_user_to_team',
];

/** team_admin (a team member with scheme_admin): adds member management on every channel of the team. */
const TEAM_ADMIN_PERMISSIONS: readonly string[] = ['manage_team', 'manage_public_channel_members', 'manage_private_channel_members', 'edit_others_posts'];

/** channel_user: what a channel member holds on that channel. Note edit_post: only members may edit. */
const CHANNEL_USER_PERMISSIONS: readonly string[] = [
  'read_channel',
  'add_reaction',
  'remove_reaction',
  'manage_public_channel_members',
  'upload_file',
  'get_public_link',
  'create_post',
  'use_channel_mentions',
  'use_slash_commands',
  'manage_public_channel_properties',
  'delete_public_channel',
  'manage_private_channel_properties',
  'delete_private_channel',
  'manage_private_channel_members',
  'delete_post',
  'edit_post',
];

/** Role names a user may be given through PUT /users/{id}/roles (CheckRolesExist). */
export const KNOWN_SYSTEM_ROLES: ReadonlySet<string> = new Set(['system_admin', ...Object.keys(SYSTEM_ROLE_PERMISSIONS)]);

export function roleList(user: SimUser): string[] {
  return user.roles.split(/\s+/).filter(Boolean);
}

export function isSystemAdmin(user: SimUser): boolean {
  return roleList(user).includes('system_admin');
}

export function hasSystemPermission(user: SimUser, permission: string): boolean {
  const roles = roleList(user);
  if (roles.includes('system_admin')) return true;
  return roles.some((r) => SYSTEM_ROLE_PERMISSIONS[r]?.includes(permission) ?? false);
}

/** SessionHasPermissionToTeam: system roles, then the team member's roles. */
export function hasTeamPermission(store: SimStore, user: SimUser, teamId: string, permission: string): boolean {
  if (hasSystemPermission(user, permission)) return true;
  const member = store.teamMembers.get(teamId)?.get(user.id);
  if (!member || member.delete_at !== 0) return false;
  if (TEAM_USER_PERMISSIONS.includes(permission)) return true;
  return member.scheme_admin && TEAM_ADMIN_PERMISSIONS.includes(permission);
}

/** SessionHasPermissionToChannel: system roles, the channel member's roles, then the team member's roles. */
export function hasChannelPermission(store: SimStore, user: SimUser, channel: SimChannel, permission: string): boolean {
  if (hasSystemPermission(user, permission)) return true;
  if (store.isChannelMember(channel.id, user.id) && CHANNEL_USER_PERMISSIONS.includes(permission)) return true;
  return channel.team_id !== '' && hasTeamPermission(store, user, channel.team_id, permission);
}

/** read_channel as a channel member, or read_public_channel as a member of an open channel's team. */
export function canReadChannel(store: SimStore, user: SimUser, channel: SimChannel): boolean {
  if (hasChannelPermission(store, user, channel, 'read_channel')) return true;
  return channel.type === 'O' && hasTeamPermission(store, user, channel.team_id, 'read_public_channel');
}

/**
 * createPost (api4/post_utils.go): create_post on the channel (channel members, or system_post_all anywhere),
 * or create_post_public on the team for an open channel (system_post_all_public).
 */
export function canCreatePost(store: SimStore, user: SimUser, channel: SimChannel | undefined): boolean {
  if (!channel) return false;
  if (hasSystemPermission(user, 'create_post')) return true;
  if (channel.delete_at === 0 && store.isChannelMember(channel.id, user.id)) return true;
  return channel.type === 'O' && hasSystemPermission(user, 'create_post_public');
}

/**
 * updatePost / patchPost (api4/post.go): edit_post on the post's channel, plus edit_others_posts when the caller
 * is not the author. edit_post comes with channel membership (channel_user), not with system_post_all, so a bot
 * that posts into a channel it is not a member of cannot edit that post afterwards. Returns the missing permission.
 */
export function missingEditPermission(store: SimStore, user: SimUser, post: SimPost): string | null {
  const channel = store.channels.get(post.channel_id);
  if (!channel) return 'edit_post';
  if (post.user_id === user.id) return hasChannelPermission(store, user, channel, 'edit_post') ? null : 'edit_post';
  return hasChannelPermission(store, user, channel, 'edit_others_posts') ? null : 'edit_others_posts';
}
