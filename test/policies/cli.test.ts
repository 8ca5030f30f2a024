/** `dualauth review` through the real CLI entry: exit codes 0 / 1 / 2, formats, --output, --base. */
import assert from 'node:assert/strict';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { corpus, GUIDE_DIR, ROOT, tempDir } from './helpers';

const BIN = path.join(ROOT, 'bin', 'dualauth.js');

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'review', ...args], { cwd: ROOT, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const rel = (p: string) => path.relative(ROOT, p);

// Each test spawns node; they run side by side to keep the suite fast.
describe('dualauth review (CLI)', { concurrency: true }, () => {
  it('exit 0 on the guide\'s scenario', async () => {
    const r = await run(rel(GUIDE_DIR));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PASS: no unsuppressed findings at or above error/);
  });

  it('exit 1 at or above --fail-on; --format sarif --output FILE writes the report', async () => {
    const out = path.join(tempDir(), 'reports', 'review.sarif');
    const r = await run(rel(corpus('bad', 'da-008-long-sessions.yaml')), '--fail-on', 'warning', '--format', 'sarif', '--output', out);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(doc.version, '2.1.0');
    assert.deepEqual(doc.runs[0].results.map((x: { ruleId: string; level: string }) => `${x.ruleId} ${x.level}`), ['DA-008 warning']);
  });

  it('exit 2 on bad input: malformed YAML, naming file and line (the other bad inputs: input.test.ts)', async () => {
    const malformed = await run(rel(corpus('bad', 'input', 'malformed.yaml')), '--base', rel(GUIDE_DIR));
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /^dualauth review: test\/policies\/corpus\/bad\/input\/malformed\.yaml:7: malformed YAML/);
    assert.equal(malformed.stdout, '');
  });

  it('--base: markdown with the privilege diff and new findings marked', async () => {
    const r = await run(rel(corpus('bad', 'da-001-single-approval.yaml')), '--base', rel(GUIDE_DIR), '--format', 'markdown');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^<!-- dualauth-review -->/);
    assert.match(r.stdout, /\| 🆕 \| `test\/policies\/corpus\/bad\/da-001-single-approval\.yaml:67` \| `role\/devops` \|/);
    assert.match(r.stdout, /- ⬆️ bob@example\.com can now request dbadmin with 1 approval \(was 2\)/);
  });

  it('--config and --privileged-role choose what is privileged; a bad config is exit 2', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'review.yaml'), 'privileged:\n  logins: []\n  names: [devops]\nmaxSessionTtl: 4h\n');
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"privileged": {"names": "devops"}}');
    const [withConfig, badConfig] = await Promise.all([
      run(rel(GUIDE_DIR), '--config', path.join(dir, 'review.yaml'), '--privileged-role', 'dbreviewer', '--format', 'json'),
      run(rel(GUIDE_DIR), '--config', path.join(dir, 'bad.json')),
    ]);
    const findings = JSON.parse(withConfig.stdout).findings as { ruleId: string; resource: string }[];
    // devops and dbreviewer privileged (dbadmin no longer: logins []): their holders hold them (DA-004), no session bound (DA-008)
    assert.deepEqual([...new Set(findings.map((f) => `${f.ruleId} ${f.resource}`))].sort(), [
      'DA-004 user/alice@example.com',
      'DA-004 user/bob@example.com',
      'DA-004 user/ivan@example.com',
      'DA-008 role/dbreviewer',
      'DA-008 role/devops',
    ]);
    assert.equal(withConfig.code, 1);
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /invalid config: privileged\.names: must be array/);
  });
});
