/**
 * Terraform drift: `terraform plan -refresh-only -out=PLAN` then `terraform show -json PLAN`, read from the plan's
 * `resource_drift` (changes made outside Terraform). The exit code of `-detailed-exitcode` is not used: with
 * -refresh-only it has been wrong in both directions (hashicorp/terraform#35117, #36403, #37406; OpenTofu never
 * returns 2). Runs only where the stack is initialised (.terraform/) and terraform is on PATH; otherwise the
 * section is skipped with the reason. Values Terraform marks sensitive are never shown.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffValues, deepEqual } from './diff';
import { compareFindings, FieldChange, ResourceFinding } from './types';

export const SENSITIVE = '(sensitive)';
const SENSITIVE_CHANGED = '(sensitive, changed)';

export type TerraformOutcome =
  | { state: 'skipped'; reason: string }
  | { state: 'checked'; managed: number; findings: ResourceFinding[]; notes: string[] };

export interface TerraformOptions {
  dir: string;
  env?: NodeJS.ProcessEnv;
  /** Per command; default 10 minutes. */
  timeoutMs?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

interface JsonResourceChange {
  address?: string;
  previous_address?: string;
  mode?: string;
  type?: string;
  change?: { actions?: string[]; before?: unknown; after?: unknown; before_sensitive?: unknown; after_sensitive?: unknown };
}

/** Masks sensitive leaves on both sides; a changed secret shows as "(sensitive, changed)", never its value. */
function maskPair(before: unknown, after: unknown, bs: unknown, as: unknown): [unknown, unknown] {
  if (bs === true || as === true) {
    const b = before === undefined || before === null ? before : SENSITIVE;
    const a = after === undefined || after === null ? after : deepEqual(before, after) ? SENSITIVE : SENSITIVE_CHANGED;
    return [b, a];
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = Array.isArray(before) ? before : [];
    const a = Array.isArray(after) ? after : [];
    const bsa = Array.isArray(bs) ? bs : [];
    const asa = Array.isArray(as) ? as : [];
    const n = Math.max(b.length, a.length);
    const ob: unknown[] = [];
    const oa: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const [x, y] = maskPair(b[i], a[i], bsa[i], asa[i]);
      if (i < b.length) ob.push(x);
      if (i < a.length) oa.push(y);
    }
    return [Array.isArray(before) ? ob : before, Array.isArray(after) ? oa : after];
  }
  if (isObj(before) || isObj(after)) {
    const b = isObj(before) ? before : {};
    const a = isObj(after) ? after : {};
    const bso = isObj(bs) ? bs : {};
    const aso = isObj(as) ? as : {};
    const ob: Obj = {};
    const oa: Obj = {};
    for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const [x, y] = maskPair(b[k], a[k], bso[k], aso[k]);
      if (k in b) ob[k] = x;
      if (k in a) oa[k] = y;
    }
    return [isObj(before) ? ob : before, isObj(after) ? oa : after];
  }
  return [before, after];
}

function countManaged(module: unknown): number {
  if (!isObj(module)) return 0;
  const own = Array.isArray(module.resources) ? module.resources.filter((r) => isObj(r) && r.mode === 'managed').length : 0;
  const children = Array.isArray(module.child_modules) ? module.child_modules.reduce((n: number, c) => n + countManaged(c), 0) : 0;
  return own + children;
}

/** Findings from the JSON of `terraform show -json PLAN` (format_version 1.x). */
export function parsePlanDrift(plan: unknown): { managed: number; findings: ResourceFinding[]; notes: string[] } {
  if (!isObj(plan)) throw new Error('terraform show -json did not print a JSON object');
  const fv = String(plan.format_version ?? '');
  if (!/^1\./.test(fv)) throw new Error(`terraform show -json: unsupported format_version ${JSON.stringify(fv)} (this tool reads 1.x)`);
  if (plan.errored === true) throw new Error('terraform reported the refresh-only plan as errored: run terraform plan -refresh-only in the stack directory to see why');

  const notes: string[] = [];
  const findings: ResourceFinding[] = [];
  const drift = Array.isArray(plan.resource_drift) ? (plan.resource_drift as JsonResourceChange[]) : [];
  for (const rc of drift) {
    if (rc.mode !== undefined && rc.mode !== 'managed') continue;
    const actions = rc.change?.actions ?? [];
    const address = String(rc.address ?? '?');
    const type = String(rc.type ?? address.split('.')[0]);
    if (actions.length === 1 && actions[0] === 'no-op') {
      // Refresh-only plans list moved resources as no-op drift: a rename in the code, not an outside change.
      if (rc.previous_address) notes.push(`${address} moved from ${rc.previous_address} (not drift)`);
      continue;
    }
    const moved = rc.previous_address ? `moved from ${rc.previous_address}` : undefined;
    if (actions.includes('delete') && !actions.includes('create')) {
      findings.push({ kind: type, name: address, status: 'missing', changes: [], note: ['deleted outside Terraform', moved].filter(Boolean).join('; ') });
      continue;
    }
    const [before, after] = maskPair(rc.change?.before, rc.change?.after, rc.change?.before_sensitive, rc.change?.after_sensitive);
    const changes: FieldChange[] = diffValues(before, after);
    const note = [actions.join('+') === 'update' ? undefined : `actions ${actions.join(', ')}`, moved].filter(Boolean).join('; ');
    findings.push({ kind: type, name: address, status: 'changed', changes, ...(note ? { note } : {}) });
  }
  findings.sort(compareFindings);
  const managed = countManaged((plan.prior_state as Obj | undefined)?.values && ((plan.prior_state as Obj).values as Obj).root_module);
  return { managed: Math.max(managed, findings.length), findings, notes };
}

/** The first executable `terraform` on PATH, or undefined. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      const st = await fs.stat(candidate);
      if (!st.isFile()) continue;
      await fs.access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

export async function terraformDrift(o: TerraformOptions): Promise<TerraformOutcome> {
  const env = { ...(o.env ?? process.env), TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const st = await fs.stat(path.join(o.dir, '.terraform')).catch(() => undefined);
  if (!st?.isDirectory()) {
    return { state: 'skipped', reason: `${o.dir} is not initialised (no .terraform/): run terraform init there to include Terraform's refresh-only plan` };
  }
  const terraform = await findOnPath('terraform', env);
  if (!terraform) return { state: 'skipped', reason: 'terraform is not on PATH: install it to include Terraform\'s refresh-only plan' };

  const timeoutMs = o.timeoutMs ?? 600_000;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dualauth-drift-'));
  const planFile = path.join(tmp, 'drift.tfplan');
  try {
    const plan = await run(terraform, ['plan', '-refresh-only', '-input=false', '-lock=false', '-no-color', `-out=${planFile}`], o.dir, env, timeoutMs);
    if (plan.code !== 0 && plan.code !== 2) {
      throw new Error(`terraform plan -refresh-only failed in ${o.dir} (exit ${plan.code ?? 'killed'}):\n${tail(plan.stderr || plan.stdout)}`);
    }
    const show = await run(terraform, ['show', '-json', '-no-color', planFile], o.dir, env, timeoutMs);
    if (show.code !== 0) throw new Error(`terraform show -json failed (exit ${show.code ?? 'killed'}):\n${tail(show.stderr)}`);
    let json: unknown;
    try {
      json = JSON.parse(show.stdout);
    } catch {
      throw new Error('terraform show -json printed something that is not JSON');
    }
    return { state: 'checked', ...parsePlanDrift(json) };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
