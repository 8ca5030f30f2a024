/**
 * The AccessMonitoringRule and MachineIdBot constructs, and synthesis running the review's error rules
 * through the shared runner: an automatic approval of a privileged role or a bot holding one fails
 * `cdktf synth` as it fails `dualauth review`, unless a construct suppression with a reason says why.
 * The built-in guide stack proves the two-person rule for dbadmin: 3 people.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { AccessMonitoringRule, addPolicySuppressions, DualAuthorization, DualAuthStack, MachineIdBot, TeleportResourceConstruct } from '../../constructs';
import { analyzeAccess } from '../../model/access-paths';
import { GuideStack } from '../../stacks/guide-stack';
import { DEFAULT_SETTINGS } from '../../stacks/settings';
import { queryAccess } from '../../policies/access-query';
import { synthStack } from './helpers';

function guide(s: DualAuthStack): DualAuthorization {
  return new DualAuthorization(s, 'DbAdmin', {
    privilegedRole: { name: 'dbadmin', logins: ['root'], nodeLabels: { env: 'prod' } },
    requesterRoleName: 'devops',
    reviewerRoleName: 'dbreviewer',
    requesters: ['bob@example.com'],
    reviewers: ['alice@example.com', 'ivan@example.com'],
  });
}

test('AccessMonitoringRule routes requests for roles to Mattermost recipients, in teleport.yaml and cdk.tf.json', () => {
  const { outdir, error } = synthStack((s) => {
    const d = guide(s);
    new AccessMonitoringRule(s, 'Route', { name: 'dbadmin-to-reviewers', roles: [d.privilegedRole], recipients: ['alice@example.com', 'myteam/db-access'] });
  });
  assert.equal(error, undefined, error?.message);
  const yaml = fs.readFileSync(path.join(outdir, 'stacks/test/teleport.yaml'), 'utf8');
  assert.match(yaml, /kind: access_monitoring_rule\nmetadata:\n  name: dbadmin-to-reviewers\nspec:\n  condition: access_request\.spec\.roles\.contains\("dbadmin"\)\n  notification:\n    name: mattermost\n    recipients:\n      - alice@example.com\n      - myteam\/db-access\n  subjects:\n    - access_request\nversion: v1/);
  const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/test/cdk.tf.json'), 'utf8'));
  const amr = tf.resource.teleport_access_monitoring_rule['dbadmin-to-reviewers'];
  assert.equal(amr.spec.condition, 'access_request.spec.roles.contains("dbadmin")');
  assert.deepEqual(amr.depends_on, ['teleport_role.dbadmin']);
});

test('AccessMonitoringRule: bad props name the construct and the fix', () => {
  const { error } = synthStack((s) => {
    guide(s);
    new AccessMonitoringRule(s, 'Bad', { name: 'bad', recipients: ['not a recipient'] });
  });
  assert.match(String(error?.message), /\[test\/Bad\] access_monitoring_rule\/bad \(teleport\.yaml\) spec\.condition: give roles or a condition/);
  assert.match(String(error?.message), /spec\.notification\.recipients: /);
});

test('an automatic approval of a privileged role fails synthesis (DA-013); a construct suppression with a reason lets it through', () => {
  const build = (suppress: boolean) => (s: DualAuthStack) => {
    guide(s);
    const amr = new AccessMonitoringRule(s, 'Auto', { name: 'auto-db', roles: ['dbadmin'], automaticReview: { decision: 'APPROVED' } });
    if (suppress) addPolicySuppressions(amr, [{ rule: 'DA-013', reason: 'on-call auto approval, approve 2 still needs a person' }]);
  };
  const failed = synthStack(build(false));
  assert.match(String(failed.error?.message), /test\/Auto \(access_monitoring_rule\/auto-db in teleport\.yaml\) spec\.automatic_review\.decision: \[DA-013\] access monitoring rule auto-db approves requests for privileged role dbadmin automatically/);
  const ok = synthStack(build(true));
  assert.equal(ok.error, undefined, ok.error?.message);
  // the same suppression travels to the review
  const sup = JSON.parse(fs.readFileSync(path.join(ok.outdir, 'stacks/test/policy-suppressions.json'), 'utf8'));
  assert.equal(sup.suppressions[0].resource, 'access_monitoring_rule/auto-db');
});

test('MachineIdBot: Machine ID for the access plugin synthesizes; a bot holding a privileged role fails (DA-012)', () => {
  const ok = synthStack((s) => {
    guide(s);
    new MachineIdBot(s, 'PluginBot', { name: 'access-plugin', roles: ['devops'], traits: { logins: ['none'] } });
  });
  assert.equal(ok.error, undefined, ok.error?.message);
  const tf = JSON.parse(fs.readFileSync(path.join(ok.outdir, 'stacks/test/cdk.tf.json'), 'utf8'));
  assert.deepEqual(tf.resource.teleport_bot['access-plugin'].spec, { roles: ['devops'], traits: { logins: ['none'] } });
  assert.match(fs.readFileSync(path.join(ok.outdir, 'stacks/test/teleport.yaml'), 'utf8'), /kind: bot\nmetadata:\n  name: access-plugin\nspec:\n  roles:\n    - devops\n  traits:\n    - name: logins\n      values:\n        - none\nversion: v1/);
  const bad = synthStack((s) => {
    guide(s);
    new MachineIdBot(s, 'Ci', { name: 'ci', roles: ['dbadmin'] });
  });
  assert.match(String(bad.error?.message), /test\/Ci \(bot\/ci in teleport\.yaml\) spec\.roles: \[DA-012\] bot\/ci can obtain dbadmin alone: bot ci has role dbadmin/);
});

test('the built-in guide stack proves the two-person rule for dbadmin: bob and two reviewers, 3 people', () => {
  const app = new App({ stackTraces: false });
  const stack = new GuideStack(app, 'dual-authorization', { ...DEFAULT_SETTINGS, kubernetes: false });
  const resources = stack.teleportResources().map((c: TeleportResourceConstruct) => c.toResource());
  const a = analyzeAccess(resources, { privileged: new Map([['dbadmin', 'allows login root']]), minApprovals: 2 });
  const dbadmin = a.roles.get('dbadmin')!;
  assert.equal(dbadmin.minPeople, 3);
  assert.deepEqual(dbadmin.paths.map((p) => `${p.principal} ${p.people}`), ['bob@example.com 3']);
  assert.deepEqual(a.pathFor('dbadmin', 'bob@example.com')!.others, ['alice@example.com', 'ivan@example.com']);
});

test('dualauth access reads a stack directory: the guide holds with 3 people', () => {
  const { outdir, error } = synthStack((s) => {
    guide(s);
  });
  assert.equal(error, undefined);
  const held = queryAccess({ paths: [path.join(outdir, 'stacks/test')], role: 'dbadmin' });
  assert.equal(held.broken, false);
  assert.equal(held.minPeople, 3);
  assert.deepEqual(held.requesters.map((q) => [q.principal, q.approvals, q.people]), [['bob@example.com', 2, 3]]);
});

test('synthesis and review agree on errors: a requester who is also a reviewer, a privileged role with wildcard labels', () => {
  const { inputFromResources } = require('../../policies/load-input') as typeof import('../../policies/load-input');
  const { reviewInputs } = require('../../policies/review') as typeof import('../../policies/review');
  const cases: [string, (s: DualAuthStack) => void, string][] = [
    ['requester also reviewer', (s) => {
      guide(s);
      // alice reviews dbadmin and requests webadmin, which bob (a requester of dbadmin) reviews: fine; but alice also reviews webadmin
      new DualAuthorization(s, 'Web', { privilegedRole: { name: 'webadmin', logins: ['root'] }, requesters: ['alice@example.com'], reviewers: ['ivan@example.com', 'bob@example.com', 'alice@example.com'] });
    }, 'DA-003'],
    ['wildcard labels', (s) => {
      new DualAuthorization(s, 'Db', { privilegedRole: { name: 'dbadmin', logins: ['root'], nodeLabels: { env: '*' } }, requesters: ['bob@example.com'], reviewers: ['alice@example.com', 'ivan@example.com'] });
    }, 'DA-007'],
  ];
  for (const [what, build, rule] of cases) {
    let stack!: DualAuthStack;
    const { error } = synthStack((s) => {
      stack = s;
      build(s);
    });
    const synthRules = [...String(error?.message).matchAll(/\[(DA-\d{3})\]/g)].map((m) => m[1]).sort();
    assert.ok(synthRules.includes(rule), `${what}: synth reports ${rule}: ${error?.message}`);
    const review = reviewInputs(inputFromResources(stack.teleportResources().map((c) => c.toResource())), undefined);
    const reviewRules = review.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId).sort();
    assert.deepEqual(synthRules, reviewRules, `${what}: the same error rules in synth and review`);
  }
});
