/**
 * Mattermost behind the messenger port (relay/messenger.ts), as Teleport's Go plugin talks to it
 * (integrations/access/mattermost/bot.go): a root post per recipient channel, review replies in its
 * thread (root_id), updates of the root post's text, recipients resolved by the one recipient
 * grammar (model/recipient-grammar.ts): an email or "@user"/username is a direct message from the bot,
 * "team/channel" a channel by URL names, a 26-character id a channel id.
 *
 * Updates go through PUT /posts/{id}/patch with the message only: a pinned root post stays pinned and
 * from_bot and the marker stay in props (the full PUT would replace all three). Editing needs edit_post,
 * which Mattermost grants only to channel members (system_post_all lets a bot post, not edit), so a channel
 * recipient is refused at start-up unless the bot is a member, and a 403 on an update of a post that still
 * exists is reported as "bot not in the channel" (UpdateForbiddenError, counted) and left to be retried.
 *
 * Idempotency: every create carries a pending_post_id derived from the marker (Mattermost answers a
 * repeated create within its 30 s window with the first post), and the marker itself is stored in
 * props.dualauth_marker, so findPost can recognise the bot's own post after the window closed.
 */
import { createHash } from 'node:crypto';
import { MattermostApiError } from '../../../mattermost-client/api-error';
import { parseRecipient } from '../../../model/recipient-grammar';
import { UnknownRecipientError, type Destination, type Messenger, type PostRef } from '../../messenger';
import type { MattermostCalls } from './api';

/** The props key holding a post's marker. */
export const MARKER_PROP = 'dualauth_marker';
/** How far back findPost looks in a channel (pages of 200 posts, newest first). */
const FIND_PAGES = 5;
const FIND_PER_PAGE = 200;

/** The fix for a bot that is not a member of a channel it posts to. */
export function membershipFix(botUsername: string): string {
  return `run "dualauth mattermost apply --bot mattermost-bot.json --url <url>" (the bot file lists the stack's channel recipients) or /invite @${botUsername} in the channel`;
}

/**
 * Mattermost refused to update a post the bot made because the bot is not (or no longer) a member of its
 * channel. Transient on purpose: the update is retried and goes through once membership is restored.
 */
export class UpdateForbiddenError extends Error {
  constructor(
    readonly post: PostRef,
    botUsername: string,
  ) {
    super(
      `Mattermost refused to update post ${post.postId} in channel ${post.address} (403, edit_post): the bot is not a member of the channel, ` +
        `and only members may edit; ${membershipFix(botUsername)}. Retrying until it is`,
    );
    this.name = 'UpdateForbiddenError';
  }
}

export interface MattermostMessengerOptions {
  /** For messages naming the fix (default "teleport"). */
  botUsername?: string;
  /** Called for every update refused because the bot is not in the channel (the relay's metric). */
  onUpdateForbidden?: (post: PostRef) => void;
}

export class MattermostMessenger implements Messenger {
  readonly name = 'mattermost';
  readonly displayName = 'Mattermost';

  constructor(
    private readonly mm: MattermostCalls,
    private readonly botUserId: string,
    private readonly opts: MattermostMessengerOptions = {},
  ) {}

  private get botUsername(): string {
    return this.opts.botUsername ?? 'teleport';
  }

  /** GET /channels/{id}/members/{bot}: 404 (not a member) or 403 (no read_channel, so not a member either). */
  private async botIsMember(channelId: string): Promise<boolean> {
    try {
      await this.mm.getChannelMember(channelId, this.botUserId);
      return true;
    } catch (e) {
      if (e instanceof MattermostApiError && (e.status === 403 || e.status === 404)) return false;
      throw e;
    }
  }

  isRecipient(raw: string): boolean {
    return parseRecipient(raw.trim()).ok;
  }

  personalRecipient(teleportUser: string): string | undefined {
    const p = parseRecipient(teleportUser.trim());
    return p.ok && (p.recipient.kind === 'email' || p.recipient.kind === 'username') ? teleportUser.trim() : undefined;
  }

  isPermanentError(e: unknown): boolean {
    return e instanceof MattermostApiError && (e.status === 400 || e.status === 403 || e.status === 404);
  }

