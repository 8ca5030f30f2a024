// Compiles the package for `npm install` / `npm ci` (the `prepare` script) and `npm pack`: every
// production TypeScript file to CommonJS in dist/cjs/ (esbuild, file by file, same layout, so __dirname
// data files and lazy require() of subcommands keep working), the data files beside them, type
// declarations of the public API in dist/types/, and a stamp bin/dualauth.js compares with the sources.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// the production rooms (eslint.config.mjs); test/ and bench/ are not shipped
export const ROOMS = ['model', 'teleport-client', 'mattermost-client', 'mattermost-bot', 'simulators', 'relay', 'constructs', 'policies', 'drift', 'stacks', 'sandbox', 'cli'];
// --outdir DIR builds elsewhere (the init test builds a package copy without touching dist/)
const outArg = process.argv.indexOf('--outdir');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, 'dist', 'cjs');
const SKIP = /(^|\/)(Dockerfile[^/]*|[^/]*\.mjs|image\/.*)$/;

const sources = [];
const data = [];
function walk(dir) {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, e.name);
    if (e.isDirectory()) walk(rel);
    else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) sources.push(rel);
    else if (!SKIP.test(rel)) data.push(rel);
  }
}
for (const r of ROOMS) walk(r);

const t0 = Date.now();
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: sources.map((s) => join(root, s)),
  outdir: out,
  outbase: root,
  bundle: false,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  logLevel: 'warning',
});
for (const f of data) {
  mkdirSync(dirname(join(out, f)), { recursive: true });
  cpSync(join(root, f), join(out, f));
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// require('../package.json') of cli/ and policies/ resolves here in the compiled tree
writeFileSync(join(out, 'package.json'), JSON.stringify({ name: 'dualauth-compiled', version, private: true, type: 'commonjs' }, null, 2) + '\n');

// the role and user schemas as standalone ajv validators: compiling them is most of a CLI start-up
{
  const req = createRequire(join(out, 'model', 'index.js'));
  const { standaloneValidators } = req('./schema-check.js');
  const { roleSchema } = req('./kinds/role-schema.js');
  const { userSchema } = req('./kinds/user.js');
  const { ROLE_VERSION_SINCE } = req('./versions.js');
  const schemas = { 'user/v2': userSchema() };
  for (const v of Object.keys(ROLE_VERSION_SINCE)) schemas[`role/${v}`] = roleSchema(v);
  writeFileSync(join(out, 'model', 'schema-validators.js'), standaloneValidators(schemas));
}

if (!process.argv.includes('--no-types')) {
  // declarations serve editors of users' stacks; `npm test` type-checks everything, so a declaration
  // problem warns here instead of failing `npm ci`
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { encoding: 'utf8' });
  if (tsc.status !== 0) process.stderr.write(`warning: type declarations (dist/types) incomplete:\n${tsc.stdout}${tsc.stderr}`);
}
writeFileSync(join(out, '.build-stamp'), `${new Date().toISOString()}\n`);
process.stdout.write(`dist/cjs: ${sources.length} modules, ${data.length} data files (${relative(root, out)}, ${Date.now() - t0} ms)\n`);
