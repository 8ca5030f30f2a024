// `npm run demo` (a scripted run of the sandbox) tells the guide's story in order, and the request post Alice
// pinned is still pinned after the relay updated it to APPROVED.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

const REPO = resolve(__dirname, '..', '..');

test('the demo story, with a pinned root post that stays pinned after approval', { timeout: 120_000 }, async () => {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'sandbox/demo.ts'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout.on('data', (d: Buffer) => (text += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const code = await new Promise<number | null>((done) => proc.on('exit', (c) => done(c)));
  assert.equal(code, 0, text);
  const story = [
    /^Guide stack: role access-plugin, .*user bob@example\.com/m,
    /^\+ create bot teleport/m,
    /^\+ join channel myteam\/access-requests$/m,
    /^Request \S+ is PENDING \(needs 2 approvals, 1 denial rejects\)$/m,
    /Teleport BOT → @alice \(direct message\)\n│ You have a new access request to review\./,
    /Teleport BOT → @ivan \(direct message\)\n│ You have a new access request to review\./,
    /^\(alice pins the request post in her direct messages\)$/m,
    /^┌─ Thread reply/m,
    /^Teleport: request \S+ is APPROVED$/m,
    /Teleport BOT → @alice \(direct message\) \(edited, pinned\)\n(│ .*\n)*│ Status: ✅ APPROVED · 2 of 2 approvals/,
    /^Alice's pinned post is still pinned after approval\.$/m,
    /^  resolution = APPROVED$/m,
    /^Done: 2 root posts, 4 thread replies, nothing posted twice\.$/m,
  ];
  let from = 0;
  for (const step of story) {
    const m = step.exec(text.slice(from));
    assert.ok(m, `${step} after position ${from}:\n${text}`);
    from += m.index + m[0].length;
  }
});
