import { AppError, invalidBodyParam, invalidUrlParam, permissionError } from '../app-error';
import { KNOWN_SYSTEM_ROLES, hasSystemPermission, isSystemAdmin } from '../permissions';
import { jsonBody, jsonObjectBody, ok, sessionRoute, statusOK, type Route, type SessionContext } from '../router';
import type { SimAccessToken, SimUser } from '../store';
import { isValidUsername, missingUser, page, sanitizeUser, userIdParam } from './common';

function getUser(ctx: SessionContext) {
  const user = ctx.store.users.get(userIdParam(ctx));
  if (!user) throw missingUser();
  return ok(sanitizeUser(user, ctx.user, ctx.settings));
}

function getUserByUsername(ctx: SessionContext) {
  const username = ctx.params.username ?? '';
  if (!isValidUsername(username)) throw invalidUrlParam('username');
  const user = ctx.store.userByUsername(username);
  if (!user) throw new AppError('app.user.get_by_username.app_error', 404);
  return ok(sanitizeUser(user, ctx.user, ctx.settings));
}

function getUserByEmail(ctx: SessionContext) {
  const email = ctx.params.email ?? '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidUrlParam('email');
  if (!ctx.settings.showEmailAddress && !isSystemAdmin(ctx.user)) {
    throw new AppError('api.user.get_user_by_email.permissions.app_error', 403);
  }
  const user = ctx.store.userByEmail(email);
  if (!user) throw missingUser();
  return ok(sanitizeUser(user, ctx.user, ctx.settings));
}

function getUsersByIds(ctx: SessionContext) {
  const body = jsonBody(ctx, 'user_ids');
  if (!Array.isArray(body) || body.some((v) => typeof v !== 'string')) throw invalidBodyParam('user_ids');
  const users = (body as string[])
    .map((id) => ctx.store.users.get(id))
    .filter((u): u is SimUser => u !== undefined)
    .map((u) => sanitizeUser(u, ctx.user, ctx.settings));
  return ok(users);
}

// IsValidUserRoles: role names of [a-z0-9_], and never system_admin alone (it must come with system_user).
function isValidUserRoles(roles: string[]): boolean {
  if (roles.some((r) => !/^[a-z0-9_]{1,64}$/.test(r))) return false;
  return !(roles.length === 1 && roles[0] === 'system_admin');
}

function updateUserRoles(ctx: SessionContext) {
  const userId = userIdParam(ctx);
  const body = jsonObjectBody(ctx, 'roles');
  if (typeof body.roles !== 'string') throw invalidBodyParam('roles');
  const roles = body.roles.split(/\s+/).filter(Boolean);
  if (!isValidUserRoles(roles)) throw invalidBodyParam('roles');
  if (!hasSystemPermission(ctx.user, 'manage_roles')) throw permissionError(ctx.user.id, 'manage_roles');
  const user = ctx.store.users.get(userId);
  if (!user) throw missingUser();
  const unknown = roles.find((r) => !KNOWN_SYSTEM_ROLES.has(r));
  if (unknown !== undefined) throw new AppError('app.role.check_roles_exist.role_not_found', 400, {}, `role=${unknown}`);
  user.roles = roles.join(' ');
  user.update_at = Date.now();
  return statusOK();
}

function getTeamsForUser(ctx: SessionContext) {
  const userId = userIdParam(ctx);
  if (userId !== ctx.user.id && !hasSystemPermission(ctx.user, 'manage_system')) {
    throw permissionError(ctx.user.id, 'manage_system');
  }
  const teams = [...ctx.store.teams.values()].filter((t) => t.delete_at === 0 && ctx.store.isTeamMember(t.id, userId));
  return ok(teams);
}

// SessionHasPermissionToUserOrBot: yourself, anyone with edit_other_users (admins), or a bot you may manage.
function mayActOnUser(ctx: SessionContext, target: string): boolean {
  if (target === ctx.user.id || hasSystemPermission(ctx.user, 'edit_other_users')) return true;
  const bot = ctx.store.bots.get(target);
  if (!bot) return false;
  return hasSystemPermission(ctx.user, bot.owner_id === ctx.user.id ? 'manage_bots' : 'manage_others_bots');
}

function createUserAccessToken(ctx: SessionContext) {
  const userId = userIdParam(ctx);
  const body = jsonObjectBody(ctx, 'user_access_token');
  if (body.description !== undefined && typeof body.description !== 'string') throw invalidBodyParam('user_access_token');
  const description = (body.description as string | undefined) ?? '';
  if (description === '') throw invalidBodyParam('description');
  if (!hasSystemPermission(ctx.user, 'create_user_access_token')) throw permissionError(ctx.user.id, 'create_user_access_token');
  if (!mayActOnUser(ctx, userId)) throw permissionError(ctx.user.id, 'edit_other_users');
  const target = ctx.store.users.get(userId);
  if (!target) throw missingUser();
  // Bots may always get tokens; PATs for humans need EnableUserAccessTokens (app/user_access_token.go).
  if (!ctx.settings.enableUserAccessTokens && !target.is_bot) throw new AppError('app.user_access_token.disabled', 501);
  const token = ctx.store.issueCredential(userId, 'access_token', description);
  const record = [...ctx.store.accessTokens.values()].find((t) => t.token === token) as SimAccessToken;
  // 200, not the 201 the OpenAPI spec documents.
  return ok({ ...record });
}

function getUserAccessTokensForUser(ctx: SessionContext) {
  const userId = userIdParam(ctx);
  if (!hasSystemPermission(ctx.user, 'read_user_access_token')) throw permissionError(ctx.user.id, 'read_user_access_token');
  if (!mayActOnUser(ctx, userId)) throw permissionError(ctx.user.id, 'edit_other_users');
  const tokens = [...ctx.store.accessTokens.values()]
    .filter((t) => t.user_id === userId)
    .map(({ token: _secret, ...sanitized }) => sanitized);
  return ok(page(tokens, ctx.query));
}

export const userRoutes: Route[] = [
  sessionRoute('POST', '/users/ids', getUsersByIds),
  sessionRoute('GET', '/users/username/:username', getUserByUsername),
  sessionRoute('GET', '/users/email/:email', getUserByEmail),
  sessionRoute('GET', '/users/:user_id', getUser),
  sessionRoute('PUT', '/users/:user_id/roles', updateUserRoles),
  sessionRoute('GET', '/users/:user_id/teams', getTeamsForUser),
  sessionRoute('POST', '/users/:user_id/tokens', createUserAccessToken),
  sessionRoute('GET', '/users/:user_id/tokens', getUserAccessTokensForUser),
];
