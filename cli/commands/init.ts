import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { initFiles, STACK_ID } from '../init-files';

/** The package root (two levels above cli/commands/ in the sources, three in dist/cjs/). */
function packageRoot(): string {
  for (let d = __dirname; ; d = path.dirname(d)) {
    const pj = path.join(d, 'package.json');
    if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'dualauth') return d;
    if (path.dirname(d) === d) throw new Error('cannot find the dualauth package root');
  }
}

/** Versions the project pins: the ones this package is built and tested with. */
function versions(root: string) {
  const pj = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const all = { ...pj.devDependencies, ...pj.dependencies };
  return {
    version: pj.version,
    cdktf: all.cdktf ?? '0.21.0',
    cdktfCli: all['cdktf-cli'] ?? all.cdktf ?? '0.21.0',
    constructs: all.constructs ?? '10.4.2',
    tsx: all.tsx ?? '4.23.15',
    typesNode: all['@types/node'] ?? '20.19.43',
    typescript: all.typescript ?? '5.6.3',
  };
}

/** `dualauth init [DIR]`: a ready cdktf project declaring the guide's scenario with the constructs. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a dualauth project in DIR (default: the current directory): cdktf.json, package.json, stacks/main.ts, README.md')
    .argument('[DIR]', 'project directory (created; must be empty if it exists)', '.')
    .option('--package <spec>', 'npm spec of dualauth in package.json (default: this checkout as file:PATH, or the installed version)')
    .action((dir: string, opts: { package?: string }) => {
      const target = path.resolve(dir);
      if (fs.existsSync(target)) {
        if (!fs.statSync(target).isDirectory()) {
          process.stderr.write(`dualauth init: ${target} is a file: give a directory\n`);
          process.exitCode = 2;
          return;
        }
        const present = fs.readdirSync(target).filter((f) => f !== '.git');
        if (present.length) {
          process.stderr.write(`dualauth init: ${target} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}): give a new or empty directory\n`);
          process.exitCode = 2;
          return;
        }
      }
      const root = packageRoot();
      const v = versions(root);
      // from a checkout, depend on it by path; from an installed package, on its version
      const inCheckout = !root.split(path.sep).includes('node_modules');
      const spec = opts.package ?? (inCheckout ? `file:${path.relative(target, root) || '.'}` : v.version);
      const files = initFiles({ name: path.basename(target).toLowerCase().replace(/[^a-z0-9._-]/g, '-') || 'dualauth-project', dualauthSpec: spec, versions: v });
      for (const [rel, content] of Object.entries(files)) {
        const file = path.join(target, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
      const shown = path.relative(process.cwd(), target) || '.';
      process.stdout.write(
        `created a dualauth project in ${shown}: ${Object.keys(files).join(', ')}\n` +
          `next:\n  cd ${shown}\n  npm install\n  npm run synth          # or npx dualauth synth\n  npx dualauth review cdktf.out/stacks/${STACK_ID}\n`,
      );
    });
}
