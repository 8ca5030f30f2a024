/**
 * Synthesis entry points. A DualAuthStack writes its own files (stack-synthesizer.ts) under any cdktf
 * App; a DualAuthApp (dual-auth-app.ts) adds all-or-nothing output. `createDualAuthApp` is the
 * short form that also returns the output directory from synth().
 */
import { AppConfig } from './cdktf';
import { StackArtifact } from './artifacts';
import { DualAuthApp } from './dual-auth-app';
import { DualAuthStack } from './dual-auth-stack';

export { SUPPRESSIONS_JSON } from '../model/suppression';
export { DualAuthApp, SCRATCH_PREFIX, checkOutdir, resolveOutdir } from './dual-auth-app';

export interface DualAuthAppHandle {
  readonly app: DualAuthApp;
  /** Synthesizes every stack and switches the output in; throws (leaving the output as it was) on any problem. */
  synth(): string;
}

/** Teleport and construct artifacts of one stack. */
export function stackArtifacts(stack: DualAuthStack): StackArtifact[] {
  return stack.stackArtifacts();
}

/** A DualAuthApp; `outdir` is where files finally land (default: CDKTF_OUTDIR, set by the cdktf CLI, else cdktf.out). */
export function createDualAuthApp(opts: { outdir?: string; context?: Record<string, unknown> } & Omit<AppConfig, 'outdir' | 'context'> = {}): DualAuthAppHandle {
  const app = new DualAuthApp(opts);
  return {
    app,
    synth(): string {
      app.synth();
      return app.targetDir;
    },
  };
}
