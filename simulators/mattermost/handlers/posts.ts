import { AppError, invalidBodyParam, permissionError } from '../app-error';
import { newId } from '../ids';
import { canCreatePost, canReadChannel, hasChannelPermission, isSystemAdmin, missingEditPermission } from '../permissions';
import { jsonObjectBody, ok, sessionRoute, statusOK, stringField, type Route, type SessionContext } from '../router';
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

/** The parts of Post.IsValid a client can get wrong (root_id is checked earlier, by looking the root up). */
function validatePost(ctx: SessionContext, post: Pick<SimPost, 'message' | 'props' | 'file_ids'>): void {
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
export function postJson(post: SimPost): Omit<SimPost, 'has_reactions'> & { has_reactions?: true } {
  const { has_reactions: hasReactions, ...rest } = structuredClone(post);
  for (const attachment of attachmentsOf(rest.props)) {
    for (const action of actionsOf(attachment)) delete action.integration;
  }
  return hasReactions ? { ...rest, has_reactions: true } : rest;
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

  // App.CreatePost looks the root up before Post.IsValid runs: a malformed root_id is simply not found, so it
  // gets the same api.post.create_post.root_id error as an unknown one (never model.post.is_valid.root_id).
  let root: SimPost | undefined;
  if (rootId !== '') {
    root = ctx.store.posts.get(rootId);
    if (!root || root.delete_at !== 0 || root.root_id !== '') throw new AppError('api.post.create_post.root_id.app_error', 400);
    if (root.channel_id !== channelId) throw new AppError('api.post.create_post.channel_root_id.app_error', 400);
  }
  validatePost(ctx, { message, props, file_ids: fileIds });

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
    has_reactions: false,
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
function editablePost(ctx: SessionContext, fullUpdate: boolean): SimPost {
  const post = ctx.store.posts.get(idParam(ctx, 'post_id'));
  if (!post || post.delete_at !== 0) throw permissionError(ctx.user.id, 'edit_post');
  // updatePost checks edit_post on the channel even for someone else's post, then edit_others_posts.
  const channel = ctx.store.channels.get(post.channel_id);
  if (fullUpdate && channel && !hasChannelPermission(ctx.store, ctx.user, channel, 'edit_post')) {
    throw permissionError(ctx.user.id, 'edit_post');
  }
  const missing = missingEditPermission(ctx.store, ctx.user, post);
  if (missing) throw permissionError(ctx.user.id, missing);
  return post;
}

interface PostChange {
  message: string;
  props: Record<string, unknown>;
  file_ids: string[];
  is_pinned: boolean;
  has_reactions: boolean;
}

/**
 * App.UpdatePost: edit_at moves only when the message, the file ids or the attachments change (a pin, a
 * reaction flag or other props do not); update_at moves on every save. Returns the post as answered.
 */
function saveChange(ctx: SessionContext, post: SimPost, next: PostChange) {
  validatePost(ctx, next);
  const now = Date.now();
  const edited =
    next.message !== post.message ||
    JSON.stringify(next.file_ids) !== JSON.stringify(post.file_ids) ||
    JSON.stringify(attachmentsOf(next.props)) !== JSON.stringify(attachmentsOf(post.props));
  post.message = next.message;
  post.props = next.props;
  post.file_ids = next.file_ids;
  post.is_pinned = next.is_pinned;
  post.has_reactions = next.has_reactions;
  if (edited) post.edit_at = now;
  post.update_at = now;
  return ok(postJson(post));
}

function boolField(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidBodyParam('post');
  return v;
}

/**
 * PUT /posts/{id}: a full update (UpdatePostOptions.SafeUpdate false). The server takes message, is_pinned,
 * has_reactions and the whole props map from the body: omitted ones become blank, false and {} (so a pinned
 * post is unpinned and from_bot is dropped). Only omitted file_ids keep the old ones.
 */
function updatePost(ctx: SessionContext) {
  const postId = idParam(ctx, 'post_id');
  const body = jsonObjectBody(ctx, 'post');
  if (stringField(body, 'id', 'post') !== postId) throw invalidBodyParam('id');
  const message = stringField(body, 'message', 'post');
  const props = objectField(body, 'props') ?? {};
  const fileIds = fileIdsField(body);
  const isPinned = boolField(body, 'is_pinned') ?? false;
  const hasReactions = boolField(body, 'has_reactions') ?? false;
  const post = editablePost(ctx, true);
  return saveChange(ctx, post, {
    message,
    props: withActionIds(props),
    file_ids: fileIds ?? post.file_ids,
    is_pinned: isPinned,
    has_reactions: hasReactions,
  });
}

/** PUT /posts/{id}/patch: only the fields given change (Post.Patch); props, when given, replaces the whole map. */
function patchPost(ctx: SessionContext) {
  const body = jsonObjectBody(ctx, 'post');
  const message = body.message === undefined || body.message === null ? undefined : stringField(body, 'message', 'post');
  const props = objectField(body, 'props');
  const fileIds = fileIdsField(body);
  const isPinned = boolField(body, 'is_pinned');
  const hasReactions = boolField(body, 'has_reactions');
  const post = editablePost(ctx, false);
  return saveChange(ctx, post, {
    message: message ?? post.message,
    props: props ? withActionIds(props) : post.props,
    file_ids: fileIds ?? post.file_ids,
    is_pinned: isPinned ?? post.is_pinned,
    has_reactions: hasReactions ?? post.has_reactions,
  });
}

/** POST /posts/{id}/pin and /unpin (saveIsPinnedPost): read_channel is enough; a patch of is_pinned only. */
function setPinned(pinned: boolean) {
  return (ctx: SessionContext) => {
    const post = ctx.store.posts.get(idParam(ctx, 'post_id'));
    if (!post || post.delete_at !== 0) throw permissionError(ctx.user.id, 'read_channel_content');
    const channel = ctx.store.channels.get(post.channel_id);
    if (!channel || !canReadChannel(ctx.store, ctx.user, channel)) throw permissionError(ctx.user.id, 'read_channel_content');
    saveChange(ctx, post, { ...post, is_pinned: pinned });
    return statusOK();
  };
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
  sessionRoute('POST', '/posts/:post_id/pin', setPinned(true)),
  sessionRoute('POST', '/posts/:post_id/unpin', setPinned(false)),
];
