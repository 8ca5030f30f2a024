// A suppression given on a construct reaches `dualauth review` through the stack output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DualAuthorization } from '../../constructs';
import { addPolicySuppressions } from '../../constructs/policy-suppressions';
import { review } from '../../policies/review';
import { synthStack } from './helpers';

test('construct suppressions are written to policy-suppressions.json and shown by the review', () => {
  const { outdir, error } = synthStack((s) => {
    const da = new DualAuthorization(s, 'Db', { privilegedRole: { name: 'dbadmin', logins: ['root'] }, requesters: ['bob'], reviewers: ['alice', 'ivan'] });
    addPolicySuppressions(da.privilegedRole, [{ rule: 'DA-008', reason: 'sessions capped by the IdP at 8h', owner: 'platform', expires: '2099-01-01' }]);
  });
  assert.equal(error, undefined);
  const dir = path.join(outdir, 'stacks', 'test');
  const file = JSON.parse(fs.readFileSync(path.join(dir, 'policy-suppressions.json'), 'utf8'));
  assert.deepEqual(file.suppressions.map((s: { rule: string; resource: string }) => `${s.rule} ${s.resource}`), ['DA-008 role/dbadmin']);
  const result = review({ paths: [dir] });
  const ttl = result.findings.filter((f) => f.ruleId === 'DA-008' && f.resource === 'role/dbadmin');
  assert.equal(ttl.length, 1, 'the suppressed finding is still listed');
  assert.equal(ttl[0]!.suppressed?.reason, 'sessions capped by the IdP at 8h');
  assert.equal(result.suppressions[0]?.matched, 1);
});
