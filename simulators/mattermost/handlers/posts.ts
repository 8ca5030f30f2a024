import { AppError, invalidBodyParam, permissionError } from '../app-error';
import { isValidId, newId } from '../ids';
import { canCreatePost, canEditPost, canReadChannel, isSystemAdmin } from '../permissions';
import { jsonObjectBody, ok, sessionRoute, stringField, type Route, type SessionContext } from '../router';
import type { SimPost } from '../store';
import { idParam } from './common';

const PROPS_MAX_RUNES = 800000;
const MAX_FILE_IDS = 5;
const PENDING_POST_TTL_MS = 30_000;

/** utf8.RuneCountInString: code points, not UTF-16 units. */
function runes(s: string): number {
  return Array.from(s).length;
}

function objectField(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidBodyParam('post');
  return v as Record<string, unknown>;
}

function fileIdsField(body: Record<string, unknown>): string[] | undefined {
  const v = body.file_ids;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidBodyParam('post');
  return v as string[];
}

/** The parts of Post.IsValid a client can get wrong. */
function validatePost(ctx: SessionContext, post: Pick<SimPost, 'root_id' | 'message' | 'props' | 'file_ids'>): void {
  if (post.root_id !== '' && !isValidId(post.root_id)) throw new AppError('model.post.is_valid.root_id.app_error', 400);
  const length = runes(post.message);
  if (length > ctx.settings.maxPostSize) {
    throw new AppError('model.post.is_valid.message_length.app_error', 400, {
      Length: String(length),
      MaxLength: String(ctx.settings.maxPostSize),
    });
  }
  if (post.file_ids.length > MAX_FILE_IDS) throw new AppError('model.post.is_valid.file_ids.app_error', 400);
  if (runes(JSON.stringify(post.props)) > PROPS_MAX_RUNES) throw new AppError('model.post.is_valid.props.app_error', 400);
}

/** Attachment actions get an id when saved (Post.GenerateActionIds). */
function withActionIds(props: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(props);
  for (const attachment of attachmentsOf(copy)) {
    for (const action of actionsOf(attachment)) {
      if (typeof action.id !== 'string' || action.id === '') action.id = newId();
    }
  }
  return copy;
}

function attachmentsOf(props: Record<string, unknown>): Record<string, unknown>[] {
  const list = props.attachments;
  return Array.isArray(list) ? list.filter((a): a is Record<string, unknown> => a !== null && typeof a === 'object') : [];
}

function actionsOf(attachment: Record<string, unknown>): Record<string, unknown>[] {
  const list = attachment.actions;
  return Array.isArray(list) ? list.filter((a): a is Record<string, unknown> => a !== null && typeof a === 'object') : [];
}

/** Post.StripActionIntegrations: the integration url and context never leave the server. */
export function postJson(post: SimPost): SimPost {
  const copy = structuredClone(post);
  for (const attachment of attachmentsOf(copy.props)) {
    for (const action of actionsOf(attachment)) delete action.integration;
  }
  return copy;
}

function createPost(ctx: SessionContext) {
  const body = jsonObjectBody(ctx, 'post');
  const channelId = stringField(body, 'channel_id', 'post');
  const message = stringField(body, 'message', 'post');
  const rootId = stringField(body, 'root_id', 'post');
  const pendingPostId = stringField(body, 'pending_post_id', 'post');
  const props = objectField(body, 'props') ?? {};
  const fileIds = fileIdsField(body) ?? [];
  const channel = ctx.store.channels.get(channelId);
  if (!canCreatePost(ctx.store, ctx.user, channel) || !channel) throw permissionError(ctx.user.id, 'create_post');
  validatePost(ctx, { root_id: rootId, message, props, file_ids: fileIds });

  let root: SimPost | undefined;
  if (rootId !== '') {
    root = ctx.store.posts.get(rootId);
    if (!root || root.delete_at !== 0 || root.root_id !== '') throw new AppError('api.post.create_post.root_id.app_error', 400);
    if (root.channel_id !== channelId) throw new AppError('api.post.create_post.channel_root_id.app_error', 400);
  }

  // deduplicateCreatePost: a retried create with the same pending_post_id within 30 s returns the first post.
  const now = Date.now();
  if (pendingPostId !== '') {
    const seen = ctx.store.pendingPostIds.get(pendingPostId);
    if (seen && seen.expiresAt > now) {
      const existing = ctx.store.posts.get(seen.postId);
      if (!existing) throw new AppError('api.post.deduplicate_create_post.pending', 500);
      return ok(postJson(existing), 201);
    }
  }

  const storedProps = withActionIds(props);
  if (ctx.user.is_bot) storedProps.from_bot = 'true';
  const post: SimPost = {
    id: newId(),
    create_at: now,
    update_at: now,
    edit_at: 0,
    delete_at: 0,
    is_pinned: false,
    user_id: ctx.user.id,
    channel_id: channelId,
    root_id: rootId,
    original_id: '',
    message,
    type: '',
    props: storedProps,
    hashtags: '',
    file_ids: fileIds,
    pending_post_id: pendingPostId,
    reply_count: root ? root.reply_count + 1 : 0,
    last_reply_at: 0,
    participants: null,
    metadata: {},
  };
  ctx.store.posts.set(post.id, post);
  if (pendingPostId !== '') ctx.store.pendingPostIds.set(pendingPostId, { postId: post.id, expiresAt: now + PENDING_POST_TTL_MS });
  if (root) {
    root.reply_count += 1;
    root.last_reply_at = now;
  }
  channel.last_post_at = now;
  channel.total_msg_count += 1;
  return ok(postJson(post), 201);
}

