import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file under `dir` (relative path -> text), for comparing whole synthesized trees byte for byte. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = fs.readFileSync(p, 'utf8');
  }
  return out;
}
