import { Command, CommanderError } from 'commander';
import { registerReview } from './commands/review';
import { registerDrift } from './commands/drift';
import { registerRelay } from './commands/relay';
import { registerMattermost } from './commands/mattermost';
import { registerSynth } from './commands/synth';
import { registerAccess } from './commands/access';

/** Builds the `dualauth` command tree; each subcommand lives in its own file under cli/commands/. */
export function buildProgram(): Command {
  const program = new Command('dualauth')
    .description('Dual authorization as code for Teleport: synthesize, review, detect drift, relay to Mattermost')
    .version(require('../package.json').version as string)
    .showHelpAfterError()
    // before the subcommands are added, so they inherit it: usage errors exit 2, not 1
    .exitOverride();
  registerSynth(program);
  registerReview(program);
  registerAccess(program);
  registerDrift(program);
  registerRelay(program);
  registerMattermost(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors are bad input (exit 2), as in the review and drift contracts
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}
