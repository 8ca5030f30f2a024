/** Every report format (text, markdown with size limits, JSON, SARIF, GitHub annotations) and the verdict / exit codes. */
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import * as fs from 'fs';
import { describe, it } from 'node:test';
import { TeleportResource, UserResource } from '../../model';
import { inputFromResources } from '../../policies/load-input';
import { formatReport } from '../../policies/report';
import { escapeData, escapeProperty } from '../../policies/report/github';
import { COMMENT_LIMIT, MARKDOWN_MARKER, STEP_SUMMARY_LIMIT } from '../../policies/report/markdown';
import { exitCodeFor, failingFindings, reviewInputs, ReviewResult } from '../../policies/review';
import { corpus, GUIDE_DIR, guideResources, reviewPaths, writeDir } from './helpers';

/** Head: the guide with two standing admins and a weak threshold; base: the guide. One DA-004 suppressed. */
function mixed(): ReviewResult {
  return reviewPaths([corpus('bad', 'da-004-suppression-expired')], {
    basePaths: [GUIDE_DIR],
    now: new Date('2019-01-01'), // the corpus suppression (expires 2020-06-30) is still valid then
  });
}

/** An organisation where `n` users hold dbadmin: n DA-004 errors. */
function manyFindings(n: number): ReviewResult {
  const rs: TeleportResource[] = guideResources();
  for (let i = 0; i < n; i++) rs.push({ kind: 'user', version: 'v2', metadata: { name: `admin${i}@example.com` }, spec: { roles: ['dbadmin'] } } as UserResource);
  return reviewInputs(inputFromResources(rs, 'cdktf.out/stacks/big/teleport.yaml'), inputFromResources(guideResources(), 'base.yaml'));
}

describe('text', () => {
  it('lists findings with location, message and fix, then suppressions, privilege changes and the verdict', () => {
    const r = reviewPaths([corpus('bad', 'da-001-single-approval.yaml')], { basePaths: [GUIDE_DIR] });
    const t = formatReport(r, 'text');
    assert.match(t, /^dualauth review: 1 error, 0 warnings, 0 notes in 5 roles and 4 users/);
    assert.match(t, /error {3}DA-001 \[new\] test\/policies\/corpus\/bad\/da-001-single-approval\.yaml:67 role\/devops\n {8}role devops lets its holders request privileged role dbadmin/);
    assert.match(t, /fix: In every role that can request the privileged role/);
    assert.match(t, /Privilege changes \(2\):\n {2}\+ bob@example.com: people needed for dbadmin 3 -> 2, via devops\n {2}\+ bob@example.com can now request dbadmin with 1 approval \(was 2\)/);
    assert.match(t, /FAIL: 1 finding at or above error\n$/);
    assert.match(formatReport(reviewPaths([GUIDE_DIR]), 'text'), /PASS: no unsuppressed findings at or above error/);
  });
});

