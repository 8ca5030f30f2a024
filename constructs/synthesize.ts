/**
 * Synthesis that writes all of a stack's files or none: cdktf synthesizes into a scratch directory,
 * our artifacts (teleport.yaml, one YAML per resource, construct artifacts) are added there, and only
 * when everything succeeded are the files moved into the real output directory. Files we do not own in
 * the output (Terraform's .terraform/, local state) are left alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourcesToYaml, resourceToYaml } from '../model';
import { isArtifactProvider, StackArtifact } from './artifacts';
import { App } from './cdktf';
import { collectPolicySuppressions } from './policy-suppressions';
import { DualAuthStack } from './dual-auth-stack';
import { TeleportResourceConstruct } from './teleport-resource';

export const TELEPORT_YAML = 'teleport.yaml';
export const TELEPORT_DIR = 'teleport';
export { SUPPRESSIONS_JSON } from '../model/suppression';
import { SUPPRESSIONS_JSON } from '../model/suppression';

export interface DualAuthApp {
  readonly app: App;
  /** Synthesizes every stack and moves the files into place; throws (writing nothing) on any problem. */
  synth(): string;
}

/** Teleport and construct artifacts of one stack. */
export function stackArtifacts(stack: DualAuthStack): StackArtifact[] {
  const resources = stack.teleportResources().map((c) => c.toResource());
  const out: StackArtifact[] = [{ path: TELEPORT_YAML, content: resourcesToYaml(resources) }];
  if (stack.props.resourceFiles) for (const r of resources) out.push({ path: `${TELEPORT_DIR}/${r.kind}-${r.metadata.name}.yaml`, content: resourceToYaml(r) });
  for (const c of stack.node.findAll()) if (isArtifactProvider(c)) out.push(...c.stackArtifacts());
  // suppressions added with addPolicySuppressions(construct, ...) travel to `dualauth review` in this file
  const suppressions = collectPolicySuppressions(stack, (c) => (TeleportResourceConstruct.isTeleportResource(c) ? c.resourceKey : undefined));
  if (suppressions.length > 0) out.push({ path: SUPPRESSIONS_JSON, content: `${JSON.stringify({ suppressions }, null, 2)}\n` });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function listFiles(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, base), { withFileTypes: true })) {
    const rel = path.join(base, e.name);
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

function moveInto(scratch: string, outdir: string): void {
  fs.mkdirSync(outdir, { recursive: true });
  const files = listFiles(scratch);
  // manifest.json last: the cdktf CLI reads it to find the stacks
  files.sort((a, b) => Number(a === 'manifest.json') - Number(b === 'manifest.json'));
  for (const f of files) {
    const dest = path.join(outdir, f);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(path.join(scratch, f), dest);
  }
}

/** Removes per-resource YAML left from an earlier synth whose resource no longer exists. */
function pruneStale(outdir: string, stackDir: string, keep: Set<string>): void {
  const dir = path.join(outdir, stackDir, TELEPORT_DIR);
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir)) if (!keep.has(`${TELEPORT_DIR}/${f}`)) fs.rmSync(path.join(dir, f));
}

/**
 * Creates the cdktf App for our stacks. Stack traces are off so manifest.json holds no absolute paths.
 * `outdir` is where files finally land (the cdktf CLI passes CDKTF_OUTDIR).
 */
export function createDualAuthApp(opts: { outdir?: string; context?: Record<string, unknown> } = {}): DualAuthApp {
  const outdir = path.resolve(opts.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(path.dirname(outdir), '.dualauth-synth-'));
  const app = new App({ outdir: scratch, stackTraces: false, context: opts.context });
  return {
    app,
    synth(): string {
      try {
        app.synth();
        const stacks = app.node.children.filter((c): c is DualAuthStack => c instanceof DualAuthStack);
        const written: { stackDir: string; files: Set<string> }[] = [];
        for (const stack of stacks) {
          const stackDir = path.join('stacks', stack.node.id);
          const arts = stackArtifacts(stack);
          for (const a of arts) {
            const file = path.join(scratch, stackDir, a.path);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, a.content);
          }
          written.push({ stackDir, files: new Set(arts.map((a) => a.path)) });
        }
        moveInto(scratch, outdir);
        for (const w of written) pruneStale(outdir, w.stackDir, w.files);
        return outdir;
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}
