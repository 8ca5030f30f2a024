import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { checkOutdir } from '../../constructs/output-path';
import { CDKTF_JSON, parseContextPairs, readCdktfProject, synthRun } from '../cdktf-project';
import { scrubSecrets } from '../../model/secret-scrub';

const collect = (v: string, prev: string[]) => [...prev, v];

function manifestStamp(outdir: string): string | undefined {
  try {
    const st = fs.statSync(path.join(outdir, 'manifest.json'));
    return `${st.ino}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * `dualauth synth`: runs the app of ./cdktf.json as `cdktf synth` does (same output directory, context
 * and environment), without the cdktf CLI, then checks the app produced our outputs.
 */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('run the app of ./cdktf.json as `cdktf synth` does and write its stacks into cdktf.out/ (no server, no credentials)')
    .option('-o, --output <dir>', 'output directory (default: "output" of cdktf.json, else cdktf.out)')
    .option('-a, --app <command>', 'command that runs the app (default: "app" of cdktf.json)')
    .option('-c, --context <key=value>', 'a context setting over cdktf.json\'s (repeatable), e.g. -c teleportVersion=18', collect, [])
    .action((opts: { output?: string; app?: string; context: string[] }) => {
      const fail = (msg: string) => {
        process.stderr.write(scrubSecrets(`dualauth synth: ${msg}\n`));
        process.exitCode = 1;
      };
      let run;
      try {
        const cwd = process.cwd();
        // with --app, a cdktf.json is optional (as for cdktf synth --app)
        const project = opts.app && !fs.existsSync(path.join(cwd, CDKTF_JSON)) ? { dir: cwd, app: opts.app, output: 'cdktf.out', terraformModules: [] } : readCdktfProject(cwd);
        run = synthRun(project, { app: opts.app, output: opts.output, context: parseContextPairs(opts.context) });
        checkOutdir(run.outdir); // before running the app: a file in the way gets its message at once
      } catch (err) {
        return fail((err as Error).message);
      }
      for (const n of run.notes) process.stderr.write(`dualauth synth: note: ${n}\n`);
      const before = manifestStamp(run.outdir);
      const r = spawnSync(run.command, { shell: true, cwd: process.cwd(), env: run.env, stdio: 'inherit' });
      if (r.error) return fail(`could not run the app "${run.command}": ${r.error.message}`);
      if (r.status !== 0) return fail(`the app "${run.command}" failed (exit ${r.status ?? r.signal}); ${path.relative(process.cwd(), run.outdir) || '.'} was left as it was`);
      if (manifestStamp(run.outdir) === before) return fail(`the app "${run.command}" wrote no ${path.join(run.outdir, 'manifest.json')}: it must call app.synth() at the end`);
      const manifest = JSON.parse(fs.readFileSync(path.join(run.outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
      const stacks = Object.entries(manifest.stacks).map(([name, s]) => ({ name, dir: path.join(run.outdir, s.workingDirectory) }));
      const ours = stacks.filter((s) => fs.existsSync(path.join(s.dir, 'teleport.yaml')));
      if (ours.length === 0) {
        return fail(`the app synthesized ${stacks.length ? `stacks ${stacks.map((s) => s.name).join(', ')}` : 'no stacks'} but none wrote teleport.yaml: declare Teleport resources in a DualAuthStack (import { DualAuthStack } from 'dualauth'), not a plain TerraformStack`);
      }
      for (const s of ours) process.stdout.write(`synthesized stack ${s.name} into ${path.relative(process.cwd(), s.dir)}\n`);
    });
}

