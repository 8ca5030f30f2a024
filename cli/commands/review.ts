import { Command } from 'commander';

// Placeholder until the review issue lands: the command exists so the CLI's shape is visible.
export function registerReview(program: Command): void {
  program
    .command('review')
    .description('review (not implemented yet)')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('dualauth review: not implemented yet\n');
      process.exitCode = 1;
    });
}
