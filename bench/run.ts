/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process (so one's heap does not skew the
 * next) and prints their numbers. Name one or more to run only those: `npm run bench -- synth review`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = __dirname;
const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
const loader = pathToFileURL(path.join(dir, '..', 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
let failed = 0;
for (const b of benches) {
  process.stdout.write(`\n== ${b}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', loader, path.join(dir, b)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
