import { Command } from 'commander';

// Placeholder until the drift issue lands: the command exists so the CLI's shape is visible.
export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('drift (not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('dualauth drift: not implemented yet\n');
      process.exitCode = 1;
    });
}
