/**
 * Mattermost behind the messenger port (relay/messenger.ts), as Teleport's Go plugin talks to it
 * (integrations/access/mattermost/bot.go): a root post per recipient channel, review replies in its
 * thread (root_id), updates of the root post's text, recipients resolved by the one recipient
 * grammar (model/recipient-grammar.ts): an email or "@user"/username is a direct message from the bot,
 * "team/channel" a channel by URL names, a 26-character id a channel id.
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

export class MattermostMessenger implements Messenger {
  readonly name = 'mattermost';
  readonly displayName = 'Mattermost';

  constructor(
    private readonly mm: MattermostCalls,
    private readonly botUserId: string,
  ) {}

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
        return { raw, kind: r.kind, address: ch.id };
      }
      case 'channel_id': {
        const ch = await this.mm.getChannel(r.id).catch(notFound('no channel with this id, or the bot is not a member'));
        return { raw, kind: r.kind, address: ch.id };
      }
    }
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
    await this.mm.updatePost({ id: p.post.postId, channel_id: p.post.address, message: p.text });
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

