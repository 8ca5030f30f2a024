// The error body every API error carries (Go AppError, server/public/model/utils.go). Messages are the English
// translations; when a translation is missing the real server sends the id as the message, and so do we.

const MESSAGES: Record<string, string> = {
  'api.context.session_expired.app_error': 'Invalid or expired session, please login again.',
  'api.context.token_provided.app_error': 'Session is not OAuth but token was provided in the query string.',
  'api.context.permissions.app_error': 'You do not have the appropriate permissions.',
  'api.context.invalid_body_param.app_error': 'Invalid or missing {{.Name}} in request body.',
  'api.context.invalid_url_param.app_error': 'Invalid or missing {{.Name}} parameter in request URL.',
  'api.context.request_body_too_large.app_error': 'Your request is too large to process.',
  'api.context.404.app_error': 'Sorry, we could not find the page.',
  'app.user.missing_account.const': 'Unable to find the user.',
  'app.user.get_by_username.app_error': 'Unable to find an existing account matching your username for this team.',
  'api.user.get_user_by_email.permissions.app_error': 'Unable to get user by email.',
  'app.user.save.username_exists.app_error': 'An account with that username already exists.',
  'app.team.get_by_name.missing.app_error': 'Unable to find the existing team.',
  'app.team.get.find.app_error': 'Unable to find the existing team.',
  'app.channel.get_by_name.missing.app_error': 'Channel does not exist.',
  'app.channel.get.existing.app_error': 'Unable to find the existing channel.',
  'app.channel.get_member.missing.app_error': 'No channel member found for that user ID and channel ID.',
  'app.team.get_member.missing.app_error': 'No team member found for that user ID and team ID.',
  'api.channel.add_user_to_channel.type.app_error': 'Can not add user to this channel type.',
  'api.channel.add_user.to.channel.failed.deleted.app_error': 'Failed to add user to channel because they have been removed from the team.',
  'api.channel.remove_channel_member.type.app_error': 'Unable to remove user from a channel.',
  'api.channel.create_direct_channel.invalid_user.app_error': 'Invalid user ID for direct channel creation.',
  'store.sql_bot.get.missing.app_error': 'Bot does not exist.',
  'api.bot.create_disabled': 'Bot creation has been disabled.',
  'model.bot.is_valid.username.app_error': 'Invalid username.',
  'model.bot.is_valid.user_id.app_error': 'Invalid user id.',
  'model.bot.is_valid.description.app_error': 'Invalid description.',
  'app.user_access_token.disabled': 'Personal access tokens are disabled on this server. Please contact your system administrator for details.',
  'app.role.check_roles_exist.role_not_found': 'The provided role does not exist',
  'model.post.is_valid.message_length.app_error': 'Post Message property is longer than the maximum permitted length.',
  'model.post.is_valid.root_id.app_error': 'Invalid root id.',
  'model.post.is_valid.props.app_error': 'Invalid props.',
  'model.post.is_valid.file_ids.app_error': 'Invalid file ids.',
  'api.post.create_post.root_id.app_error': 'Invalid RootId parameter.',
  'api.post.create_post.channel_root_id.app_error': 'Invalid ChannelId for RootId parameter.',
  'api.post.deduplicate_create_post.pending': 'Rejected post since another client is making the same request.',
  'app.post.get.app_error': 'Unable to get post.',
  'api.config.client.old_format.app_error': 'New format for the client configuration is not supported yet. Please specify format=old in the query string.',
};

export class AppError extends Error {
  constructor(
    readonly id: string,
    readonly statusCode: number,
    params: Record<string, string> = {},
    readonly detailedError = '',
  ) {
    super(render(id, params));
  }
}

function render(id: string, params: Record<string, string>): string {
  const template = MESSAGES[id] ?? id;
  return template.replace(/\{\{\.(\w+)\}\}/g, (_, key: string) => params[key] ?? '');
}

export const invalidBodyParam = (name: string): AppError =>
  new AppError('api.context.invalid_body_param.app_error', 400, { Name: name });
export const invalidUrlParam = (name: string): AppError =>
  new AppError('api.context.invalid_url_param.app_error', 400, { Name: name });
export const permissionError = (userId: string, ...permissions: string[]): AppError =>
  new AppError('api.context.permissions.app_error', 403, {}, `userId=${userId}, permission=${permissions.join(',')}`);
export const sessionExpired = (detail: string): AppError =>
  new AppError('api.context.session_expired.app_error', 401, {}, detail);
