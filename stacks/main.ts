/**
 * The cdktf app: `npm run synth` / `npx cdktf synth` run this. Writes cdktf.out/stacks/dual-authorization/
 * (cdk.tf.json, teleport.yaml, teleport/*.yaml) or, on any problem, nothing.
 */
import { createDualAuthApp } from '../constructs';
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

if (require.main === module) {
  try {
    const out = buildApp().synth();
    process.stdout.write(`dualauth: synthesized stack ${GUIDE_STACK_ID} into ${out}/stacks/${GUIDE_STACK_ID}\n`);
  } catch (err) {
    process.stderr.write(`dualauth synth failed; nothing was written.\n${formatSynthError(err)}\n`);
    process.exitCode = 1;
  }
}
