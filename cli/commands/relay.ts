import { Command } from 'commander';

// Placeholder until the relay issue lands: the command exists so the CLI's shape is visible.
export function registerRelay(program: Command): void {
  program
    .command('relay')
    .description('relay (not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('dualauth relay: not implemented yet\n');
      process.exitCode = 1;
    });
}