describe('markdown', () => {
  it('has the marker, counts, findings grouped by rule with file and line, suppressions with reason, the privilege diff', () => {
    const md = formatReport(mixed(), 'markdown', { linkBase: 'https://github.com/o/r/blob/abc/' });
    assert.ok(md.startsWith(`${MARKDOWN_MARKER}\n## ✅ dualauth review: PASS`), md.slice(0, 200));
    assert.match(md, /\| new \| 0 \| 0 \| 0 \| \|\n\| total \| 0 \| 0 \| 0 \| 1 \|/);
    assert.match(md, /### Suppressions \(1\)[\s\S]*\| DA-004 \| `user\/alice@example.com` \| break-glass account during the 2020 migration \| team-db \| 2020-06-30 \| suppresses 1 finding \|/);
    assert.match(md, /### Privilege changes \(5\)\n\n- ⬆️ alice@example.com: people needed for dbadmin no path -&gt; 1, holds dbadmin \(one person alone\)\n- ⬆️ alice@example.com now holds dbadmin \(privileged\)/);
    assert.match(md, /### Who can obtain each privileged role \(1\)[\s\S]*<summary><code>dbadmin<\/code>: ❌ one person alone \(the policy wants 3\)<\/summary>\n\n```mermaid\nflowchart LR/);

    const bad = formatReport(reviewPaths([corpus('bad', 'da-003-reviewer-can-request.yaml')]), 'markdown', { linkBase: 'https://github.com/o/r/blob/abc/' });
    assert.match(bad, /## ❌ dualauth review: FAIL: 2 findings at or above error/);
    assert.match(bad, /<summary><b>DA-002<\/b> threshold-can-be-met: 1 error · AC-3<\/summary>[\s\S]*<summary><b>DA-003<\/b> no-self-approval: 1 error · AC-5<\/summary>/);
    assert.match(bad, /\[`test\/policies\/corpus\/bad\/da-003-reviewer-can-request\.yaml:61`\]\(https:\/\/github\.com\/o\/r\/blob\/abc\/test\/policies\/corpus\/bad\/da-003-reviewer-can-request\.yaml#L61\) \| `role\/dbreviewer` \|/);
    assert.match(bad, /How to suppress a finding/);
  });

  it('escapes table-breaking characters in messages', () => {
    const r = reviewPaths([GUIDE_DIR]);
    r.findings.push({ ruleId: 'DA-011', severity: 'warning', message: 'a | b <script> `c`', file: 'x.yaml', line: 1, fingerprint: 'f' });
    const md = formatReport(r, 'markdown');
    assert.match(md, /a \\\| b &lt;script&gt; \\`c\\`/);
  });

  it('stays within a PR comment (65,536) and says what it cut; the step summary limit fits more', () => {
    const r = manyFindings(1500);
    assert.equal(r.findings.filter((f) => f.ruleId === 'DA-004').length, 1500);
    const comment = formatReport(r, 'markdown');
    assert.ok(Buffer.byteLength(comment) <= COMMENT_LIMIT, `${Buffer.byteLength(comment)} bytes`);
    assert.ok(Buffer.byteLength(comment) > COMMENT_LIMIT - 5_000, 'uses the room it has');
    assert.match(comment, /> ⚠️ Cut to fit 65,536 bytes: \d+ findings, .*\d+ privilege changes.* not shown/);
    assert.match(comment, /more DA-004 findings not shown/);
    assert.match(comment, /<\/details>\n/);
    assert.equal(comment.split('<details').length, comment.split('</details>').length, 'every details block is closed');
    const summary = formatReport(r, 'markdown', { maxBytes: STEP_SUMMARY_LIMIT });
    assert.ok(Buffer.byteLength(summary) <= STEP_SUMMARY_LIMIT);
    assert.equal(summary.match(/`user\/admin\d+@example\.com`/g)?.length, 1500);
    const tiny = formatReport(r, 'markdown', { maxBytes: 8_000 });
    assert.ok(Buffer.byteLength(tiny) <= 8_000);
    assert.match(tiny, /## ❌ dualauth review: FAIL: 1500 findings/);
  });
});

describe('json', () => {
  it('carries everything: summary, rules, findings with suppression state, privilege changes', () => {
    const j = JSON.parse(formatReport(mixed(), 'json'));
    assert.equal(j.result, 'pass');
    assert.deepEqual(j.summary.error, 0);
    assert.equal(j.summary.suppressed, 1);
    assert.equal(j.rules.length, 13);
    assert.equal(j.findings[0].suppressed.reason, 'break-glass account during the 2020 migration');
    assert.ok(j.privilegeChanges.some((c: { text: string }) => c.text === 'alice@example.com can now log in as root'));
    assert.equal(JSON.parse(formatReport(manyFindings(3), 'json', { failOn: 'error' })).result, 'fail');
  });
});

// The parts of SARIF 2.1.0 that GitHub code scanning requires or uses (docs: "SARIF support for code scanning").
const SARIF_REQUIRED = {
  type: 'object',
  required: ['version', '$schema', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool', 'results'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name', 'rules'],
                properties: {
                  name: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id', 'shortDescription', 'fullDescription', 'help', 'defaultConfiguration', 'properties'],
                      properties: {
                        id: { type: 'string', pattern: '^DA-\\d{3}$' },
                        shortDescription: { type: 'object', required: ['text'] },
                        defaultConfiguration: { type: 'object', required: ['level'], properties: { level: { enum: ['error', 'warning', 'note', 'none'] } } },
                        properties: { type: 'object', required: ['tags', 'security-severity'], properties: { 'security-severity': { type: 'string', pattern: '^\\d+\\.\\d$' } } },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['ruleId', 'ruleIndex', 'level', 'message', 'locations', 'partialFingerprints'],
              properties: {
                level: { enum: ['error', 'warning', 'note', 'none'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
                locations: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    required: ['physicalLocation'],
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', not: { pattern: '^/' } } } },
                          region: { type: 'object', required: ['startLine'], properties: { startLine: { type: 'integer', minimum: 1 } } },
                        },
                      },
                    },
                  },
                },
                partialFingerprints: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
                suppressions: { type: 'array', items: { type: 'object', required: ['kind', 'justification'], properties: { kind: { enum: ['inSource', 'external'] } } } },
                baselineState: { enum: ['new', 'unchanged', 'updated', 'absent'] },
              },
            },
          },
        },
      },
    },
  },
};

