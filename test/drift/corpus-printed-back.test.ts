// Drift that is not drift: every accepted corpus document (test/corpus/teleport/accepted), as a real server of each
// supported major stores it and prints it back, shows no drift; one meaningful change to it does.
//
// "Printed back" is built from Teleport's code, not from drift's normaliser: the server's YAML 1.1 reading of
// booleans (ghodss/yaml: `no` is false), YAML nulls as absent, RoleV6.CheckAndSetDefaults for the role version
// (model/kinds/role-defaults.ts), then the gRPC wire (proto3: zero values vanish, durations in Go's String() form,
// single label values as strings), exactly what `dualauth drift --teleport-addr` reads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { kindModel, parseYamlDocuments, roleVersionSupported, SUPPORTED_TELEPORT, teleportBool, TeleportResource, type RoleResource, type RoleVersion } from '../../model';
import { compareResource } from '../../drift/teleport';
import { kindWire } from '../../teleport-client/kinds';

const CORPUS = path.resolve(__dirname, '..', 'corpus', 'teleport', 'accepted');
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

/** YAML 1.1 as Teleport's parser reads it: yes/no/on/off scalars are booleans. Only option values can be booleans. */
function yaml11Booleans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(yaml11Booleans);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, yaml11Booleans(x)]));
  return typeof v === 'string' && /^(yes|no|on|off|true|false|y|n)$/i.test(v) ? teleportBool(v) : v;
}

function asServerReads(doc: TeleportResource): TeleportResource {
  const r = withoutNulls(doc) as TeleportResource;
  if (r.kind === 'role' && isObj(r.spec) && isObj((r.spec as Obj).options)) (r.spec as Obj).options = yaml11Booleans((r.spec as Obj).options);
  return r;
}

/** What a server of `major` returns over gRPC for a document created with tctl. */
function printedBack(doc: TeleportResource, major: number): TeleportResource {
  const model = kindModel(doc.kind)!;
  const stored = model.withServerDefaults(asServerReads(doc), { major, minor: 0 });
  const wire = kindWire(doc.kind)!;
  const back = wire.fromPb(wire.toPb(stored));
  back.metadata = { ...back.metadata, revision: 'server-rev-1' };
  return back;
}

/** A change Teleport acts on: one more login (roles), one more role (users). */
function meaningfulChange(r: TeleportResource): { changed: TeleportResource; path: string } {
  const c = JSON.parse(JSON.stringify(r)) as TeleportResource & { spec: Obj };
  if (c.kind === 'role') {
    const allow = (((c.spec as Obj).allow ??= {}) as Obj);
    allow.logins = [...((allow.logins as string[]) ?? []), 'drift-check'];
    return { changed: c, path: 'spec.allow.logins' };
  }
  c.spec.roles = [...((c.spec.roles as string[]) ?? []), 'drift-check'];
  return { changed: c, path: 'spec.roles' };
}

const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
const docs = files.flatMap((f) =>
  parseYamlDocuments(fs.readFileSync(path.join(CORPUS, f), 'utf8'), f)
    .map((d) => ({ file: f, doc: d.value as TeleportResource }))
    .filter(({ doc }) => kindWire(doc.kind) !== undefined),
);

describe('corpus documents printed back by each supported major', () => {
  test('the corpus holds enough roles and users to mean something', () => {
    assert.ok(docs.filter((d) => d.doc.kind === 'role').length >= 40, `${docs.length} documents`);
    assert.ok(docs.some((d) => d.doc.kind === 'user'));
  });

  for (const t of SUPPORTED_TELEPORT) {
    test(`Teleport ${t.release}: no drift as printed back, drift after one change`, () => {
      const problems: string[] = [];
      let compared = 0;
      for (const { file, doc } of docs) {
        if (doc.kind === 'role' && !roleVersionSupported(doc.version as RoleVersion, { major: t.major, minor: 0 })) continue;
        compared++;
        const live = printedBack(doc, t.major);
        const same = compareResource(doc, live);
        if (same) problems.push(`${file} ${doc.kind}/${doc.metadata.name}: ${same.changes.map((c) => `${c.path}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`).join('; ')}`);
        const { changed, path: where } = meaningfulChange(live);
        const diff = compareResource(doc, changed);
        if (!diff || !diff.changes.some((c) => c.path.startsWith(where))) problems.push(`${file} ${doc.kind}/${doc.metadata.name}: a change at ${where} was not reported`);
      }
      assert.deepEqual(problems, []);
      assert.ok(compared >= 40, `compared ${compared}`);
    });
  }

  test('v7/v8 roles do not get default verbs: a server role without verbs differs from one with verbs [*]', () => {
    const doc: RoleResource = { kind: 'role', version: 'v8', metadata: { name: 'k' }, spec: { allow: { kubernetes_resources: [{ kind: 'pods', api_group: '', namespace: 'default', name: 'web', verbs: ['*'] }] } } } as RoleResource;
    const live = JSON.parse(JSON.stringify(doc)) as RoleResource;
    delete (live.spec.allow!.kubernetes_resources as { verbs?: string[] }[])[0]!.verbs;
    assert.ok(compareResource(doc, live), 'verbs [*] -> none is a change on v8');
    const v6 = { ...doc, version: 'v6' as RoleVersion, spec: { allow: { kubernetes_resources: [{ kind: 'pod', namespace: 'default', name: 'web', verbs: ['*'] }] } } } as RoleResource;
    const v6live = JSON.parse(JSON.stringify(v6)) as RoleResource;
    delete (v6live.spec.allow!.kubernetes_resources as { verbs?: string[] }[])[0]!.verbs;
    assert.equal(compareResource(v6, v6live), undefined, 'v6 defaults empty verbs to [*]');
  });
});
