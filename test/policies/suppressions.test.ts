/** Suppressions: mandatory reason, owner, expiry (the finding counts again after it), shown never dropped. */
import assert from 'node:assert/strict';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { describe, it } from 'node:test';
import { exitCodeFor } from '../../policies/review';
import { addPolicySuppressions, collectPolicySuppressions } from '../../constructs/policy-suppressions';
import { isExpired } from '../../policies/suppressions';
import { formatText } from '../../policies/report/text';
import { corpus, reviewPaths, writeDir } from './helpers';

describe('suppressions in the review', () => {
  it('a construct-level suppression (policy-suppressions.json) suppresses the finding and is shown', () => {
    const r = reviewPaths([corpus('good', 'da-004-suppressed')], { now: new Date('2026-06-01') });
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(f.ruleId, 'DA-004');
    assert.equal(f.suppressed?.reason, 'break-glass account while the dbadmin on-call rota is set up (INC-1234)');
    assert.equal(f.suppressed?.owner, 'team-db');
    assert.equal(exitCodeFor(r), 0);
    assert.deepEqual(r.suppressions.map((s) => [s.matched, s.expired]), [[1, false]]);
    assert.match(formatText(r), /Suppressed \(1\):[\s\S]*reason: break-glass account .*; owner team-db; expires 2999-12-31/);
  });

  it('an expired suppression: the finding counts again and the report says why', () => {
    const r = reviewPaths([corpus('bad', 'da-004-suppression-expired')], { now: new Date('2026-06-01') });
    const f = r.findings[0]!;
    assert.equal(f.suppressed, undefined);
    assert.equal(f.expiredSuppression?.expires, '2020-06-30');
    assert.equal(exitCodeFor(r), 1);
    assert.deepEqual(r.suppressions.map((s) => [s.matched, s.expired]), [[1, true]]);
    assert.match(formatText(r), /suppression expired 2020-06-30: break-glass account during the 2020 migration/);
  });

  it('expiry is the end of the given day (UTC), or the exact instant given', () => {
    const s = { rule: 'DA-004', reason: 'x', expires: '2027-01-31' };
    assert.equal(isExpired(s, new Date('2027-01-31T23:59:59Z')), false);
    assert.equal(isExpired(s, new Date('2027-02-01T00:00:00Z')), true);
    assert.equal(isExpired({ ...s, expires: '2027-01-31T12:00:00Z' }, new Date('2027-01-31T13:00:00Z')), true);
    // the same corpus suppression that is valid today stops counting after its date
    const later = reviewPaths([corpus('good', 'da-004-suppressed')], { now: new Date('3000-01-02') });
    assert.equal(exitCodeFor(later), 1);
  });

  it('a --suppressions file (YAML), rule-wide when no resource is named; unused ones are listed', () => {
    const dir = writeDir({
      's.yaml': 'suppressions:\n  - rule: DA-008\n    reason: sessions are cut by the bastion after 1h anyway\n  - rule: DA-001\n    resource: role/nobody\n    reason: left over from an old role\n',
    });
    const r = reviewPaths([corpus('bad', 'da-008-long-sessions.yaml')], { suppressionFiles: [path.join(dir, 's.yaml')], now: new Date('2026-06-01') });
    assert.equal(r.findings.filter((f) => !f.suppressed).length, 0);
    assert.equal(r.findings.filter((f) => f.suppressed).length, 1);
    assert.deepEqual(r.suppressions.map((s) => s.matched), [1, 0]);
    assert.match(formatText(r), /Suppressions matching no finding \(1\):\n {2}DA-001 role\/nobody in .*s\.yaml: left over from an old role/);
  });

  it('a suppression for another resource does not apply', () => {
    const dir = writeDir({ 's.json': JSON.stringify({ suppressions: [{ rule: 'DA-004', resource: 'user/bob@example.com', reason: 'not alice' }] }) });
    const r = reviewPaths([corpus('bad', 'da-004-standing-admin.yaml')], { suppressionFiles: [path.join(dir, 's.json')] });
    assert.equal(exitCodeFor(r), 1);
  });
});

