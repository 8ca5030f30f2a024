import { AppError, invalidBodyParam, permissionError } from '../app-error';
import { hasSystemPermission } from '../permissions';
import { jsonObjectBody, ok, sessionRoute, type Route, type SessionContext } from '../router';
import type { SimBot } from '../store';
import { botJson, idParam, isValidUsername, page } from './common';

const DISPLAY_NAME_MAX_RUNES = 64;
const DESCRIPTION_MAX_RUNES = 1024;

interface BotPatch {
  username?: string;
  display_name?: string;
  description?: string;
}

function botPatchBody(ctx: SessionContext): BotPatch {
  const body = jsonObjectBody(ctx, 'bot');
  const patch: BotPatch = {};
  for (const field of ['username', 'display_name', 'description'] as const) {
    const v = body[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalidBodyParam('bot');
    patch[field] = v;
  }
  return patch;
}

/** Bot.IsValidCreate; the display-name error id really is the user_id one in the server. */
function validateBot(bot: Pick<SimBot, 'username' | 'display_name' | 'description'>): void {
  if (!isValidUsername(bot.username)) throw new AppError('model.bot.is_valid.username.app_error', 400);
  if (Array.from(bot.display_name).length > DISPLAY_NAME_MAX_RUNES) throw new AppError('model.bot.is_valid.user_id.app_error', 400);
  if (Array.from(bot.description).length > DESCRIPTION_MAX_RUNES) throw new AppError('model.bot.is_valid.description.app_error', 400);
}

function createBot(ctx: SessionContext) {
  const patch = botPatchBody(ctx);
  if (!hasSystemPermission(ctx.user, 'create_bot')) throw permissionError(ctx.user.id, 'create_bot');
  if (ctx.user.is_bot) throw permissionError(ctx.user.id, 'create_bot');
  if (!ctx.settings.enableBotAccountCreation) throw new AppError('api.bot.create_disabled', 403);
  const fields = { username: patch.username ?? '', display_name: patch.display_name ?? '', description: patch.description ?? '' };
  validateBot(fields);
  if (ctx.store.userByUsername(fields.username)) {
    throw new AppError('app.user.save.username_exists.app_error', 400);
  }
  const bot = ctx.store.createBot({ ...fields, owner_id: ctx.user.id });
  return ok(botJson(bot), 201);
}

/**
 * getBot/getBots: read_others_bots sees every bot, read_bots only your own; a bot you may not read answers
 * exactly like a missing one, so the endpoint never reveals which users are bots.
 */
function mayRead(ctx: SessionContext, bot: SimBot): boolean {
  if (hasSystemPermission(ctx.user, 'read_others_bots')) return true;
  return bot.owner_id === ctx.user.id && hasSystemPermission(ctx.user, 'read_bots');
}

function botNotFound(userId: string): AppError {
  return new AppError('store.sql_bot.get.missing.app_error', 404, {}, `user_id=${userId}`);
}

function getBot(ctx: SessionContext) {
  const id = idParam(ctx, 'bot_user_id');
  const bot = ctx.store.bots.get(id);
  const includeDeleted = ctx.query.get('include_deleted') === 'true';
  if (!bot || (bot.delete_at !== 0 && !includeDeleted) || !mayRead(ctx, bot)) throw botNotFound(id);
  return ok(botJson(bot));
}

function getBots(ctx: SessionContext) {
  let owner: string | null;
  if (hasSystemPermission(ctx.user, 'read_others_bots')) owner = null;
  else if (hasSystemPermission(ctx.user, 'read_bots')) owner = ctx.user.id;
  else throw permissionError(ctx.user.id, 'read_bots');
  const includeDeleted = ctx.query.get('include_deleted') === 'true';
  const onlyOrphaned = ctx.query.get('only_orphaned') === 'true';
  const bots = [...ctx.store.bots.values()]
    .filter((b) => owner === null || b.owner_id === owner)
    .filter((b) => includeDeleted || b.delete_at === 0)
    .filter((b) => !onlyOrphaned || (ctx.store.users.get(b.owner_id)?.delete_at ?? 1) !== 0)
    .sort((a, b) => a.username.localeCompare(b.username));
  return ok(page(bots, ctx.query).map(botJson));
}

/** SessionHasPermissionToManageBot: manage_bots for your own bots, manage_others_bots for the rest. */
function manageableBot(ctx: SessionContext): SimBot {
  const id = idParam(ctx, 'bot_user_id');
  const bot = ctx.store.bots.get(id);
  if (!bot || !mayRead(ctx, bot)) throw botNotFound(id);
  const needed = bot.owner_id === ctx.user.id ? 'manage_bots' : 'manage_others_bots';
  if (!hasSystemPermission(ctx.user, needed)) throw permissionError(ctx.user.id, needed);
  return bot;
}

function patchBot(ctx: SessionContext) {
  const patch = botPatchBody(ctx);
  const bot = manageableBot(ctx);
  const next = {
    username: patch.username ?? bot.username,
    display_name: patch.display_name ?? bot.display_name,
    description: patch.description ?? bot.description,
  };
  validateBot(next);
  const clash = ctx.store.userByUsername(next.username);
  if (clash && clash.id !== bot.user_id) throw new AppError('app.user.save.username_exists.app_error', 400);
  const now = Date.now();
  Object.assign(bot, next, { update_at: now });
  // PatchBot also rewrites the bot's user row.
  const user = ctx.store.users.get(bot.user_id);
  if (user) Object.assign(user, { username: next.username, first_name: next.display_name, bot_description: next.description, update_at: now });
  return ok(botJson(bot));
}

function setBotActive(active: boolean) {
  return (ctx: SessionContext) => {
    const bot = manageableBot(ctx);
    const now = Date.now();
    bot.delete_at = active ? 0 : now;
    bot.update_at = now;
    const user = ctx.store.users.get(bot.user_id);
    if (user) Object.assign(user, { delete_at: bot.delete_at, update_at: now });
    return ok(botJson(bot));
  };
}

export const botRoutes: Route[] = [
  sessionRoute('POST', '/bots', createBot),
  sessionRoute('GET', '/bots', getBots),
  sessionRoute('GET', '/bots/:bot_user_id', getBot),
  sessionRoute('PUT', '/bots/:bot_user_id', patchBot),
  sessionRoute('POST', '/bots/:bot_user_id/enable', setBotActive(true)),
  sessionRoute('POST', '/bots/:bot_user_id/disable', setBotActive(false)),
];
