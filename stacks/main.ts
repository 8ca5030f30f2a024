/**
 * The cdktf app: `npm run synth` / `npx cdktf synth` run this. Writes cdktf.out/stacks/dual-authorization/
 * (cdk.tf.json, teleport.yaml, teleport/*.yaml) or, on any problem, nothing.
 */
import { createDualAuthApp, resolveOutdir } from '../constructs';
import { GuideStack } from './guide-stack';
import { readSettings } from './settings';
import { formatSynthError } from '../constructs/synth-error';

export const GUIDE_STACK_ID = 'dual-authorization';

export function buildApp(opts: { outdir?: string; context?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}) {
  const da = createDualAuthApp({ outdir: opts.outdir, context: opts.context });
  const settings = readSettings((k) => da.app.node.tryGetContext(k), opts.env ?? process.env);
  new GuideStack(da.app, GUIDE_STACK_ID, settings);
  return da;
}

/** What running this file does, as a function (the bad-input corpus runs it in-process): returns the exit code. */
export function synthMain(opts: { outdir?: string; env?: NodeJS.ProcessEnv } = {}, io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): number {
  const env = opts.env ?? process.env;
  try {
    const out = buildApp({ outdir: opts.outdir, env }).synth();
    // under `cdktf synth` / `dualauth synth` (they set CDKTF_OUTDIR) the CLI reports what was written
    if (!env.CDKTF_OUTDIR) io.out(`dualauth: synthesized stack ${GUIDE_STACK_ID} into ${out}/stacks/${GUIDE_STACK_ID}\n`);
    return 0;
  } catch (err) {
    io.err(`dualauth synth failed; ${resolveOutdir(opts.outdir, env)} was left as it was.
${formatSynthError(err)}
`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = synthMain();
}
