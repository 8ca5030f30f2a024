/** The three report formats, from one report with every kind of finding. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderJson } from '../../drift/report/json';
import { renderMarkdown } from '../../drift/report/markdown';
import { renderText } from '../../drift/report/text';
import { formatValue } from '../../drift/report/values';
import { exitCodeOf } from '../../drift/run';
import { countFindings, DriftReport, ResourceFinding, SectionResult } from '../../drift/types';

const teleportFindings: ResourceFinding[] = [
  { kind: 'role', name: 'devops', status: 'changed', changes: [{ path: 'spec.allow.request.thresholds[0].approve', before: 2, after: 1 }] },
  { kind: 'role', name: 'shadow', status: 'unmanaged', changes: [], note: 'on the server, not declared in the repository' },
  { kind: 'role', name: 'editor', status: 'ignored', changes: [], note: 'matches ignore pattern role/editor' },
  { kind: 'user', name: 'alice', status: 'changed', changes: [{ path: 'spec.roles', before: ['devops'], after: ['dbadmin', 'devops'] }] },
  { kind: 'user', name: 'bob', status: 'missing', changes: [], note: 'declared in the repository, not on the server' },
];

function report(failOnUnmanaged = false): DriftReport {
  const sections: SectionResult[] = [
    { system: 'teleport', state: 'checked', source: 'gRPC 127.0.0.1:3025', counts: countFindings(9, teleportFindings), findings: teleportFindings, notes: [] },
    { system: 'mattermost', state: 'checked', source: 'http://mm', counts: countFindings(1, []), findings: [], notes: ['bot teleport is also in team(s) x'] },
    { system: 'terraform', state: 'skipped', reason: 'terraform is not on PATH', counts: countFindings(0, []), findings: [], notes: [] },
  ];
  return { stack: 'cdktf.out/stacks/dual-authorization', sections, failOnUnmanaged, ...exitCodeOf(sections, failOnUnmanaged) };
}

describe('report formats', () => {
  test('text: a summary per system, one line per field with repository -> server', () => {
    const t = renderText(report());
    assert.match(t, /^Teleport \(gRPC 127\.0\.0\.1:3025\): 9 managed, 6 in sync, 2 changed, 1 missing, 1 unmanaged, 1 ignored$/m);
    assert.match(t, /^ {2}~ role\/devops changed\n {6}spec\.allow\.request\.thresholds\[0\]\.approve: 2 -> 1$/m);
    assert.match(t, /^ {6}spec\.roles: \[devops\] -> \[dbadmin, devops\] \(added dbadmin\)$/m);
    assert.match(t, /^ {2}- user\/bob missing: declared in the repository, not on the server$/m);
    assert.match(t, /^ {2}\+ role\/shadow unmanaged/m);
    assert.match(t, /^ {2}ignored \(unmanaged, matching an ignore pattern\): role\/editor$/m);
    assert.match(t, /^Mattermost \(http:\/\/mm\): 1 managed, 1 in sync\n {2}note: bot teleport is also in team\(s\) x$/m);
    assert.match(t, /^Terraform: skipped: terraform is not on PATH$/m);
    assert.match(t, /^Result: drift detected \(1 unmanaged, not counted as drift without --fail-on-unmanaged\), exit 2$/m);
  });

  test('json: the report object, absent values left out', () => {
    const j = JSON.parse(renderJson(report())) as DriftReport;
    assert.equal(j.exitCode, 2);
    assert.equal(j.drift, true);
    assert.deepEqual(j.sections[0]!.counts, { managed: 9, inSync: 6, changed: 2, missing: 1, unmanaged: 1, ignored: 1 });
    assert.deepEqual(j.sections[0]!.findings[0], teleportFindings[0]);
    assert.equal(j.sections[2]!.state, 'skipped');
  });

  test('markdown: verdict heading, summary table, findings table with escaped cells', () => {
    const r = report();
    r.sections[0]!.findings.push({ kind: 'role', name: 'pipe', status: 'changed', changes: [{ path: 'spec.allow.request.thresholds[0].filter', before: 'a || b', after: 'x`y' }] });
    const m = renderMarkdown(r);
    assert.match(m, /^## ❌ dualauth drift: drift detected$/m);
    assert.match(m, /^\| Teleport \| checked \| 9 \| 6 \| 2 \| 1 \| 1 \| 1 \|$/m);
    assert.match(m, /^\| Terraform \| skipped: terraform is not on PATH \|/m);
    assert.match(m, /^\| `role\/devops` \| changed \| `spec\.allow\.request\.thresholds\[0\]\.approve` \| `2` \| `1` \|$/m);
    assert.match(m, /^\| `user\/alice` \| changed \| `spec\.roles` \(added dbadmin\) \| `\[devops\]` \| `\[dbadmin, devops\]` \|$/m);
    assert.match(m, /\| `"a \\|\\| b"` \| `` "x`y" `` \|$/m);
    assert.doesNotMatch(m, /role\/editor/, 'ignored resources are counted, not listed');
  });

  test('exit codes: 0 clean, 2 drift, unmanaged only with --fail-on-unmanaged, 1 on any error', () => {
    const clean = { system: 'teleport' as const, state: 'checked' as const, counts: countFindings(3, []), findings: [], notes: [] };
    const unmanaged = { ...clean, counts: countFindings(3, [teleportFindings[1]!]) };
    assert.deepEqual(exitCodeOf([clean], false), { drift: false, exitCode: 0 });
    assert.deepEqual(exitCodeOf([unmanaged], false), { drift: false, exitCode: 0 });
    assert.deepEqual(exitCodeOf([unmanaged], true), { drift: true, exitCode: 2 });
    assert.deepEqual(exitCodeOf([clean, { ...clean, system: 'terraform', state: 'error' }], false), { drift: false, exitCode: 1 });
    assert.match(renderMarkdown({ ...report(), exitCode: 1 }), /^## ⚠️ dualauth drift: error/m);
  });

  test('values: bare when unambiguous, quoted otherwise, absent spelled out', () => {
    assert.equal(formatValue(undefined), '(absent)');
    assert.equal(formatValue('best_effort'), 'best_effort');
    assert.equal(formatValue('8h0m0s'), '8h0m0s');
    assert.equal(formatValue('true'), '"true"');
    assert.equal(formatValue(''), '""');
    assert.equal(formatValue('a, b'), '"a, b"');
    assert.equal(formatValue({ kind: '*', verbs: ['*'] }), '{kind: *, verbs: [*]}');
    assert.equal(formatValue('x'.repeat(500)).length, 240);
  });
});
