import { Command } from 'commander';
import { formatSynthError } from '../../constructs/synth-error';

/** `dualauth synth`: the built-in stack, the same app `npm run synth` and `cdktf synth` run. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize the built-in dual-authorization stack into cdktf.out/ (no server, no credentials)')
    .option('-o, --output <dir>', 'output directory', 'cdktf.out')
    .action((opts: { output: string }) => {
      // imported lazily: cdktf is large and other subcommands do not need it
      const { buildApp, GUIDE_STACK_ID } = require('../../stacks/main') as typeof import('../../stacks/main');
      try {
        const out = buildApp({ outdir: opts.output }).synth();
        process.stdout.write(`synthesized stack ${GUIDE_STACK_ID} into ${out}/stacks/${GUIDE_STACK_ID}\n`);
      } catch (err) {
        process.stderr.write(`dualauth synth failed; nothing was written.\n${formatSynthError(err)}\n`);
        process.exitCode = 1;
      }
    });
}
