/**
 * Puts a freshly synthesized output directory in place of the old one, all or nothing: the new tree is
 * complete before anything of the old one is touched; Terraform's own files of each stack directory
 * (.terraform/, lock file, local state) are carried into the new tree by rename; then the directories
 * are swapped by rename. A failure at any step puts back what was moved and leaves the old output as it was.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files in a stack directory that belong to Terraform, not to synthesis: kept across syntheses. */
export function isTerraformOwned(name: string): boolean {
  return (
    name === '.terraform' ||
    name === '.terraform.lock.hcl' ||
    name === 'terraform.tfstate.d' ||
    name.endsWith('.tfstate') ||
    name.endsWith('.tfstate.backup') ||
    name.endsWith('.tfstate.lock.info')
  );
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Terraform-owned entries of `target` (top level and every stacks/<id>/), as paths relative to it. */
function terraformEntries(target: string): string[] {
  const out: string[] = [];
  const scan = (rel: string) => {
    for (const name of fs.readdirSync(path.join(target, rel))) if (isTerraformOwned(name)) out.push(path.join(rel, name));
  };
  scan('.');
  const stacks = path.join(target, 'stacks');
  if (isDir(stacks)) for (const id of fs.readdirSync(stacks)) if (isDir(path.join(stacks, id))) scan(path.join('stacks', id));
  return out;
}

/** A name beside `target` that does not exist yet, for the old tree during the swap. */
function besideName(target: string, tag: string): string {
  return path.join(path.dirname(target), `.dualauth-${tag}-${path.basename(target)}-${crypto.randomBytes(4).toString('hex')}`);
}

/**
 * Replaces `target` with `next` (a sibling directory). Throws with the old `target` intact on failure;
 * `next` is left for the caller to remove. `rename` is injectable so tests can fail any step.
 */
export function switchOutput(next: string, target: string, rename: (from: string, to: string) => void = fs.renameSync): void {
  if (!fs.existsSync(target)) {
    rename(next, target);
    return;
  }
  const carried: string[] = [];
  const old = besideName(target, 'old');
  let swapped = false;
  try {
    for (const rel of terraformEntries(target)) {
      const to = path.join(next, rel);
      if (fs.existsSync(to)) continue; // synthesis wrote it: synthesis wins
      fs.mkdirSync(path.dirname(to), { recursive: true });
      rename(path.join(target, rel), to);
      carried.push(rel);
    }
    rename(target, old);
    try {
      rename(next, target);
      swapped = true;
    } catch (err) {
      rename(old, target);
      throw err;
    }
  } catch (err) {
    // put Terraform's files back where they were (the old tree is at `target` again)
    for (const rel of carried.reverse()) {
      try {
        rename(path.join(next, rel), path.join(target, rel));
      } catch {
        /* reported below: the original error is the one to act on */
      }
    }
    throw err;
  }
  if (swapped) fs.rmSync(old, { recursive: true, force: true });
}
