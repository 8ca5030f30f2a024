/**
 * Start-up checks against the chat system: every statically configured recipient must exist, so a
 * typo fails at start (naming its config key), not at the first request.
 */
import { ConfigError } from './config/errors';
import type { RelayConfig } from './config/load';
import type { Logger } from './log';
import { UnknownRecipientError } from './messenger';
import type { RecipientResolver } from './recipients';

export async function checkRecipients(config: RelayConfig, resolver: RecipientResolver, log: Logger): Promise<void> {
  const problems: ConfigError[] = [];
  for (const [role, list] of Object.entries(config.roleToRecipients)) {
    for (const raw of list) {
      try {
        await resolver.resolve(raw);
      } catch (e) {
        if (e instanceof UnknownRecipientError) problems.push(new ConfigError(config.recipientKeys[role] ?? `role_to_recipients.${role}`, e.message));
        else log.warn('Could not check a recipient now; it will be resolved when needed', { recipient: raw, error: e });
      }
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ConfigError(problems[0].key, problems.map((p) => `${p.key}: ${p.problem}`).join('; '));
}
