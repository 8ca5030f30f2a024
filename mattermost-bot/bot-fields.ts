// The one comparison of a bot's profile fields with the bot file, used by `dualauth mattermost apply` (what to
// patch) and `dualauth drift` (what has drifted), so the two can never disagree. The server leaves an empty
// display_name or description out of the bot JSON (omitempty), so absent and "" are the same value.
import type { MattermostBotSpec } from './bot-spec';

export interface BotFieldChange {
  field: 'display_name' | 'description';
  /** The server's value ("" when the server left the field out). */
  from: string;
  /** The bot file's value. */
  to: string;
}

export function botFieldChanges(
  bot: { display_name?: string | null; description?: string | null },
  spec: Pick<MattermostBotSpec, 'displayName' | 'description'>,
): BotFieldChange[] {
  const changes: BotFieldChange[] = [];
  const displayName = bot.display_name ?? '';
  const description = bot.description ?? '';
  if (displayName !== spec.displayName) changes.push({ field: 'display_name', from: displayName, to: spec.displayName });
  if (description !== spec.description) changes.push({ field: 'description', from: description, to: spec.description });
  return changes;
}