  async lookupRecipient(input: string): Promise<Destination> {
    const raw = input.trim();
    const parsed = parseRecipient(raw);
    if (!parsed.ok) throw new UnknownRecipientError(raw, 'is not an email address, team/channel, @username or channel id');
    const r = parsed.recipient;
    const notFound = (what: string) => (e: unknown): never => {
      if (this.isPermanentError(e)) {
        const err = e as MattermostApiError;
        throw new UnknownRecipientError(raw, `${what} (Mattermost answered ${err.status}${err.serverErrorId ? ` ${err.serverErrorId}` : ''})`);
      }
      throw e;
    };
    const dm = async (userId: string) => (await this.mm.createDirectChannel(this.botUserId, userId).catch(notFound('the bot cannot open a direct message with this user'))).id;
    switch (r.kind) {
      case 'email': {
        const user = await this.mm.getUserByEmail(r.email).catch(notFound('no Mattermost user has this email'));
        return { raw, kind: r.kind, address: await dm(user.id) };
      }
      case 'username': {
        const user = await this.mm.getUserByUsername(r.username).catch(notFound('no Mattermost user has this username'));
        return { raw, kind: r.kind, address: await dm(user.id) };
      }
      case 'channel': {
        const ch = await this.mm.getChannelByName(r.team, r.channel).catch(notFound('no such channel, or the bot is not a member (use the channel URL name, e.g. myteam/town-square, and invite the bot)'));
        await this.requireMember(raw, ch.id);
        return { raw, kind: r.kind, address: ch.id };
      }
      case 'channel_id': {
        const ch = await this.mm.getChannel(r.id).catch(notFound('no channel with this id, or the bot is not a member'));
        await this.requireMember(raw, ch.id);
        return { raw, kind: r.kind, address: ch.id };
      }
    }
  }

  /** A channel the bot could post to (system_post_all) but never update its posts in is refused. */
  private async requireMember(raw: string, channelId: string): Promise<void> {
    if (await this.botIsMember(channelId)) return;
    throw new UnknownRecipientError(
      raw,
      `the bot @${this.botUsername} is not a member of this channel: it could post there but never update its posts (Mattermost lets only channel members edit); ${membershipFix(this.botUsername)}`,
    );
  }

  /** Mattermost deduplicates creates by pending_post_id for 30 s; a stable one makes retries idempotent. */
  private pendingPostId(marker: string): string {
    return `${this.botUserId}:${createHash('sha256').update(marker).digest('hex').slice(0, 32)}`;
  }

  async postRequest(p: { to: string; text: string; marker: string }): Promise<PostRef> {
    const post = await this.mm.createPost({ channel_id: p.to, message: p.text, pending_post_id: this.pendingPostId(p.marker), props: { [MARKER_PROP]: p.marker } });
    return { address: post.channel_id || p.to, postId: post.id };
  }

  async replyInThread(p: { root: PostRef; text: string; marker: string }): Promise<PostRef> {
    const post = await this.mm.createPost({ channel_id: p.root.address, root_id: p.root.postId, message: p.text, pending_post_id: this.pendingPostId(p.marker), props: { [MARKER_PROP]: p.marker } });
    return { address: post.channel_id || p.root.address, postId: post.id };
  }

  async updatePost(p: { post: PostRef; text: string }): Promise<void> {
    try {
      await this.mm.patchPost(p.post.postId, { message: p.text });
    } catch (e) {
      // 403 is also Mattermost's answer for a deleted post; only a post in a channel the bot left is retried
      if (!(e instanceof MattermostApiError) || e.status !== 403 || (await this.botIsMember(p.post.address))) throw e;
      this.opts.onUpdateForbidden?.(p.post);
      throw new UpdateForbiddenError(p.post, this.botUsername);
    }
  }

  async findPost(p: { to: string; marker: string; root?: PostRef }): Promise<PostRef | undefined> {
    if (!this.mm.getChannelPosts) return undefined;
    for (let page = 0; page < FIND_PAGES; page++) {
      // A failed search is never a verdict on the post: it must not read as "refused" (permanent).
      const list = await this.mm.getChannelPosts(p.to, page, FIND_PER_PAGE).catch((e: unknown) => {
        throw new Error(`could not search channel ${p.to} for an earlier post: ${(e as Error).message}`);
      });
      for (const id of list.order) {
        const post = list.posts[id];
        if (!post || post.user_id !== this.botUserId || post.props?.[MARKER_PROP] !== p.marker) continue;
        if (p.root && post.root_id !== p.root.postId) continue;
        return { address: post.channel_id || p.to, postId: post.id };
      }
      if (list.order.length < FIND_PER_PAGE) return undefined;
    }
    return undefined;
  }
}

