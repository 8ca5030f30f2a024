/** Loading what the review reads, and bad input: malformed YAML, unknown kind, duplicates, missing paths. */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { InputError } from '../../policies/input-error';
import { loadInput } from '../../policies/load-input';
import { readYamlDocuments } from '../../policies/yaml-documents';
import { corpus, GUIDE_DIR, reviewPaths, ROOT, writeDir } from './helpers';

const load = (paths: string[]) => loadInput(paths, { cwd: ROOT });

function rejects(paths: string[], message: RegExp, opts: { base?: string[] } = {}): void {
  assert.throws(() => reviewPaths(paths, { basePaths: opts.base }), (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.match((err as Error).message, message);
    return true;
  });
}

describe('bad input is rejected with file and line (exit 2)', () => {
  it('malformed YAML names the file and line', () => {
    rejects([corpus('bad', 'input', 'malformed.yaml')], /^test\/policies\/corpus\/bad\/input\/malformed\.yaml:7: malformed YAML/);
  });

  it('an unknown kind', () => {
    rejects([corpus('bad', 'input', 'unknown-kind.yaml')], /unknown-kind\.yaml:9: unknown kind "trusted_cluster": the review knows role, user, /);
  });

  it('a duplicate resource, naming both places', () => {
    rejects([corpus('bad', 'input', 'duplicate.yaml')], /duplicate\.yaml:11: duplicate resource role\/dbadmin \(first declared at .*duplicate\.yaml:1\)/);
  });

  it('a duplicate across two inputs', () => {
    rejects([GUIDE_DIR, corpus('good', 'guide-tctl.json')], /duplicate resource role\/access-plugin/);
  });

  it('a missing path and a missing base path', () => {
    rejects([corpus('good', 'nope')], /^path .*nope does not exist/);
    rejects([GUIDE_DIR], /^base path .*missing-base does not exist/, { base: [corpus('missing-base')] });
  });

  it('a directory without Teleport YAML', () => {
    rejects([writeDir({ 'notes.txt': 'hello' })], /holds no Teleport YAML/);
  });

  it('a resource without kind or name, and a document that is not a mapping', () => {
    rejects([path.join(writeDir({ 'a.yaml': 'metadata:\n  name: x\n' }), 'a.yaml')], /a\.yaml:1: resource has no kind/);
    rejects([path.join(writeDir({ 'a.yaml': 'kind: role\nversion: v8\nspec: {}\n' }), 'a.yaml')], /role has no metadata\.name/);
    rejects([path.join(writeDir({ 'a.yaml': '- just\n- a list\n' }), 'a.yaml')], /document is not a Teleport resource/);
  });

  it('duplicate keys are malformed YAML', () => {
    rejects([path.join(writeDir({ 'a.yaml': 'kind: role\nkind: user\n' }), 'a.yaml')], /a\.yaml:2: malformed YAML/);
  });

  it('an invalid suppressions file', () => {
    rejects([corpus('bad', 'input', 'bad-suppressions')], /policy-suppressions\.json: invalid suppressions: suppressions\.0\.reason: a suppression needs a non-empty reason/);
  });
});

describe('inputs', () => {
  it('a stack output directory: teleport.yaml, suppressions, and cdk.tf.json for the secret scan', () => {
    const input = load([corpus('good', 'da-004-suppressed')]);
    assert.equal(input.resources.length, 9);
    assert.equal(input.suppressions.length, 1);
    assert.equal(input.suppressions[0]!.source, 'test/policies/corpus/good/da-004-suppressed/policy-suppressions.json');
    const guide = load([GUIDE_DIR]);
    assert.deepEqual(guide.files.map((f) => f.kind), ['teleport', 'terraform']);
  });

  it('a cdktf.out root expands to its stacks; a directory without teleport.yaml reads every *.yaml', () => {
    const yaml = fs.readFileSync(path.join(GUIDE_DIR, 'teleport.yaml'), 'utf8');
    const out = writeDir({ 'manifest.json': '{}', 'stacks/dual-authorization/teleport.yaml': yaml });
    assert.equal(load([out]).resources.length, 9);
    const docs = yaml.split(/^---$/m);
    const loose = writeDir({ 'roles.yaml': docs.slice(0, 5).join('---'), 'users.yml': docs.slice(5).join('---') });
    assert.equal(load([loose]).resources.length, 9);
  });

  it('a tctl dump: server fields of users are dropped, lines still point into the file', () => {
    const input = load([corpus('good', 'tctl-dump.yaml')]);
    const alice = input.resources.find((r) => r.key === 'user/alice@example.com')!;
    assert.equal((alice.resource.spec as Record<string, unknown>).created_by, undefined);
    assert.equal(alice.lineOf(['spec', 'roles', 1]), 231);
  });

  it('tctl JSON (an array of resources) with lines per element', () => {
    const input = load([corpus('good', 'guide-tctl.json')]);
    assert.equal(input.resources.length, 9);
    const devops = input.resources.find((r) => r.key === 'role/devops')!;
    const text = fs.readFileSync(corpus('good', 'guide-tctl.json'), 'utf8').split('\n');
    assert.match(text[devops.lineOf(['spec', 'allow', 'request', 'thresholds', 0, 'approve']) - 1]!, /"approve": 2/);
  });
});

describe('fast YAML reading agrees with the model parser', () => {
  it('same values and lines, across --- markers, comments and empty documents', () => {
    const text = '# head comment\nkind: role\nmetadata:\n  name: a\n---\n---\n# c\nkind: user # trailing\nmetadata:\n  name: b\nspec:\n  roles: [a]\n  traits:\n    logins:\n    - "x"\n...\n--- {kind: user, metadata: {name: c}}\n';
    const docs = readYamlDocuments(text, 'f.yaml');
    assert.deepEqual(docs.map((d) => (d.value as { metadata: { name: string } }).metadata.name), ['a', 'b', 'c']);
    assert.deepEqual(docs.map((d) => d.line), [2, 8, 17]);
    assert.equal(docs[1]!.lineOf(['spec', 'traits', 'logins', 0]), 15);
    assert.equal(docs[2]!.lineOf(['metadata', 'name']), 17);
  });

  it('keeps YAML 1.2 core types: dates and yes/no stay strings', () => {
    const [d] = readYamlDocuments('a: 2027-01-31\nb: yes\nc: 08:00\nd: 12\n', 'f.yaml');
    assert.deepEqual(d!.value, { a: '2027-01-31', b: 'yes', c: '08:00', d: 12 });
  });
});
