/** Whether a path can take a synthesized output directory (plain fs: the CLI checks it without loading cdktf). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Checks that `target` can be an output directory; the message names the path and the fix. */
export function checkOutdir(target: string): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) {
    throw new Error(`${target} is a file, not a directory: synthesis writes a directory of stacks there. Remove or rename the file, or give another output directory (dualauth synth -o DIR, cdktf synth -o DIR)`);
  }
  for (let p = path.dirname(target); ; p = path.dirname(p)) {
    if (fs.existsSync(p)) {
      if (!fs.statSync(p).isDirectory()) throw new Error(`${target}: ${p} is a file, not a directory: give an output directory whose parents are directories`);
      break;
    }
    if (path.dirname(p) === p) break;
  }
}
