/** The --live path: `tctl get roles,users` dumps (YAML and JSON) for CI jobs without Teleport credentials. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { dump } from 'js-yaml';
import { RoleResource, TeleportResource } from '../../model';
import { parseLiveDump } from '../../drift/live-teleport';
import { runDrift } from '../../drift/run';
import { DriftInputError } from '../../drift/types';
import { applyRoleServerDefaults, applyUserServerDefaults } from '../../simulators/teleport';
import { desiredOrg, role, tempDir, writeStack } from './helpers';

/** What tctl prints: server defaults, revision, and the plain booleans it always writes. */
function tctlView(r: TeleportResource): Record<string, unknown> {
  if (r.kind === 'user') {
    const u = applyUserServerDefaults(r);
    return { ...u, spec: { ...u.spec, created_by: { time: '2025-01-01T10:00:00Z', user: { name: 'admin' } }, expires: '0001-01-01T00:00:00Z' }, status: { password_state: 1 } };
  }
  const x = applyRoleServerDefaults(r as RoleResource);
  x.spec.options = { forward_agent: false, pin_source_ip: false, port_forwarding: true, ...x.spec.options };
  return { ...x, metadata: { ...x.metadata, labels: { 'teleport.dev/origin': 'dynamic' } } } as unknown as Record<string, unknown>;
}

function writeDump(resources: TeleportResource[], format: 'yaml' | 'json'): string {
  const file = join(tempDir(), `live.${format}`);
  const docs = resources.map(tctlView);
  writeFileSync(file, format === 'json' ? JSON.stringify(docs, null, 2) : docs.map((d) => dump(d, { sortKeys: true })).join('---\n'));
  return file;
}

const drift = (stackDir: string, file: string) => runDrift({ stackDir, teleport: { kind: 'dump', file }, terraform: false });

describe('drift from a tctl dump', () => {
  const desired = desiredOrg();
  const stack = writeStack(desired);

  for (const format of ['yaml', 'json'] as const) {
    test(`a ${format} dump of the applied stack shows no drift`, async () => {
      const r = await drift(stack, writeDump(desired, format));
      const s = r.sections[0]!;
      assert.equal(s.state, 'checked', s.reason);
      assert.equal(s.source?.startsWith('dump '), true);
      assert.equal(s.counts.inSync, desired.length);
      assert.equal(r.exitCode, 0);
    });
  }

  test('edits, deletions and unmanaged roles in a dump', async () => {
    const live = JSON.parse(JSON.stringify(desired)) as TeleportResource[];
    const devops = live.find((x) => x.metadata.name === 'devops') as RoleResource;
    devops.spec.allow!.request!.thresholds![0]!.approve = 1;
    const withoutBob = live.filter((x) => x.metadata.name !== 'bob@example.com');
    withoutBob.push(role('contractor', { allow: { logins: ['root'] } }), role('auditor', {}));
    const r = await drift(stack, writeDump(withoutBob, 'yaml'));
    const s = r.sections[0]!;
    assert.equal(r.exitCode, 2);
    assert.deepEqual(
      s.findings.map((f) => `${f.status} ${f.kind}/${f.name}`),
      ['ignored role/auditor', 'unmanaged role/contractor', 'changed role/devops', 'missing user/bob@example.com'],
    );
  });

  test('other kinds in the dump are noted, not compared', () => {
    const text = 'kind: role\nmetadata: {name: a}\nspec: {}\nversion: v7\n---\nkind: node\nmetadata: {name: n1}\n---\nkind: node\nmetadata: {name: n2}\n';
    const live = parseLiveDump(text, 'x.yaml');
    assert.equal(live.resources.filter((r) => r.kind === 'role').length, 1);
    assert.deepEqual(live.notes, ['the dump also holds other kinds, not compared: node (2)']);
  });

  test('a single JSON object is accepted as a one-element array', () => {
    const live = parseLiveDump('{"kind":"user","version":"v2","metadata":{"name":"u"},"spec":{}}', 'u.json');
    assert.equal(live.resources.filter((r) => r.kind === 'user').length, 1);
  });

  test('malformed dumps and a missing file are errors naming --live and the line', async () => {
    assert.throws(() => parseLiveDump('kind: role\nmetadata: {name: a\n', 'bad.yaml'), (e: Error) => e instanceof DriftInputError && /^--live bad\.yaml:\d+: malformed YAML/.test(e.message));
    assert.throws(() => parseLiveDump('[{"kind": ', 'bad.json'), /--live bad\.json: malformed JSON/);
    assert.throws(() => parseLiveDump('- 1\n', 'list.yaml'), /document 1 has no kind/);
    assert.throws(() => parseLiveDump('kind: role\nspec: {}\n', 'noname.yaml'), /\(role\) has no metadata\.name/);
    const r = await drift(stack, join(tempDir(), 'absent.yaml'));
    assert.equal(r.exitCode, 1);
    assert.equal(r.sections[0]!.state, 'error');
    assert.match(r.sections[0]!.reason ?? '', /^--live .*absent\.yaml: cannot be read \(ENOENT\): create it with tctl get roles,users/);
  });
});
