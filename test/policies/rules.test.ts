/**
 * The rule pack against the corpus: the guide's scenario (and its tctl dump) reviews clean, and each bad
 * case raises its rule at the right place. Each rule's case fails if that rule is removed from RULES.
 * Also the secret scan behind DA-009.
 */
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { formatReport, FORMATS } from '../../policies/report';
import { RULES } from '../../policies/rules';
import { scanSecrets } from '../../policies/secrets';
import { corpus, GUIDE_DIR, reviewPaths, ruleIds, writeDir } from './helpers';

describe('good corpus reviews clean', () => {
  for (const p of [GUIDE_DIR, corpus('good', 'tctl-dump.yaml'), corpus('good', 'guide-tctl.json')]) {
    it(p.split('/corpus/')[1] as string, () => {
      const r = reviewPaths([p]);
      assert.deepEqual(r.findings.map((f) => `${f.ruleId} ${f.message}`), []);
      assert.ok(r.stats.roles >= 5 && r.stats.users === 4);
    });
  }
});

interface Case {
  file: string;
  rule: string;
  /** Resource, line and message fragment of the expected finding. */
  resource: string;
  line: number;
  message: RegExp;
}

const CASES: Case[] = [
  { file: 'da-001-single-approval.yaml', rule: 'DA-001', resource: 'role/devops', line: 67, message: /request privileged role dbadmin with a threshold of approve 1/ },
  { file: 'da-001-impersonate-privileged.yaml', rule: 'DA-001', resource: 'role/access-plugin-impersonator', line: 28, message: /can impersonate privileged role dbadmin/ },
  { file: 'da-002-one-reviewer.yaml', rule: 'DA-002', resource: 'role/devops', line: 67, message: /a request for dbadmin by bob@example.com needs 2 approvals but only 1 distinct user/ },
  { file: 'da-002-never-denies.yaml', rule: 'DA-002', resource: 'role/devops', line: 67, message: /this threshold can never deny a request: deny is missing or 0 \(Teleport accepts that/ },
  { file: 'da-003-reviewer-can-request.yaml', rule: 'DA-003', resource: 'role/dbreviewer', line: 61, message: /role dbreviewer can review requests for dbadmin and its holders can request it/ },
  { file: 'da-003-user-requests-and-reviews.yaml', rule: 'DA-003', resource: 'user/bob@example.com', line: 92, message: /bob@example.com can both request dbadmin and review requests for it/ },
  { file: 'da-004-standing-admin.yaml', rule: 'DA-004', resource: 'user/alice@example.com', line: 85, message: /holds privileged role dbadmin \(allows login root\) permanently/ },
  { file: 'da-004-root-from-traits.yaml', rule: 'DA-004', resource: 'user/alice@example.com', line: 239, message: /whose login \{\{internal.logins\}\} expands to privileged login root/ },
  { file: 'da-005-plugin-extra-verbs.yaml', rule: 'DA-005', resource: 'role/access-plugin', line: 9, message: /allows more than it needs: access_request: update, delete/ },
  { file: 'da-006-impersonate-anyone.yaml', rule: 'DA-006', resource: 'role/access-plugin-impersonator', line: 30, message: /may impersonate any user matching "\*"/ },
  { file: 'da-007-wildcard-labels.yaml', rule: 'DA-007', resource: 'role/dbadmin', line: 42, message: /matches node_labels env: "\*" by wildcard/ },
  { file: 'da-008-long-sessions.yaml', rule: 'DA-008', resource: 'role/dbadmin', line: 45, message: /allows sessions of 30h, longer than the bound of 8h/ },
  { file: 'da-009-private-key-in-yaml.yaml', rule: 'DA-009', resource: 'file/test/policies/corpus/bad/da-009-private-key-in-yaml.yaml', line: 36, message: /^private key \(PEM\) \(value not shown\)/ },
  { file: 'da-009-secret-in-terraform', rule: 'DA-009', resource: 'file/test/policies/corpus/bad/da-009-secret-in-terraform/cdk.tf.json', line: 6, message: /literal value in kubernetes_secret_v1.relay_identity.data/ },
  { file: 'da-010-misspelt-field.yaml', rule: 'DA-010', resource: 'role/dbadmin', line: 42, message: /spec.allow.node_lables: is not a field Teleport knows here/ },
  { file: 'da-012-role-editor.yaml', rule: 'DA-012', resource: 'role/role-editor', line: 7, message: /^bob@example.com can obtain dbadmin alone: role-editor allows update on role devops, which bob@example.com holds/ },
  { file: 'da-013-auto-approve.yaml', rule: 'DA-013', resource: 'access_monitoring_rule/approve-db', line: 112, message: /approve-db approves requests for privileged role dbadmin automatically/ },
  { file: 'da-011-unknown-role.yaml', rule: 'DA-011', resource: 'user/bob@example.com', line: 93, message: /names role "dev-ops", which is not declared here/ },
];

describe('each bad case raises its rule', () => {
  for (const c of CASES) {
    it(`${c.rule}: ${c.file}`, () => {
      const r = reviewPaths([corpus('bad', c.file)]);
      const hits = r.findings.filter((f) => f.ruleId === c.rule);
      assert.ok(hits.length > 0, `${c.rule} did not fire on ${c.file}; got ${ruleIds(r).join(', ') || 'nothing'}`);
      const hit = hits.find((f) => c.message.test(f.message));
      assert.ok(hit, `no ${c.rule} finding matches ${c.message}: ${hits.map((f) => f.message).join(' | ')}`);
      assert.equal(hit.resource, c.resource);
      assert.equal(hit.line, c.line, `line of ${hit.message}`);
      assert.equal(hit.severity, RULES.find((x) => x.id === c.rule)?.severity);
      assert.match(hit.fingerprint, /^[0-9a-f]{32}$/);
    });
  }

  it('every rule in the pack has a bad case in the corpus', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    assert.deepEqual(RULES.map((r) => r.id).filter((id) => !covered.has(id)), []);
  });

  it('every bad corpus file is listed here', () => {
    const listed = new Set(CASES.map((c) => c.file));
    const files = fs.readdirSync(corpus('bad')).filter((f) => /^da-\d{3}-/.test(f) && !f.includes('suppression'));
    assert.deepEqual(files.filter((f) => !listed.has(f)), []);
  });
});

