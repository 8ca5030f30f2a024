/**
 * Runs `dualauth` commands in-process, as a user would call them, capturing exit code, stdout and stderr:
 * one process for the whole corpus keeps 80+ cases fast on a loaded 2-core machine (a fresh CLI process
 * each would cost seconds). Environment overrides are applied around the call and restored after.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { SCRATCH_PREFIX } from '../../constructs/synthesize';
import { synthMain } from '../../stacks/main';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables of the test's own environment the commands would read; never passed to the child. */
const SCRUBBED_ENV = ['MATTERMOST_TOKEN', 'TELEPORT_PLUGIN_FAIL_FAST', 'CDKTF_CONTEXT_JSON', 'CDKTF_OUTDIR'];

let child: ChildProcess | undefined;
let nextId = 1;
const pending = new Map<number, (o: Outcome) => void>();

function cliChild(): ChildProcess {
  if (child) return child;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED_ENV.includes(k) && !k.startsWith('DUALAUTH_') && !k.startsWith('NODE_TEST')) env[k] = v;
  child = fork(path.join(__dirname, 'cli-child.ts'), [], { execArgv: ['--import', 'tsx'], env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  child.on('message', (m: Outcome & { id: number }) => {
    pending.get(m.id)?.({ code: m.code, stdout: m.stdout, stderr: m.stderr });
    pending.delete(m.id);
  });
  child.unref();
  return child;
}

/** `dualauth ARGS...` as a fresh CLI run (in one long-lived child process, so 80+ cases stay fast). */
export function runDualauth(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<Outcome> {
  const id = nextId++;
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    cliChild().send({ id, args, env: clean, cwd });
  });
}

/** Ends the child process (call in an after hook). */
export function closeDualauth(): void {
  child?.kill();
  child = undefined;
}

/** The built-in stack's synthesis in-process (what `npm run synth:fast` runs), into `outdir`. */
export function runSynth(outdir: string, env: Record<string, string>): Outcome {
  let stdout = '';
  let stderr = '';
  const code = synthMain({ outdir, env: { ...env } }, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'dualauth-badinput-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** sha256 of every file under `dir` (relative path -> hash), for "byte-identical afterwards". */
export function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Scratch directories synthesis left beside `outdir` (there must be none). */
export function scratchLeft(outdir: string): string[] {
  return fs.readdirSync(path.dirname(outdir)).filter((n) => n.startsWith(SCRATCH_PREFIX));
}

export function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