/** Both update routes answer 403 (not 404) for a post that does not exist: the edit_post check fails first. */
function editablePost(ctx: SessionContext): SimPost {
  const post = ctx.store.posts.get(idParam(ctx, 'post_id'));
  if (!post || post.delete_at !== 0 || !canEditPost(ctx.store, ctx.user, post)) {
    throw permissionError(ctx.user.id, post && post.user_id !== ctx.user.id ? 'edit_others_posts' : 'edit_post');
  }
  return post;
}

function updatePost(ctx: SessionContext) {
  const postId = idParam(ctx, 'post_id');
  const body = jsonObjectBody(ctx, 'post');
  if (stringField(body, 'id', 'post') !== postId) throw invalidBodyParam('id');
  const message = stringField(body, 'message', 'post');
  const props = objectField(body, 'props') ?? {};
  const fileIds = fileIdsField(body);
  const post = editablePost(ctx);
  validatePost(ctx, { root_id: post.root_id, message, props, file_ids: fileIds ?? post.file_ids });
  // A full update: omitted message and props become blank; omitted file_ids keep the old ones.
  const now = Date.now();
  post.message = message;
  post.props = withActionIds(props);
  if (ctx.user.is_bot || post.props.from_bot === 'true') post.props.from_bot = 'true';
  if (fileIds) post.file_ids = fileIds;
  post.edit_at = now;
  post.update_at = now;
  return ok(postJson(post));
}

function patchPost(ctx: SessionContext) {
  const body = jsonObjectBody(ctx, 'post');
  const message = body.message === undefined ? undefined : stringField(body, 'message', 'post');
  const props = objectField(body, 'props');
  const fileIds = fileIdsField(body);
  if (body.is_pinned !== undefined && typeof body.is_pinned !== 'boolean') throw invalidBodyParam('post');
  const post = editablePost(ctx);
  const next = {
    root_id: post.root_id,
    message: message ?? post.message,
    props: props ? withActionIds(props) : post.props,
    file_ids: fileIds ?? post.file_ids,
  };
  validatePost(ctx, next);
  const now = Date.now();
  post.message = next.message;
  // props replaces the whole map when given.
  post.props = next.props;
  post.file_ids = next.file_ids;
  if (typeof body.is_pinned === 'boolean') post.is_pinned = body.is_pinned;
  post.edit_at = now;
  post.update_at = now;
  return ok(postJson(post));
}

function getPost(ctx: SessionContext) {
  const post = ctx.store.posts.get(idParam(ctx, 'post_id'));
  const includeDeleted = ctx.query.get('include_deleted') === 'true' && isSystemAdmin(ctx.user);
  if (!post || (post.delete_at !== 0 && !includeDeleted)) throw new AppError('app.post.get.app_error', 404);
  const channel = ctx.store.channels.get(post.channel_id);
  if (!channel || !canReadChannel(ctx.store, ctx.user, channel)) throw permissionError(ctx.user.id, 'read_channel');
  return ok(postJson(post));
}

export const postRoutes: Route[] = [
  sessionRoute('POST', '/posts', createPost),
  sessionRoute('GET', '/posts/:post_id', getPost),
  sessionRoute('PUT', '/posts/:post_id', updatePost),
  sessionRoute('PUT', '/posts/:post_id/patch', patchPost),
];