describe('rule pack metadata', () => {
  it('has unique stable ids, a severity, a control, a one-line description and a fix', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of RULES) {
      assert.match(r.id, /^DA-\d{3}$/);
      assert.match(r.name, /^[a-z0-9-]+$/);
      assert.ok(['error', 'warning', 'note'].includes(r.severity));
      assert.ok(['AC-3', 'AC-5', 'AC-6', 'IA-5'].includes(r.control));
      assert.ok(r.description.length > 20 && !r.description.includes('\n'));
      assert.ok(r.fix.length > 20);
    }
  });
});

describe('rule details', () => {
  it('a privileged role is found by name and by label, not only by login', () => {
    const byName = reviewPaths([corpus('bad', 'da-008-long-sessions.yaml')], { config: { privileged: { logins: [], names: ['dbadmin'] } } });
    assert.ok(ruleIds(byName).includes('DA-008'));
    const none = reviewPaths([corpus('bad', 'da-008-long-sessions.yaml')], { config: { privileged: { logins: [], labels: {} } } });
    assert.ok(!ruleIds(none).includes('DA-008'));
  });

  it('a stricter max session bound turns the guide\'s 8h into a finding', () => {
    const r = reviewPaths([GUIDE_DIR], { config: { maxSessionTtl: '1h' } });
    assert.deepEqual(ruleIds(r), ['DA-008']);
  });

  it('a broken rule is reported, not skipped', () => {
    const broken = { ...RULES[0]!, id: 'DA-999', check: () => { throw new Error('boom'); } };
    const r = reviewPaths([GUIDE_DIR], { rules: [broken] });
    assert.equal(r.findings.length, 1);
    assert.match(r.findings[0]!.message, /rule DA-999 could not be evaluated: boom/);
  });
});

const fake = (prefix: string, n: number, alphabet = 'A1b2C3d4E5') => prefix + alphabet.repeat(Math.ceil(n / alphabet.length)).slice(0, n);
const SAMPLES: [string, string][] = [
  ['private key (PEM)', ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ')],
  ['AWS access key id', fake('AK' + 'IA', 16, 'QWERTYUIOP')],
  ['GitHub token', fake('gh' + 'p_', 36)],
  ['Slack token', fake('xo' + 'xb-', 24)],
  ['JSON Web Token', `${fake('ey' + 'J', 12)}.${fake('ey' + 'J', 12)}.${fake('', 12)}`],
];

describe('DA-009 secret scan: kinds of secrets, never the value', () => {
  for (const [kind, value] of SAMPLES) {
    it(`finds a ${kind}`, () => {
      const hits = scanSecrets('f.yaml', `kind: role\nmetadata:\n  description: "${value}"\n`);
      assert.deepEqual(hits, [{ file: 'f.yaml', line: 3, kind }]);
    });
  }

  it('finds literal values of secret-named fields, also inside an embedded config file', () => {
    const text = ['password: hunter2-but-longer', 'api_key: "abcd1234efgh5678"', '"data": {"plugin.toml": "[mattermost]\\ntoken = \\"abcdefgh12345678\\"\\n"}'].join('\n');
    assert.deepEqual(scanSecrets('f', text).map((h) => [h.line, h.kind]), [
      [1, 'literal value of secret field "password"'],
      [2, 'literal value of secret field "api_key"'],
      [3, 'literal value of secret field "token"'],
    ]);
  });

  it('ignores references, paths, templates and secret-ish names that are not secrets', () => {
    const text = [
      'token: ${var.token}',
      'identity_file_base64: "${var.identity}"',
      'token: /var/lib/teleport/plugins/mattermost/token',
      'password: "{{external.password}}"',
      'token_file: plain-value-that-is-a-file-name',
      'secret_name: relay-identity-secret',
      'token: short',
      'request_access: reason',
    ].join('\n');
    assert.deepEqual(scanSecrets('f', text), []);
  });

  it('never prints the value, in any report format', () => {
    const secret = fake('gh' + 'p_', 40);
    const guide = fs.readFileSync(path.join(GUIDE_DIR, 'teleport.yaml'), 'utf8').replace('  name: dbreviewer\n', `  description: ${secret}\n  name: dbreviewer\n`);
    const dir = writeDir({ 'teleport.yaml': guide, 'cdk.tf.json': JSON.stringify({ resource: { kubernetes_secret_v1: { s: { data: { token: secret } } } } }, null, 2) });
    const r = reviewPaths([dir]);
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['DA-009', 'DA-009']);
    for (const format of FORMATS) {
      const out = formatReport(r, format);
      assert.ok(!out.includes(secret), `${format} output contains the secret`);
      assert.ok(!out.includes(secret.slice(4, 20)), `${format} output contains part of the secret`);
    }
  });
});
