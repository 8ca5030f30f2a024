/**
 * Entry point of the self-contained relay bundle (dist/relay/main.js, what the container image runs):
 *   node main.js start --config /etc/teleport-mattermost.toml
 * The same commands as `dualauth relay`, without the rest of the CLI. A leading "relay" is accepted
 * too (`node main.js relay start ...`), so the image takes the arguments of `dualauth relay`, which is
 * what the Kubernetes constructs pass.
 */
import { Command } from 'commander';
import { registerRelayCommands } from './cli';

const program = new Command('dualauth-relay').description('dualauth relay: Teleport access requests to Mattermost').showHelpAfterError();
program.version(process.env.DUALAUTH_VERSION ?? 'dev');
registerRelayCommands(program);

process.on('unhandledRejection', (err) => {
  process.stderr.write(`dualauth relay: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});

const argv = process.argv[2] === 'relay' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
program.parseAsync(argv).catch((err: unknown) => {
  process.stderr.write(`dualauth relay: ${(err as Error)?.message ?? String(err)}\n`);
  process.exitCode = 1;
});
