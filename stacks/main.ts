/**
 * The cdktf app: `npm run synth` / `npx cdktf synth` run this. Writes cdktf.out/stacks/dual-authorization/
 * (cdk.tf.json, teleport.yaml, teleport/*.yaml) or, on any problem, nothing.
 */
import { createDualAuthApp, resolveOutdir } from '../constructs';
import { GuideStack } from './guide-stack';
import { readSettings } from './settings';

export const GUIDE_STACK_ID = 'dual-authorization';

export function buildApp(opts: { outdir?: string; context?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}) {
  const da = createDualAuthApp({ outdir: opts.outdir, context: opts.context });
  const settings = readSettings((k) => da.app.node.tryGetContext(k), opts.env ?? process.env);
  new GuideStack(da.app, GUIDE_STACK_ID, settings);
  return da;
}

if (require.main === module) {
  try {
    const out = buildApp().synth();
    // under `cdktf synth` / `dualauth synth` (they set CDKTF_OUTDIR) the CLI reports what was written
    if (!process.env.CDKTF_OUTDIR) process.stdout.write(`dualauth: synthesized stack ${GUIDE_STACK_ID} into ${out}/stacks/${GUIDE_STACK_ID}\n`);
  } catch (err) {
    process.stderr.write(`dualauth synth failed; ${resolveOutdir()} was left as it was.\n${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
