/**
 * The part of the Mattermost REST API (mattermost-client/client.ts) the Mattermost messenger uses,
 * as a small interface so tests and the benchmark can pass an in-memory one.
 */
export interface MmUser {
  id: string;
  username: string;
  email?: string;
}

export interface MmChannel {
  id: string;
  name?: string;
  team_id?: string;
  type?: string;
}

export interface MmPost {
  id: string;
  channel_id: string;
  user_id?: string;
  root_id?: string;
  props?: Record<string, unknown>;
}

export interface MattermostCalls {
  getMe(): Promise<MmUser>;
  getUserByEmail(email: string): Promise<MmUser>;
  getUserByUsername(username: string): Promise<MmUser>;
  getChannel(id: string): Promise<MmChannel>;
  getChannelByName(team: string, channel: string): Promise<MmChannel>;
  createDirectChannel(a: string, b: string): Promise<MmChannel>;
  createPost(p: { channel_id: string; message: string; root_id?: string; pending_post_id?: string; props?: Record<string, unknown> }): Promise<MmPost>;
  /**
   * PUT /posts/{id}/patch: changes only the fields given, so pins, reactions, from_bot and our marker survive.
   * (The full PUT /posts/{id} takes is_pinned, has_reactions and props from the body: it would unpin the post.)
   */
  patchPost(id: string, patch: { message?: string; props?: Record<string, unknown> }): Promise<MmPost>;
  /** 404, or 403 without read_channel: the user is not a member. */
  getChannelMember(channelId: string, userId: string): Promise<unknown>;
  /** Newest first; optional (finding posts after a crash is skipped without it). */
  getChannelPosts?(channelId: string, page: number, perPage: number): Promise<{ order: string[]; posts: Record<string, MmPost> }>;
}
