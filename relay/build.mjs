// Builds the self-contained relay: one CommonJS file with every dependency inlined (grpc-js,
// proto-loader, Mattermost client, handlebars, prom-client, smol-toml, commander), plus the data
// files it reads at run time (Teleport .proto files, message templates). The result in dist/relay/
// runs with plain `node main.js` and no node_modules; the container image copies exactly this.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'relay');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'relay', 'main.ts')],
  outfile: join(out, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  sourcemap: false,
  define: { 'process.env.DUALAUTH_VERSION': JSON.stringify(version) },
  logLevel: 'warning',
  // handlebars' index registers a require.extensions hook for .hbs files we never use.
  logOverride: { 'unsupported-require-call': 'silent' },
  metafile: true,
});
// The proto tree lands in proto/ next to main.js (teleport-client/protos.ts reads it from __dirname).
cpSync(join(root, 'teleport-client', 'proto'), join(out, 'proto'), { recursive: true });
cpSync(join(root, 'relay', 'templates'), join(out, 'templates'), { recursive: true });
writeFileSync(join(out, 'package.json'), JSON.stringify({ name: 'dualauth-relay', version, private: true, type: 'commonjs', main: 'main.js' }, null, 2) + '\n');
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
process.stdout.write(`dist/relay/main.js: ${(bytes / 1024).toFixed(0)} KiB (dualauth ${version})\n`);
