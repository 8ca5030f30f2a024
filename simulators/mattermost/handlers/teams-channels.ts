import { AppError, invalidBodyParam, invalidUrlParam, permissionError } from '../app-error';
import { isValidId, newId } from '../ids';
import { canReadChannel, hasSystemPermission, isSystemAdmin } from '../permissions';
import { jsonBody, jsonObjectBody, ok, sessionRoute, stringField, type Route, type SessionContext } from '../router';
import type { SimChannel, SimTeam } from '../store';
import { idParam, missingUser } from './common';

const TEAM_NAME = /^[a-z0-9][a-z0-9_-]{0,62}[a-z0-9]$/;
const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function teamNameParam(ctx: SessionContext): string {
  const name = ctx.params.team_name ?? '';
  if (!TEAM_NAME.test(name)) throw invalidUrlParam('team_name');
  return name;
}

function teamByName(ctx: SessionContext, name: string): SimTeam {
  const team = ctx.store.teamByName(name);
  if (!team) throw new AppError('app.team.get_by_name.missing.app_error', 404, {}, `name=${name}`);
  return team;
}

function getTeamByName(ctx: SessionContext) {
  const team = teamByName(ctx, teamNameParam(ctx));
  const open = team.type === 'O' && team.allow_open_invite;
  if (!open && !isSystemAdmin(ctx.user) && !ctx.store.isTeamMember(team.id, ctx.user.id)) {
    throw permissionError(ctx.user.id, 'view_team');
  }
  return ok(team);
}

function getChannelByNameForTeamName(ctx: SessionContext) {
  const teamName = teamNameParam(ctx);
  const channelName = ctx.params.channel_name ?? '';
  if (!CHANNEL_NAME.test(channelName) && !/^[a-z0-9]{26}__[a-z0-9]{26}$/.test(channelName)) {
    throw invalidUrlParam('channel_name');
  }
  const team = teamByName(ctx, teamName);
  const channel = ctx.store.channelByName(team.id, channelName);
  const includeDeleted = ctx.query.get('include_deleted') === 'true';
  const missing = () => new AppError('app.channel.get_by_name.missing.app_error', 404, {}, `name=${channelName}`);
  if (!channel || (channel.delete_at !== 0 && !includeDeleted)) throw missing();
  if (!canReadChannel(ctx.store, ctx.user, channel)) {
    // A private channel you cannot read does not exist as far as you can tell; a public one is a 403.
    if (channel.type !== 'O') throw missing();
    throw permissionError(ctx.user.id, 'read_channel');
  }
  return ok(channel);
}

function getChannel(ctx: SessionContext) {
  const channel = ctx.store.channels.get(idParam(ctx, 'channel_id'));
  if (!channel) throw new AppError('app.channel.get.existing.app_error', 404);
  if (!canReadChannel(ctx.store, ctx.user, channel)) throw permissionError(ctx.user.id, 'read_channel');
  return ok(channel);
}

/** POST /channels/direct: get-or-create, 201 either way; one of the two ids must be the caller's. */
function createDirectChannel(ctx: SessionContext) {
  const body = jsonBody(ctx, 'user_ids');
  if (!Array.isArray(body) || body.length !== 2 || body.some((v) => typeof v !== 'string')) throw invalidBodyParam('user_ids');
  const [a, b] = body as [string, string];
  if (!isValidId(a) || !isValidId(b)) throw invalidBodyParam('user_id');
  if (a !== ctx.user.id && b !== ctx.user.id && !hasSystemPermission(ctx.user, 'manage_system')) {
    throw permissionError(ctx.user.id, 'manage_system');
  }
  if (!hasSystemPermission(ctx.user, 'create_direct_channel')) throw permissionError(ctx.user.id, 'create_direct_channel');
  for (const id of [a, b]) {
    if (!ctx.store.users.get(id)) throw new AppError('api.channel.create_direct_channel.invalid_user.app_error', 400, {}, `user_id=${id}`);
  }
  const name = a < b ? `${a}__${b}` : `${b}__${a}`;
  let channel = [...ctx.store.channels.values()].find((c) => c.type === 'D' && c.name === name);
  if (!channel) {
    const now = Date.now();
    channel = newChannel({ team_id: '', type: 'D', name, display_name: '', creator_id: ctx.user.id }, now);
    ctx.store.channels.set(channel.id, channel);
    ctx.store.addChannelMember(channel.id, a);
    ctx.store.addChannelMember(channel.id, b);
  }
  return ok(channel, 201);
}

function addTeamMember(ctx: SessionContext) {
  const teamId = idParam(ctx, 'team_id');
  const body = jsonObjectBody(ctx, 'team_member');
  if (stringField(body, 'team_id', 'team_member') !== teamId) throw invalidBodyParam('team_id');
  const userId = stringField(body, 'user_id', 'team_member');
  if (!isValidId(userId)) throw invalidBodyParam('user_id');
  const team = ctx.store.teams.get(teamId);
  if (userId === ctx.user.id) {
    if (!team) throw new AppError('app.team.get.find.app_error', 404);
    const joinPerm = team.allow_open_invite ? 'join_public_teams' : 'join_private_teams';
    if (!hasSystemPermission(ctx.user, joinPerm) && !ctx.store.isTeamMember(team.id, ctx.user.id)) {
      throw permissionError(ctx.user.id, joinPerm);
    }
  } else if (!isSystemAdmin(ctx.user) && !(team && ctx.store.isTeamMember(team.id, ctx.user.id))) {
    // add_user_to_team: team members hold it in the default scheme, admins everywhere.
    throw permissionError(ctx.user.id, 'add_user_to_team');
  }
  if (!team) throw new AppError('app.team.get.find.app_error', 404);
  if (!ctx.store.users.get(userId)) throw missingUser();
  // Adding an existing member returns the existing membership (still 201).
  return ok(ctx.store.addTeamMember(team.id, userId), 201);
}

export function newChannel(
  fields: Pick<SimChannel, 'team_id' | 'type' | 'name' | 'display_name' | 'creator_id'>,
  now = Date.now(),
): SimChannel {
  return {
    id: newId(),
    create_at: now,
    update_at: now,
    delete_at: 0,
    header: '',
    purpose: '',
    last_post_at: 0,
    total_msg_count: 0,
    extra_update_at: 0,
    scheme_id: null,
    group_constrained: null,
    shared: null,
    total_msg_count_root: 0,
    last_root_post_at: 0,
    ...fields,
  };
}

export function newTeam(fields: Pick<SimTeam, 'name' | 'display_name' | 'type'>, now = Date.now()): SimTeam {
  return {
    id: newId(),
    create_at: now,
    update_at: now,
    delete_at: 0,
    description: '',
    email: '',
    company_name: '',
    allowed_domains: '',
    invite_id: newId(),
    allow_open_invite: fields.type === 'O',
    scheme_id: null,
    group_constrained: null,
    ...fields,
  };
}

export const teamChannelRoutes: Route[] = [
  sessionRoute('GET', '/teams/name/:team_name', getTeamByName),
  sessionRoute('GET', '/teams/name/:team_name/channels/name/:channel_name', getChannelByNameForTeamName),
  sessionRoute('POST', '/teams/:team_id/members', addTeamMember),
  sessionRoute('POST', '/channels/direct', createDirectChannel),
  sessionRoute('GET', '/channels/:channel_id', getChannel),
];
