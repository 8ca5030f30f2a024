// Channel membership (api4/channel.go addChannelMember, getChannelMember, removeChannelMember; app/channel.go
// AddUserToChannel) with the permission checks the real server makes.
import { AppError, invalidBodyParam, permissionError } from '../app-error';
import { isValidId } from '../ids';
import { hasChannelPermission, hasTeamPermission } from '../permissions';
import { jsonBody, ok, sessionRoute, statusOK, type Route, type SessionContext } from '../router';
import type { SimChannel } from '../store';
import { idParam, missingUser, userIdParam } from './common';

/** ChannelMember JSON as the server sends it for a member with the default scheme roles. */
function memberJson(channelId: string, userId: string) {
  return {
    channel_id: channelId,
    user_id: userId,
    roles: 'channel_user',
    last_viewed_at: 0,
    msg_count: 0,
    mention_count: 0,
    mention_count_root: 0,
    urgent_mention_count: 0,
    msg_count_root: 0,
    notify_props: { desktop: 'default', email: 'default', ignore_channel_mentions: 'default', mark_unread: 'all', push: 'default' },
    last_update_at: 0,
    scheme_guest: false,
    scheme_user: true,
    scheme_admin: false,
    explicit_roles: '',
  };
}

function channelParam(ctx: SessionContext): SimChannel {
  const channel = ctx.store.channels.get(idParam(ctx, 'channel_id'));
  if (!channel) throw new AppError('app.channel.get.existing.app_error', 404);
  return channel;
}

const missingMember = () => new AppError('app.channel.get_member.missing.app_error', 404);

/**
 * POST /channels/{id}/members {user_id} (or {user_ids}): 201 with the member, also when it already was one.
 * Public channel: adding yourself needs join_public_channels on the team (team members have it), adding
 * someone else manage_public_channel_members on the channel (its members and team admins have it). Private
 * channel: manage_private_channel_members. The user must be in the channel's team (404 otherwise).
 */
function addChannelMember(ctx: SessionContext) {
  const channelId = idParam(ctx, 'channel_id');
  const raw = jsonBody(ctx, 'user_id or user_ids');
  const body = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  let userIds: string[];
  if (Array.isArray(body.user_ids)) {
    if (body.user_ids.some((u) => typeof u !== 'string' || !isValidId(u))) throw invalidBodyParam('user_id in user_ids');
    userIds = body.user_ids as string[];
  } else {
    if (typeof body.user_id !== 'string' || !isValidId(body.user_id)) throw invalidBodyParam('user_id or user_ids');
    userIds = [body.user_id];
  }
  const channel = ctx.store.channels.get(channelId);
  if (!channel) throw new AppError('app.channel.get.existing.app_error', 404);
  if (channel.type === 'D' || channel.type === 'G') throw new AppError('api.channel.add_user_to_channel.type.app_error', 400);
  if (channel.type === 'P' && !hasChannelPermission(ctx.store, ctx.user, channel, 'manage_private_channel_members')) {
    throw permissionError(ctx.user.id, 'manage_private_channel_members');
  }
  const canAddSelf = channel.type === 'O' && hasTeamPermission(ctx.store, ctx.user, channel.team_id, 'join_public_channels');
  const canAddOthers = channel.type === 'O' && hasChannelPermission(ctx.store, ctx.user, channel, 'manage_public_channel_members');

  const added: ReturnType<typeof memberJson>[] = [];
  let lastError: AppError | null = null;
  for (const userId of userIds) {
    const already = ctx.store.isChannelMember(channel.id, userId);
    const self = userId === ctx.user.id;
    if (channel.type === 'O') {
      if (self && already) {
        added.push(memberJson(channel.id, userId));
        continue;
      }
      if (self ? !canAddSelf : !canAddOthers) {
        lastError = permissionError(ctx.user.id, self ? 'join_public_channels' : 'manage_public_channel_members');
        continue;
      }
    }
    if (already) {
      added.push(memberJson(channel.id, userId));
      continue;
    }
    const user = ctx.store.users.get(userId);
    if (!user) {
      lastError = missingUser();
      continue;
    }
    const teamMember = ctx.store.teamMembers.get(channel.team_id)?.get(userId);
    if (!teamMember) {
      lastError = new AppError('app.team.get_member.missing.app_error', 404);
      continue;
    }
    if (teamMember.delete_at !== 0) {
      lastError = new AppError('api.channel.add_user.to.channel.failed.deleted.app_error', 400);
      continue;
    }
    ctx.store.addChannelMember(channel.id, userId);
    added.push(memberJson(channel.id, userId));
  }
  if (lastError && added.length === 0) throw lastError;
  // A single user_id answers the member object; user_ids an array.
  return ok(typeof body.user_id === 'string' && !Array.isArray(body.user_ids) && added.length === 1 ? added[0] : added, 201);
}

/** GET /channels/{id}/members/{user_id}: read_channel on the channel; 404 for a non-member. */
function getChannelMember(ctx: SessionContext) {
  const channel = channelParam(ctx);
  const userId = userIdParam(ctx);
  if (!hasChannelPermission(ctx.store, ctx.user, channel, 'read_channel')) throw permissionError(ctx.user.id, 'read_channel');
  if (!ctx.store.isChannelMember(channel.id, userId)) throw missingMember();
  return ok(memberJson(channel.id, userId));
}

/** DELETE /channels/{id}/members/{user_id}: yourself always; others need manage_*_channel_members. */
function removeChannelMember(ctx: SessionContext) {
  const channel = channelParam(ctx);
  const userId = userIdParam(ctx);
  if (!ctx.store.users.get(userId)) throw missingUser();
  if (channel.type !== 'O' && channel.type !== 'P') throw new AppError('api.channel.remove_channel_member.type.app_error', 400);
  if (userId !== ctx.user.id) {
    const needed = channel.type === 'O' ? 'manage_public_channel_members' : 'manage_private_channel_members';
    if (!hasChannelPermission(ctx.store, ctx.user, channel, needed)) throw permissionError(ctx.user.id, needed);
  }
  if (!ctx.store.removeChannelMember(channel.id, userId)) throw missingMember();
  return statusOK();
}

export const channelMemberRoutes: Route[] = [
  sessionRoute('POST', '/channels/:channel_id/members', addChannelMember),
  sessionRoute('GET', '/channels/:channel_id/members/:user_id', getChannelMember),
  sessionRoute('DELETE', '/channels/:channel_id/members/:user_id', removeChannelMember),
];
