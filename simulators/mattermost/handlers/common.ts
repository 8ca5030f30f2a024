import { AppError, invalidUrlParam } from '../app-error';
import { isValidId } from '../ids';
import { isSystemAdmin } from '../permissions';
import type { SessionContext } from '../router';
import type { MattermostSimulatorSettings } from '../settings';
import type { SimBot, SimUser } from '../store';

/** RequireUserId: "me" stands for the session's user; anything else must be a valid id. */
export function userIdParam(ctx: SessionContext, name = 'user_id'): string {
  const raw = ctx.params[name] ?? '';
  const id = raw === 'me' ? ctx.user.id : raw;
  if (!isValidId(id)) throw invalidUrlParam(name);
  return id;
}

export function idParam(ctx: SessionContext, name: string): string {
  const id = ctx.params[name] ?? '';
  if (!isValidId(id)) throw invalidUrlParam(name);
  return id;
}

export function missingUser(): AppError {
  return new AppError('app.user.missing_account.const', 404);
}

/** User.Sanitize: never the password or auth data; the email only when privacy allows or the viewer may see it. */
export function sanitizeUser(user: SimUser, viewer: SimUser | null, settings: MattermostSimulatorSettings): SimUser {
  const copy: SimUser = { ...user, props: { ...user.props }, timezone: { ...user.timezone }, notify_props: { ...user.notify_props } };
  const self = viewer?.id === user.id;
  const admin = viewer !== null && isSystemAdmin(viewer);
  if (!self && !admin) {
    copy.notify_props = {};
    if (!settings.showEmailAddress) copy.email = '';
  }
  return copy;
}

/** Bot JSON: display_name and description are omitempty; newer servers add the computed system_owned. */
export function botJson(bot: SimBot): Record<string, unknown> {
  const out: Record<string, unknown> = { user_id: bot.user_id, username: bot.username };
  if (bot.display_name !== '') out.display_name = bot.display_name;
  if (bot.description !== '') out.description = bot.description;
  out.owner_id = bot.owner_id;
  out.create_at = bot.create_at;
  out.update_at = bot.update_at;
  out.delete_at = bot.delete_at;
  out.system_owned = false;
  return out;
}

/** IsValidUsername (server/public/model/user.go): 1-64 of [a-z0-9.-_], not a reserved mention word. */
export function isValidUsername(s: string): boolean {
  return s.length >= 1 && s.length <= 64 && /^[a-z0-9.\-_]+$/.test(s) && !['all', 'channel', 'matterbot', 'system'].includes(s);
}

/** Paging as the server applies it: per_page defaults to 60 and is capped at 200. */
export function page<T>(items: T[], query: URLSearchParams): T[] {
  const pageNo = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0);
  const perPageRaw = Number.parseInt(query.get('per_page') ?? '60', 10);
  const perPage = Math.min(200, Number.isFinite(perPageRaw) && perPageRaw > 0 ? perPageRaw : 60);
  return items.slice(pageNo * perPage, pageNo * perPage + perPage);
}
