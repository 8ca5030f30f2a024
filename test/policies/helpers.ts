/** Shared by the policy tests: corpus paths, the guide's resources, a review of YAML text in a temp dir. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TeleportResource } from '../../model';
import { readYamlDocuments } from '../../policies/yaml-documents';
import { review, ReviewOptions, ReviewResult } from '../../policies/review';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CORPUS = path.join(__dirname, 'corpus');
export const GUIDE_DIR = path.join(CORPUS, 'good', 'guide');
export const corpus = (...p: string[]): string => path.join(CORPUS, ...p);

/** The guide's scenario as resources (fresh copy each call). */
export function guideResources(): TeleportResource[] {
  const text = fs.readFileSync(path.join(GUIDE_DIR, 'teleport.yaml'), 'utf8');
  return readYamlDocuments(text, 'guide').map((d) => d.value as TeleportResource);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-review-test-'));
}

/** Writes files into a fresh temp dir and returns its path. */
export function writeDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function reviewPaths(paths: string[], opts: Omit<ReviewOptions, 'paths'> = {}): ReviewResult {
  return review({ paths, cwd: ROOT, ...opts });
}

export function ruleIds(result: ReviewResult, activeOnly = true): string[] {
  return [...new Set(result.findings.filter((f) => !activeOnly || !f.suppressed).map((f) => f.ruleId))].sort();
}
