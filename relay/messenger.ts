/**
 * The messenger port: everything the engine asks of a chat system, in the spirit of the
 * `MessagingBot` interface of Teleport's Go access plugins (integrations/access/common/bot.go:
 * SendReviewReminders, BroadcastAccessRequestMessage, PostReviewReply, UpdateMessages,
 * FetchRecipient). The engine knows only this file; Mattermost is one adapter behind it
 * (relay/messengers/mattermost/), chosen in relay/messengers/index.ts.
 *
 * Addresses and post ids are opaque strings the adapter hands out and gets back; the engine stores
 * them in plugin data ("address/postId" pairs, the Go plugin's `messages` format) and never reads them.
 *
 * Every write carries a `marker`: a stable name of what is being posted (request, recipient, kind,
 * review index). The adapter makes a retried write with the same marker idempotent where the service
 * allows it and can find a post it already made by its marker (findPost), so the engine can post
 * exactly once across crashes.
 */

/** A recipient as the messenger resolved it: where messages for `raw` go. */
export interface Destination {
  /** The recipient as configured (email, channel name, ...). */
  raw: string;
  /** The adapter's name for the kind of recipient (for logs). */
  kind: string;
  /** Opaque address of the conversation (a channel id for Mattermost). */
  address: string;
}

export interface PostRef {
  address: string;
  postId: string;
}

/** The recipient does not exist (or the bot cannot reach it); retrying will not help. */
export class UnknownRecipientError extends Error {
  constructor(
    readonly raw: string,
    readonly reason: string,
  ) {
    super(`recipient ${JSON.stringify(raw)}: ${reason}`);
    this.name = 'UnknownRecipientError';
  }
}

export interface Messenger {
  /** The plugin name (plugin data, access monitoring rules): "mattermost". */
  readonly name: string;
  /** The service's name in log lines: "Mattermost". */
  readonly displayName: string;
  /** Resolves a raw recipient; UnknownRecipientError when it does not exist, other errors are transient. */
  lookupRecipient(raw: string): Promise<Destination>;
  /** Whether the grammar reads `raw` at all (no network). */
  isRecipient(raw: string): boolean;
  /** The raw recipient that reaches a Teleport user in person (their email or username), if any. */
  personalRecipient(teleportUser: string): string | undefined;
  /** Posts a new top-level message (the request's root post). */
  postRequest(p: { to: string; text: string; marker: string }): Promise<PostRef>;
  /** Replies in the thread of `root`. */
  replyInThread(p: { root: PostRef; text: string; marker: string }): Promise<PostRef>;
  /** Replaces the text of a post the messenger made. */
  updatePost(p: { post: PostRef; text: string }): Promise<void>;
  /**
   * A post the bot already made with this marker in `to` (in the thread of `root` for replies), or
   * undefined. Used after a crash or an ambiguous answer, before posting again.
   */
  findPost(p: { to: string; marker: string; root?: PostRef }): Promise<PostRef | undefined>;
  /** True when the service will answer the same again (the target is gone or forbidden). */
  isPermanentError(e: unknown): boolean;
}

/** A started messenger, as an adapter's connect function returns it. */
export interface ConnectedMessenger {
  messenger: Messenger;
  /** The bot's own user id in the chat system (logs, the relay handle). */
  botUserId: string;
  close(): Promise<void>;
}
