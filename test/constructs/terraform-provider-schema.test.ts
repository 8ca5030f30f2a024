// Terraform output against the published schema of Teleport's provider (test/fixtures/terraform/
// teleport-provider-schema.json, with its source): an attribute the provider does not have, or a value of the
// wrong type, fails here before `terraform plan` would.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { kindModel, parseYamlDocuments, TeleportResource, TerraformShapeError, type RoleResource, type UserResource } from '../../model';

const ROOT = path.resolve(__dirname, '..', '..');
/** A schema node: a type name ("string", "list(string)", ...) or {type: object | list(object), attributes}. */
type Node = string | { type: string; attributes?: Record<string, Node> };
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'terraform', 'teleport-provider-schema.json'), 'utf8')) as Record<string, Node>;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Problems of `value` against a schema node, as "path: problem". */
export function schemaProblems(value: unknown, n: Node, at: string): string[] {
  const node = typeof n === 'string' ? { type: n, attributes: undefined } : n;
  switch (node.type) {
    case 'string': return typeof value === 'string' ? [] : [`${at}: ${JSON.stringify(value)} is not a string`];
    case 'number': return typeof value === 'number' ? [] : [`${at}: ${JSON.stringify(value)} is not a number`];
    case 'bool': return typeof value === 'boolean' ? [] : [`${at}: ${JSON.stringify(value)} is not a bool`];
    case 'list(string)': return strings(value) ? [] : [`${at}: ${JSON.stringify(value)} is not a list of strings`];
    case 'map(string)': return isObj(value) && Object.values(value).every((x) => typeof x === 'string') ? [] : [`${at}: not a map of strings`];
    case 'map(list(string))': return isObj(value) && Object.values(value).every(strings) ? [] : [`${at}: ${JSON.stringify(value)} is not a map of lists of strings`];
    case 'list(object)':
      if (!Array.isArray(value)) return [`${at}: not a list`];
      return value.flatMap((x, i) => schemaProblems(x, { type: 'object', attributes: node.attributes }, `${at}[${i}]`));
    case 'object': {
      if (!isObj(value)) return [`${at}: not an object`];
      return Object.entries(value).flatMap(([k, v]) => {
        const child = node.attributes?.[k];
        return child ? schemaProblems(v, child, at ? `${at}.${k}` : k) : [`${at ? `${at}.` : ''}${k}: the provider has no such attribute`];
      });
    }
    default: throw new Error(`fixture type ${node.type}`);
  }
}

const corpusDir = path.join(ROOT, 'test', 'corpus', 'teleport', 'accepted');
const corpus: TeleportResource[] = fs.readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).sort()
  .flatMap((f) => parseYamlDocuments(fs.readFileSync(path.join(corpusDir, f), 'utf8'), f).map((d) => d.value as TeleportResource))
  .filter((r) => r.kind === 'role' || r.kind === 'user');

describe("Terraform attributes match Teleport's provider schema", () => {
  test('the checker itself catches a wrong attribute and a wrong type', () => {
    const p = schemaProblems({ version: 'v7', metadata: { name: 'r' }, spec: { allow: { namespaces: ['default'] }, options: { cert_extensions: [{ type: 'ssh' }] } } }, SCHEMA.teleport_role!, '');
    assert.deepEqual(p, ['spec.allow.namespaces: the provider has no such attribute', 'spec.options.cert_extensions[0].type: "ssh" is not a number']);
  });

  test('the built-in stack (its golden cdk.tf.json)', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'constructs', 'golden', 'cdk.tf.golden.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
    let n = 0;
    for (const type of ['teleport_role', 'teleport_user']) {
      for (const [name, attrs] of Object.entries(tf.resource[type] ?? {})) {
        n++;
        // Terraform's own meta-arguments, and cdktf's `//` comment key, are not provider attributes
        const { depends_on: _d, lifecycle: _l, provider: _p, '//': _c, ...own } = attrs as Record<string, unknown>;
        assert.deepEqual(schemaProblems(own, SCHEMA[type]!, ''), [], `${type}.${name}`);
      }
    }
    assert.ok(n >= 5, `${n} Teleport resources`);
  });

  test('every accepted corpus role and user, as toTerraform emits it', () => {
    const problems: string[] = [];
    for (const r of corpus) {
      const model = kindModel(r.kind)!;
      try {
        problems.push(...schemaProblems(model.toTerraform(r), SCHEMA[model.terraformType]!, '').map((p) => `${r.kind}/${r.metadata.name} ${p}`));
      } catch (err) {
        if (!(err instanceof TerraformShapeError)) throw err;
      }
    }
    assert.deepEqual(problems, []);
  });

  test('no namespaces, cert extensions as numbers, user identities, labels and description kept', () => {
    const role = { kind: 'role', version: 'v7', metadata: { name: 'r', description: 'd', labels: { a: 'b' } }, spec: { options: { cert_extensions: [{ type: 'ssh', mode: 'extension', name: 'login@github.com', value: 'alice' }], forward_agent: 'no' }, allow: { namespaces: ['default'], logins: ['x'] }, deny: { namespaces: ['default'] } } } as unknown as RoleResource;
    const tr = kindModel('role')!.toTerraform(role) as { metadata: unknown; spec: { allow: Record<string, unknown>; options: Record<string, unknown> } };
    assert.equal(tr.spec.allow.namespaces, undefined);
    assert.deepEqual(tr.spec.options.cert_extensions, [{ type: 0, mode: 0, name: 'login@github.com', value: 'alice' }]);
    assert.equal(tr.spec.options.forward_agent, false);
    assert.deepEqual(tr.metadata, { name: 'r', description: 'd', labels: { a: 'b' } });
    assert.throws(() => kindModel('role')!.toTerraform({ ...role, spec: { allow: { namespaces: ['prod'] } } } as RoleResource), /role\/r spec\.allow\.namespaces: \["prod"\] cannot be expressed/);
    const user = { kind: 'user', version: 'v2', metadata: { name: 'alice', description: 'on call', labels: { team: 'db' }, expires: '2030-01-01T00:00:00Z' }, spec: { roles: ['devops'], traits: { logins: ['alice'] }, oidc_identities: [{ connector_id: 'okta', username: 'alice@example.com' }], saml_identities: [{ connector_id: 's', username: 'a' }], github_identities: [{ connector_id: 'gh', username: 'alice', user_id: '1' }] } } as UserResource;
    const tu = kindModel('user')!.toTerraform(user);
    assert.deepEqual(tu, { version: 'v2', metadata: user.metadata, spec: user.spec });
    assert.deepEqual(schemaProblems(tu, SCHEMA.teleport_user!, ''), []);
  });
});
