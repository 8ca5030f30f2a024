/**
 * The model against real Teleport material (test/corpus/teleport, origins in its SOURCE.md): every document Teleport
 * accepts passes synth-time validation and the review's invalid-resource rule (DA-010), also with the server's
 * defaults filled in as `tctl get` would print it; every document Teleport
 * rejects is rejected at the field Teleport names, by both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { kindModel, parseTeleportVersion, parseYamlDocuments, TeleportResource } from '../../model';
import { review } from '../../policies/review';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'test', 'corpus', 'teleport');
/** Teleport 18 reads role versions v3..v8, so every accepted document is valid there. */
const TARGET = parseTeleportVersion('18.0');

const yamlFiles = (dir: string): string[] =>
  fs.readdirSync(path.join(CORPUS, dir)).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(CORPUS, dir, f));

function documents(file: string): TeleportResource[] {
  return parseYamlDocuments(fs.readFileSync(file, 'utf8'), file).map((d) => d.value as TeleportResource);
}

function modelProblems(doc: TeleportResource): { field: string; message: string }[] {
  const model = kindModel(doc.kind);
  assert.ok(model, `kind ${String(doc.kind)} is modelled`);
  return model.problems(doc, TARGET);
}

function da010(file: string): { field?: string; message: string }[] {
  return review({ paths: [file], cwd: ROOT }).findings.filter((f) => f.ruleId === 'DA-010');
}

/** The header of a rejected document: `# field: ...` (where Teleport rejects it) and `# rejected-by: ...` (the Go function). */
function expectation(file: string): { field: string; by: string } {
  const text = fs.readFileSync(file, 'utf8');
  const field = /^# field: (.+)$/m.exec(text)?.[1]?.trim();
  const by = /^# rejected-by: (.+)$/m.exec(text)?.[1]?.trim();
  assert.ok(field && by, `${path.basename(file)} names the field and the Go function that rejects it`);
  return { field, by };
}

const accepted = yamlFiles('accepted');
const rejected = yamlFiles('rejected');

test('the corpus is large enough and every file has its origin in SOURCE.md', () => {
  const docs = accepted.flatMap(documents);
  assert.ok(docs.length >= 60, `${docs.length} accepted documents`);
  assert.ok(rejected.length >= 30, `${rejected.length} rejected documents`);
  for (const v of ['v3', 'v4', 'v5', 'v6', 'v7', 'v8']) assert.ok(docs.some((d) => d.kind === 'role' && d.version === v), `an accepted role ${v}`);
  assert.ok(docs.some((d) => d.kind === 'user'), 'accepted users');
  const source = fs.readFileSync(path.join(CORPUS, 'SOURCE.md'), 'utf8');
  for (const f of [...accepted, ...rejected]) {
    const rel = path.relative(CORPUS, f).split(path.sep).join('/');
    assert.ok(source.includes(`\`${rel}\``), `SOURCE.md lists ${rel}`);
  }
});

for (const file of accepted) {
  const name = path.relative(CORPUS, file);
  test(`accepted: ${name} passes the model for Teleport 18 (as written and as the server prints it back) and the review's DA-010`, () => {
    for (const doc of documents(file)) {
      assert.deepEqual(modelProblems(doc), [], `${doc.kind}/${doc.metadata?.name}`);
      const printed = kindModel(doc.kind)!.withServerDefaults(doc, TARGET);
      assert.deepEqual(modelProblems(printed), [], `${doc.kind}/${doc.metadata?.name} with Teleport 18's defaults`);
    }
    assert.deepEqual(da010(file), []);
  });
}

for (const file of rejected) {
  const name = path.relative(CORPUS, file);
  test(`rejected: ${name} is rejected at the field Teleport names`, () => {
    const { field } = expectation(file);
    const docs = documents(file);
    assert.equal(docs.length, 1, 'one document per rejected file');
    const fields = modelProblems(docs[0] as TeleportResource).map((p) => p.field);
    assert.ok(fields.includes(field), `model reports ${field}; it reported ${JSON.stringify(fields)}`);
    const review = da010(file).map((f) => f.field);
    assert.ok(review.includes(field), `DA-010 reports ${field}; it reported ${JSON.stringify(review)}`);
  });
}
