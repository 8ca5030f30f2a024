/**
 * A cdktf project as the cdktf CLI sees it, so `dualauth synth` runs the app exactly as `cdktf synth`
 * does: the `app` command of cdktf.json in the project directory, with CDKTF_OUTDIR and CDKTF_CONTEXT_JSON
 * set the same way (cdktf.json "context" replaces a CDKTF_CONTEXT_JSON of the shell, as in cdktf's
 * config loader; TF_VAR_* removed; NODE_OPTIONS given a heap size when unset). One resolution of settings
 * for every synth path: the app reads its context from CDKTF_CONTEXT_JSON, then DUALAUTH_* variables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CDKTF_JSON = 'cdktf.json';

export interface CdktfProject {
  dir: string;
  app: string;
  output: string;
  context?: Record<string, unknown>;
  terraformModules: unknown[];
}

export function readCdktfProject(dir: string): CdktfProject {
  const file = path.join(dir, CDKTF_JSON);
  if (!fs.existsSync(file)) throw new Error(`no ${CDKTF_JSON} in ${dir}: run dualauth synth in a cdktf project (npx dualauth init DIR creates one), or pass --app "<command>"`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}): fix the file`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${file} must hold a JSON object`);
  if (raw.context !== undefined && (raw.context === null || typeof raw.context !== 'object' || Array.isArray(raw.context))) {
    throw new Error(`${file} "context" must be an object of settings, e.g. {"teleportVersion": "18"}`);
  }
  return {
    dir,
    app: typeof raw.app === 'string' ? raw.app : '',
    output: typeof raw.output === 'string' ? raw.output : 'cdktf.out',
    context: raw.context as Record<string, unknown> | undefined,
    terraformModules: Array.isArray(raw.terraformModules) ? raw.terraformModules : [],
  };
}

/** cdktf passes local module paths of cdktf.json to the app as context "cdktfRelativeModules". */
function relativeModules(project: CdktfProject): string[] {
  const out: string[] = [];
  for (const m of project.terraformModules) {
    const source = typeof m === 'string' ? m : m && typeof m === 'object' ? (m as { source?: unknown }).source : undefined;
    if (typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'))) out.push(source);
  }
  return out;
}

export interface SynthRun {
  command: string;
  outdir: string;
  env: NodeJS.ProcessEnv;
  /** Said to the user before running: settings that will not apply, and why. */
  notes: string[];
}

/** The command, output directory and environment of the app, as `cdktf synth` would run it. */
export function synthRun(project: CdktfProject, opts: { app?: string; output?: string; context?: Record<string, string> }, env: NodeJS.ProcessEnv = process.env): SynthRun {
  const command = opts.app ?? project.app;
  if (!command) throw new Error(`${path.join(project.dir, CDKTF_JSON)} has no "app": give the command that runs your stacks, e.g. "app": "npx tsx stacks/main.ts"`);
  const notes: string[] = [];
  let base: Record<string, unknown> = {};
  if (project.context) {
    base = project.context;
    if (env.CDKTF_CONTEXT_JSON) notes.push(`CDKTF_CONTEXT_JSON is ignored because ${CDKTF_JSON} has a "context" (cdktf synth does the same): put the keys into ${CDKTF_JSON}, use -c key=value, or the DUALAUTH_* variables`);
  } else if (env.CDKTF_CONTEXT_JSON) {
    try {
      base = JSON.parse(env.CDKTF_CONTEXT_JSON) as Record<string, unknown>;
    } catch {
      throw new Error(`CDKTF_CONTEXT_JSON is not valid JSON: give an object, e.g. CDKTF_CONTEXT_JSON='{"teleportVersion":"18"}'`);
    }
  }
  const childEnv: NodeJS.ProcessEnv = {};
  // as cdktf: Terraform variables are for deploy time, never for synthesis
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('TF_VAR_')) childEnv[k] = v;
  if (!childEnv.NODE_OPTIONS) childEnv.NODE_OPTIONS = '--max-old-space-size=4096';
  const outdir = path.resolve(project.dir, opts.output ?? project.output);
  childEnv.CDKTF_OUTDIR = outdir;
  childEnv.CDKTF_CONTEXT_JSON = JSON.stringify({ ...base, ...(opts.context ?? {}), cdktfRelativeModules: relativeModules(project) });
  childEnv.SYNTH_HCL_OUTPUT = 'false';
  childEnv.CHECKPOINT_DISABLE ??= '1';
  return { command, outdir, env: childEnv, notes };
}

/** `-c key=value` pairs into a context object (values stay strings, as on cdktf's and cdk's command lines). */
export function parseContextPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new Error(`-c ${JSON.stringify(p)}: give key=value, e.g. -c teleportVersion=18`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}
