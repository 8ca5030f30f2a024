// Findings name the construct that declared the resource (from cdk.tf.json's synthesized metadata) next
// to the teleport.yaml line, in every report format, so a reviewer knows which TypeScript to edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDualAuthApp, DualAuthorization, DualAuthStack, TeleportRole } from '../../constructs';
import { review } from '../../policies/review';
import { FORMATS, formatReport } from '../../policies/report';
import { constructPathsFromTerraform } from '../../policies/construct-paths';

function synthStack(terraformProvider: boolean): string {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-cp-')), 'cdktf.out');
  const da = createDualAuthApp({ outdir });
  const stack = new DualAuthStack(da.app, 'ops', { teleportVersion: '15.4', terraformProvider });
  new DualAuthorization(stack, 'Prod', {
    privilegedRole: { name: 'prod-admin', logins: ['root'], nodeLabels: { env: 'prod' } },
    requesterRoleName: 'prod-requester',
    reviewerRoleName: 'prod-reviewer',
    requesters: ['bob@example.com'],
    reviewers: ['alice@example.com', 'ivan@example.com'],
  });
  // a privileged role with the default 30h sessions: the review warns (DA-008), pointing at this construct.
  // (Wildcard labels are an error that synthesis now refuses too, through the shared rule runner.)
  new TeleportRole(stack, 'BreakGlass', { name: 'break-glass', allow: { logins: ['root'], nodeLabels: { env: 'prod' } } });
  da.synth();
  return path.join(outdir, 'stacks', 'ops');
}

test('every report format carries the construct path of the resource a finding is about', () => {
  const dir = synthStack(true);
  const result = review({ paths: [dir], config: { privileged: { roles: ['break-glass'] } } as never });
  const onBreakGlass = result.findings.filter((f) => f.resource === 'role/break-glass');
  assert.ok(onBreakGlass.length > 0, 'the standing privileged role has findings');
  for (const f of onBreakGlass) assert.equal(f.constructPath, 'ops/BreakGlass');
  const prod = result.findings.find((f) => f.resource?.startsWith('role/prod-'));
  if (prod) assert.match(prod.constructPath ?? '', /^ops\/Prod\//);
  for (const format of FORMATS) {
    const out = formatReport(result, format);
    assert.ok(out.includes('ops/BreakGlass'), `${format} report names the construct`);
  }
  const sarif = JSON.parse(formatReport(result, 'sarif')) as { runs: { results: { locations: { logicalLocations?: { fullyQualifiedName: string; kind: string }[] }[] }[] }[] };
  const logical = sarif.runs[0].results.flatMap((r) => r.locations.flatMap((l) => l.logicalLocations ?? []));
  assert.ok(logical.some((l) => l.fullyQualifiedName === 'ops/BreakGlass' && l.kind === 'object'));
  assert.match(formatReport(result, 'text'), /role\/break-glass \(construct ops\/BreakGlass\)/);
});

test('construct paths come from cdk.tf.json; without it (tctl-only stacks, YAML files) findings simply have none', () => {
  const dir = synthStack(false);
  const result = review({ paths: [dir], config: { privileged: { roles: ['break-glass'] } } as never });
  assert.ok(result.findings.length > 0);
  assert.ok(result.findings.every((f) => f.constructPath === undefined));
  assert.deepEqual([...constructPathsFromTerraform('{not json')], []);
  assert.deepEqual([...constructPathsFromTerraform(JSON.stringify({ resource: { teleport_role: { a: { metadata: { name: 'a' }, '//': { metadata: { path: 's/A' } } } }, kubernetes_secret_v1: { x: { metadata: { name: 'x' }, '//': { metadata: { path: 's/X' } } } } } }))], [['role/a', 's/A']]);
});
