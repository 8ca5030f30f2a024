/**
 * The cdktf App for dualauth stacks, with all-or-nothing output: nothing is written until synth();
 * synth() synthesizes every stack into one new directory beside the output directory and switches it
 * in (see output-switch.ts), keeping Terraform's own files. Any failure leaves the old output as it was
 * and removes the scratch directory. Stack traces are off so manifest.json holds no absolute paths.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnnotationMetadataEntryType, App, AppConfig, Manifest } from './cdktf';
import { checkOutdir } from './output-path';
import { switchOutput } from './output-switch';

export { checkOutdir } from './output-path';

/** Prefix of the scratch directory synth() makes beside the output directory (and always removes). */
export const SCRATCH_PREFIX = '.dualauth-synth-';

/**
 * The output directory. Under `cdktf synth` / `dualauth synth` (they set CDKTF_OUTDIR, e.g. from -o) the
 * CLI's wins, since the CLI reads the manifest there; else the config's; else cdktf.out.
 */
export function resolveOutdir(outdir?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CDKTF_OUTDIR || outdir || 'cdktf.out');
}

function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full; free some space';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'permission denied; make the directory writable or choose another output directory';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way of a directory; remove it or choose another output directory';
    default:
      return e.code ? `${e.code}: ${e.message}` : String(e.message ?? e);
  }
}

/** App construction would create its outdir; borrow a throw-away one so construction writes nothing of the user's. */
let borrowed: string | undefined;
function borrowOutdir(config: AppConfig): AppConfig {
  borrowed = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-app-'));
  return { stackTraces: false, ...config, outdir: borrowed };
}

export class DualAuthApp extends App {
  /** Where synth() puts the output (absolute). */
  readonly targetDir: string;

  constructor(config: AppConfig = {}) {
    super(borrowOutdir(config));
    if (borrowed) fs.rmSync(borrowed, { recursive: true, force: true });
    borrowed = undefined;
    this.targetDir = resolveOutdir(config.outdir);
    this.setOutput(this.targetDir, undefined);
  }

  /** Points cdktf's outdir and manifest at `dir` (the manifest is made fresh for each synthesis). */
  private setOutput(dir: string, manifest: Manifest | undefined): void {
    Object.defineProperty(this, 'outdir', { value: dir, writable: true, configurable: true });
    if (manifest) Object.defineProperty(this, 'manifest', { value: manifest, writable: true, configurable: true });
  }

  /** Synthesizes every stack; on any problem throws and leaves the output directory as it was. */
  synth(): void {
    const target = this.targetDir;
    checkOutdir(target);
    let scratch: string;
    // parents of a new output directory (-o a/b/out): made here, removed again if synthesis fails
    let madeParent: string | undefined;
    try {
      madeParent = fs.mkdirSync(path.dirname(target), { recursive: true });
      scratch = fs.mkdtempSync(path.join(path.dirname(target), SCRATCH_PREFIX));
      // mkdtemp makes 0700; the output gets the mode a plain mkdir (or the old output) would have
      fs.chmodSync(scratch, fs.existsSync(target) ? fs.statSync(target).mode & 0o7777 : 0o777 & ~process.umask());
    } catch (err) {
      if (madeParent) fs.rmSync(madeParent, { recursive: true, force: true });
      throw new Error(`cannot write beside ${target}: ${fsReason(err)}`);
    }
    const saved = this.manifest;
    let done = false;
    try {
      const manifest = new Manifest(saved.version, scratch, this.hclOutput);
      this.setOutput(scratch, manifest);
      super.synth();
      // under the cdktf CLI (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) error annotations do not throw:
      // they must still keep the output from being switched in
      const errors = Object.values(manifest.buildManifest().stacks).flatMap((st) =>
        st.annotations.filter((a) => a.level === AnnotationMetadataEntryType.ERROR).map((a) => `[${a.constructPath}] ${String(a.message)}`),
      );
      if (errors.length) throw new Error(`synthesis found errors; ${target} was left as it was:\n${errors.join('\n')}`);
      try {
        switchOutput(scratch, target);
        done = true;
      } catch (err) {
        throw new Error(`cannot put the synthesized output in place at ${target} (left as it was): ${fsReason(err)}`);
      }
    } finally {
      this.setOutput(target, saved);
      fs.rmSync(scratch, { recursive: true, force: true });
      if (!done && madeParent) fs.rmSync(madeParent, { recursive: true, force: true });
    }
  }
}
