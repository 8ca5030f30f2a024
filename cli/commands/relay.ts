import { Command } from 'commander';
import { registerRelayCommands } from '../../relay';

/** `dualauth relay start|check-config|configure`: the runtime relay (see the README). */
export function registerRelay(program: Command): void {
  const relay = program.command('relay').description('run the Teleport-to-Mattermost access request relay (drop-in for teleport-mattermost)');
  registerRelayCommands(relay);
}
