/** `dualauth access`: exit codes, the witness with its file:line, --user, json and markdown. */
import assert from 'node:assert/strict';
import { execFile } from 'child_process';
import * as path from 'path';
import { describe, it } from 'node:test';
import { corpus, GUIDE_DIR, ROOT } from './helpers';

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin', 'dualauth.js'), 'access', ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('dualauth access', () => {
  it('the guide: 3 people, exit 0', async () => {
    const r = await run('dbadmin', GUIDE_DIR);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^dbadmin needs at least 3 people \(the policy wants 3\): the two-person rule holds/);
    assert.match(r.stdout, /requesters: \n {2}bob@example.com via devops: 2 approvals, 3 people in all/);
    assert.match(r.stdout, /eligible reviewers: alice@example.com, ivan@example.com/);
  });
  it('a role editor for bob: exit 1 with the witness and its line', async () => {
    const r = await run('dbadmin', corpus('bad', 'da-012-role-editor.yaml'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /TWO-PERSON RULE BROKEN/);
    assert.match(r.stdout, /bob@example.com can obtain dbadmin alone: role-editor allows update on role devops, which bob@example.com holds.* \(test\/policies\/corpus\/bad\/da-012-role-editor\.yaml:7\)/);
  });
  it('--user and --format json', async () => {
    const r = await run('dbadmin', GUIDE_DIR, '--user', 'bob@example.com', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.minPeople, 3);
    assert.deepEqual(j.paths[0].others, ['alice@example.com', 'ivan@example.com']);
    assert.match(j.paths[0].at, /teleport\.yaml:\d+$/);
  });
  it('--format markdown has the Mermaid graph', async () => {
    const r = await run('dbadmin', corpus('bad', 'da-012-role-editor.yaml'), '--format', 'markdown');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /```mermaid\nflowchart LR\n {2}R\["dbadmin"\]\n {2}P0\["bob@example.com"\] ==>\|"1 person: role-editor"\| R/);
  });
  it('an unknown role or user is bad input (exit 2)', async () => {
    const r = await run('nosuch', GUIDE_DIR);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dualauth access: role "nosuch" is not declared in/);
    const u = await run('dbadmin', GUIDE_DIR, '--user', 'mallory@example.com');
    assert.equal(u.code, 2);
  });
});
