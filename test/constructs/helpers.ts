import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDualAuthApp, DualAuthStack, DualAuthStackProps } from '../../constructs';

/** A fresh temp directory for one test's synth output. */
export function tempDir(prefix = 'dualauth-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Builds one stack with `build`, synthesizes it into a temp outdir, returns the dir or the error. */
export function synthStack(build: (stack: DualAuthStack) => void, props: Partial<DualAuthStackProps> = {}): { outdir: string; error?: Error } {
  const outdir = path.join(tempDir(), 'cdktf.out');
  const da = createDualAuthApp({ outdir });
  const stack = new DualAuthStack(da.app, 'test', { teleportVersion: '15.4', ...props });
  build(stack);
  try {
    da.synth();
    return { outdir };
  } catch (err) {
    return { outdir, error: err as Error };
  }
}

export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false }) as string[];
}