describe('sarif', () => {
  const ajvValidate = new Ajv({ allErrors: true, strict: false }).compile(SARIF_REQUIRED);
  const validate = Object.assign((doc: unknown): boolean => ajvValidate(doc), { get errors() { return ajvValidate.errors; } });

  it('has the structure code scanning needs, stable rule ids and fingerprints, suppressions with justification', () => {
    const doc = JSON.parse(formatReport(mixed(), 'sarif'));
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    const run = doc.runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['DA-001', 'DA-002', 'DA-003', 'DA-004', 'DA-005', 'DA-006', 'DA-007', 'DA-008', 'DA-009', 'DA-010', 'DA-011', 'DA-012', 'DA-013']);
    for (const res of run.results) assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
    const sup = run.results.find((x: { suppressions?: unknown[] }) => x.suppressions);
    assert.equal(sup.ruleId, 'DA-004');
    assert.deepEqual(sup.suppressions[0].kind, 'external');
    assert.equal(sup.suppressions[0].justification, 'break-glass account during the 2020 migration');
    assert.equal(sup.locations[0].physicalLocation.artifactLocation.uri, 'test/policies/corpus/bad/da-004-suppression-expired/teleport.yaml');
    assert.equal(sup.locations[0].physicalLocation.region.startLine, 85);
    assert.equal(sup.baselineState, 'new');
  });

  it('fingerprints survive a line move', () => {
    const a = reviewPaths([corpus('bad', 'da-001-single-approval.yaml')]);
    const shifted = fs.readFileSync(corpus('bad', 'da-001-single-approval.yaml'), 'utf8');
    const dir = writeDir({ 'teleport.yaml': `# a comment\n# another\n${shifted}` });
    const b = reviewPaths([dir]);
    assert.equal(b.findings[0]!.line, a.findings[0]!.line + 2);
    const fp = (r: ReviewResult) => JSON.parse(formatReport(r, 'sarif')).runs[0].results[0].partialFingerprints;
    assert.deepEqual(fp(a), fp(b));
  });

  it('a clean review is a valid run with no results', () => {
    const doc = JSON.parse(formatReport(reviewPaths([GUIDE_DIR]), 'sarif'));
    assert.ok(validate(doc));
    assert.deepEqual(doc.runs[0].results, []);
  });
});

describe('github annotations', () => {
  it('one workflow command per finding with file, line and title; suppressed ones are not annotated', () => {
    const out = formatReport(reviewPaths([corpus('bad', 'da-003-reviewer-can-request.yaml')]), 'github');
    const lines = out.trim().split('\n');
    assert.match(lines[0]!, /^::error file=test\/policies\/corpus\/bad\/da-003-reviewer-can-request\.yaml,line=57,title=DA-002 threshold-can-be-met::role\/dbreviewer: a request for dbadmin by alice@example\.com needs 2 approvals/);
    assert.equal(lines.filter((l) => l.startsWith('::error ')).length, 2);
    assert.match(lines[lines.length - 1]!, /^dualauth review: 2 errors/);
    assert.doesNotMatch(formatReport(mixed(), 'github'), /^::/m);
  });

  it('caps each kind at ten and says how many more are in the report', () => {
    const out = formatReport(manyFindings(25), 'github');
    const errors = out.split('\n').filter((l) => l.startsWith('::error'));
    assert.equal(errors.length, 10);
    assert.match(errors[9]!, /^::error title=dualauth review::16 more errors not annotated \(GitHub shows 10 per kind\): see the review report/);
    // exactly ten fit without a summary line
    assert.equal(formatReport(manyFindings(10), 'github').split('\n').filter((l) => l.startsWith('::error')).length, 10);
  });

  it('escapes workflow-command data and properties', () => {
    assert.equal(escapeData('50% done\nnext\r'), '50%25 done%0Anext%0D');
    assert.equal(escapeProperty('a:b,c'), 'a%3Ab%2Cc');
  });
});

describe('verdict and exit codes', () => {
  it('0 clean, 1 at or above --fail-on', () => {
    assert.equal(exitCodeFor(reviewPaths([GUIDE_DIR])), 0);
    const warn = reviewPaths([corpus('bad', 'da-008-long-sessions.yaml')]);
    assert.equal(exitCodeFor(warn, 'error'), 0);
    assert.equal(exitCodeFor(warn, 'warning'), 1);
    assert.equal(exitCodeFor(warn, 'note'), 1);
  });

  it('--new-only fails only on what the change introduces', () => {
    const bad = corpus('bad', 'da-001-single-approval.yaml');
    const same = reviewPaths([bad], { basePaths: [bad] });
    assert.deepEqual(same.findings.map((f) => f.baseline), ['existing']);
    assert.equal(exitCodeFor(same, 'error', false), 1);
    assert.equal(exitCodeFor(same, 'error', true), 0);
    const introduced = reviewPaths([bad], { basePaths: [GUIDE_DIR] });
    assert.equal(failingFindings(introduced, 'error', true).length, 1);
  });

  it('a base lists the findings the change fixes', () => {
    const r = reviewPaths([GUIDE_DIR], { basePaths: [corpus('bad', 'da-004-standing-admin.yaml')] });
    assert.equal(exitCodeFor(r), 0);
    assert.deepEqual(r.fixed.map((f) => `${f.ruleId} ${f.resource}`), ['DA-004 user/alice@example.com']);
    assert.ok(r.privilegeChanges.some((c) => c.text === 'alice@example.com no longer holds dbadmin'));
  });
});
