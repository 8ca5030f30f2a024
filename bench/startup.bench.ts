/**
 * Start-up of the `dualauth` command, as CI pays it: fresh-process wall time of `dualauth --version` and
 * of `dualauth review` on the built-in stack, each as a ratio to `node -e 0` measured in the same run
 * (median of interleaved runs, so machine load hits all three alike). Targets: 2.5x and 4x.
 * Measures the compiled CLI: dist/cjs is rebuilt first (node cli/build.mjs --no-types).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'dualauth.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);

function wall(args: string[], cwd = ROOT): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DUALAUTH_FROM_SOURCE: '' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// the compiled CLI must be current, or bin/dualauth.js would run the sources through tsx
// (built fresh each time: cheaper than deciding whether it is stale)
const build = spawnSync(process.execPath, [path.join(ROOT, 'cli', 'build.mjs'), '--no-types'], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);

const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-startup-')), 'cdktf.out');
const synth = spawnSync(process.execPath, [BIN, 'synth', '-o', out], { cwd: ROOT, encoding: 'utf8' });
if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
const stackDir = path.join(out, 'stacks', 'dual-authorization');

const node: number[] = [];
const version: number[] = [];
const review: number[] = [];
wall(['-e', '0']);
wall([BIN, '--version']); // warm the file cache once
for (let i = 0; i < RUNS; i++) {
  node.push(wall(['-e', '0']));
  version.push(wall([BIN, '--version']));
  review.push(wall([BIN, 'review', stackDir]));
}
const n = median(node);
const line = (what: string, xs: number[], target: number) => {
  const ratio = median(xs) / n;
  return `${what.padEnd(34)} ${median(xs).toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}x node -e 0 (target <= ${target}x: ${ratio <= target ? 'met' : 'not met'})`;
};
process.stdout.write(`startup, median of ${RUNS} fresh processes each (compiled CLI):\n`);
process.stdout.write(`${'node -e 0'.padEnd(34)} ${n.toFixed(0).padStart(5)} ms\n`);
process.stdout.write(`${line('dualauth --version', version, 2.5)}\n`);
process.stdout.write(`${line('dualauth review (built-in stack)', review, 4)}\n`);
