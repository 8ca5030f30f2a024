/**
 * A DualAuthStack's own synthesizer: cdktf's (validation, cdk.tf.json), then the stack's artifacts
 * (teleport.yaml, per-resource YAML, mattermost-bot.json, policy-suppressions.json) in the same stack
 * directory. Because the stack carries it, any cdktf App gets our outputs, a plain `new App()` too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnnotationMetadataEntryType, TerraformStack, type IStackSynthesizer, type ISynthesisSession } from './cdktf';
import type { StackArtifact } from './artifacts';

export class DualAuthStackSynthesizer implements IStackSynthesizer {
  /** `inner` is the synthesizer cdktf gave the stack; it validates and writes cdk.tf.json. */
  constructor(
    private readonly stack: TerraformStack,
    private readonly inner: IStackSynthesizer,
    private readonly artifacts: () => StackArtifact[],
  ) {}

  synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    const stackManifest = session.manifest.forStack(this.stack);
    // under the cdktf CLI error annotations do not throw (the CLI prints them and fails): write nothing of ours then
    if (stackManifest.annotations.some((a) => a.level === AnnotationMetadataEntryType.ERROR)) return;
    const dir = path.join(session.outdir, stackManifest.workingDirectory);
    for (const a of this.artifacts()) {
      const file = path.join(dir, a.path);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, a.content);
    }
  }
}
