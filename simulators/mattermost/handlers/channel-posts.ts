/**
 * GET /channels/{channel_id}/posts (api4/post.go getPostsForChannel, GetPostsPage): one page of the
 * channel's posts, newest first by create_at, replies included (no collapsed threads), as a PostList
 * {order, posts, next_post_id, prev_post_id, has_next}. `page` (default 0) and `per_page` (default 60,
 * at most 200) select the page; deleted posts are left out. Needs read_channel_content on the channel
 * (a member, or a team member for an open channel), else 403.
 */
import { AppError, permissionError } from '../app-error';
import { canReadChannel } from '../permissions';
import { ok, sessionRoute, type Route, type SessionContext } from '../router';
import { idParam } from './common';
import { postJson } from './posts';

const DEFAULT_PER_PAGE = 60;
const MAX_PER_PAGE = 200;

function intParam(ctx: SessionContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new AppError('api.context.invalid_url_param.app_error', 400, { Name: name });
  return n;
}

function getPostsForChannel(ctx: SessionContext) {
  const channelId = idParam(ctx, 'channel_id');
  const channel = ctx.store.channels.get(channelId);
  if (!channel || !canReadChannel(ctx.store, ctx.user, channel)) throw permissionError(ctx.user.id, 'read_channel_content');
  const page = intParam(ctx, 'page', 0);
  const perPage = Math.min(intParam(ctx, 'per_page', DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const all = [...ctx.store.posts.values()].filter((p) => p.channel_id === channelId && p.delete_at === 0).sort((a, b) => b.create_at - a.create_at);
  const slice = all.slice(page * perPage, page * perPage + perPage);
  const posts: Record<string, unknown> = {};
  for (const p of slice) posts[p.id] = postJson(p);
  return ok({ order: slice.map((p) => p.id), posts, next_post_id: '', prev_post_id: '', has_next: all.length > (page + 1) * perPage });
}

export const channelPostRoutes: Route[] = [sessionRoute('GET', '/channels/:channel_id/posts', getPostsForChannel)];