class Root extends Construct {
  constructor() {
    super(undefined as unknown as Construct, '');
  }
}

/** A stand-in for the lead's Teleport constructs: exposes kind/name. */
class FakeResource extends Construct {
  constructor(scope: Construct, id: string, readonly key: string) {
    super(scope, id);
  }
}

const keyOf = (c: IConstruct) => (c instanceof FakeResource ? c.key : undefined);

describe('construct suppressions API', () => {
  it('requires a reason and a valid expiry date', () => {
    const root = new Root();
    const r = new FakeResource(root, 'Admin', 'role/dbadmin');
    assert.throws(() => addPolicySuppressions(r, [{ rule: 'DA-004', reason: '' }]), /Admin.*suppression 0 \("DA-004"\) is invalid: reason: a suppression needs a non-empty reason/);
    assert.throws(() => addPolicySuppressions(r, [{ rule: 'DA-004', reason: '   ' }]), /non-empty reason/);
    assert.throws(() => addPolicySuppressions(r, [{ rule: 'DA-004', reason: 'ok', expires: 'next year' }]), /expires: must be an ISO date/);
    assert.throws(() => addPolicySuppressions(r, [{ rule: 'DA-004', reason: 'ok', expires: '2027-02-31' }]), /expires: "2027-02-31" is not a valid date|ISO date/);
    assert.throws(() => addPolicySuppressions(r, [{ rule: 'dbadmin', reason: 'ok' }]), /rule id such as DA-001/);
  });

  it('collects suppressions per covered resource: on a resource, and on a parent for every resource below', () => {
    const root = new Root();
    const stack = new Construct(root, 'Stack');
    const admin = new FakeResource(stack, 'Admin', 'role/dbadmin');
    const team = new Construct(stack, 'Team');
    new FakeResource(team, 'Alice', 'user/alice@example.com');
    new FakeResource(team, 'Bob', 'user/bob@example.com');
    addPolicySuppressions(admin, [{ rule: 'DA-008', reason: 'sessions end at the bastion', owner: 'team-db', expires: '2027-01-31' }]);
    addPolicySuppressions(team, [{ rule: 'DA-004', reason: 'break-glass accounts' }]);
    const got = collectPolicySuppressions(stack, keyOf);
    assert.deepEqual(got, [
      { rule: 'DA-004', resource: 'user/alice@example.com', reason: 'break-glass accounts', construct: 'Stack/Team' },
      { rule: 'DA-004', resource: 'user/bob@example.com', reason: 'break-glass accounts', construct: 'Stack/Team' },
      { rule: 'DA-008', resource: 'role/dbadmin', reason: 'sessions end at the bastion', owner: 'team-db', expires: '2027-01-31', construct: 'Stack/Admin' },
    ]);
  });

  it('a suppression on a construct with no Teleport resource below is an error, not silently dropped', () => {
    const root = new Root();
    const stack = new Construct(root, 'Stack');
    const empty = new Construct(stack, 'Empty');
    addPolicySuppressions(empty, [{ rule: 'DA-004', reason: 'x' }]);
    assert.throws(() => collectPolicySuppressions(stack, keyOf), /Stack\/Empty cover no Teleport resource/);
  });

  it('what it collects is what the review reads back from policy-suppressions.json', () => {
    const root = new Root();
    const stack = new Construct(root, 'Stack');
    const alice = new FakeResource(stack, 'Alice', 'user/alice@example.com');
    addPolicySuppressions(alice, [{ rule: 'DA-004', reason: 'break-glass', expires: '2999-01-01' }]);
    const fs = require('fs') as typeof import('fs');
    const dir = writeDir({ 'policy-suppressions.json': JSON.stringify({ suppressions: collectPolicySuppressions(stack, keyOf) }) });
    fs.copyFileSync(corpus('bad', 'da-004-standing-admin.yaml'), path.join(dir, 'teleport.yaml'));
    const r = reviewPaths([dir]);
    assert.equal(exitCodeFor(r), 0);
    assert.equal(r.findings[0]!.suppressed?.construct, 'Stack/Alice');
  });
});
