import type { SimChannel, SimPost, SimStore, SimUser } from './store';

// A reduced copy of the default permission scheme: enough to answer the questions the endpoints we serve ask.
// system_admin holds every permission; the other system roles hold what server/public/model/role.go gives them.
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

/** read_channel as a channel member, or read_public_channel as a member of an open channel's team. */
export function canReadChannel(store: SimStore, user: SimUser, channel: SimChannel): boolean {
  if (isSystemAdmin(user) || store.isChannelMember(channel.id, user.id)) return true;
  return channel.type === 'O' && store.isTeamMember(channel.team_id, user.id);
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
 * edit_post comes with channel membership (channel_user), not with system_post_all, so a bot that posts into a
 * channel it is not a member of cannot edit that post afterwards. Editing someone else's post needs
 * edit_others_posts (admins).
 */
export function canEditPost(store: SimStore, user: SimUser, post: SimPost): boolean {
  if (isSystemAdmin(user)) return true;
  return post.user_id === user.id && store.isChannelMember(post.channel_id, user.id);
}
