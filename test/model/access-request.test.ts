import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyReview, canRequestRole, canReview, planRequestThresholds, resolveByReviews, Review, RoleResource, Threshold } from '../../model';

function role(name: string, allow: RoleResource['spec']['allow'], deny?: RoleResource['spec']['deny']): RoleResource {
  return { kind: 'role', version: 'v5', metadata: { name }, spec: { allow, ...(deny ? { deny } : {}) } };
}
const devops = role('devops', { request: { roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }] } });
const reviewer = role('dbreviewer', { review_requests: { roles: ['dbadmin'] } });
const alice = { name: 'alice', roles: [reviewer] };
const ivan = { name: 'ivan', roles: [reviewer] };

function pending(roles: RoleResource[], requested: string[]) {
  const plan = planRequestThresholds(roles, requested);
  assert.ok(plan.ok);
  return { user: 'bob', roles: requested, state: 'PENDING' as const, plan: plan.value, reviews: [] as Review[] };
}

test('two approvals approve the guide request; one is not enough', () => {
  const req = pending([devops], ['dbadmin']);
  const r1 = applyReview(req, alice, { state: 'APPROVED' });
  assert.ok(r1.ok);
  assert.equal(r1.value.state, 'PENDING');
  const r2 = applyReview({ ...req, reviews: [r1.value.review] }, ivan, { state: 'APPROVED' });
  assert.ok(r2.ok);
  assert.equal(r2.value.state, 'APPROVED');
});

test('one denial denies; resolved requests take no more reviews; one review per user', () => {
  const req = pending([devops], ['dbadmin']);
  const d = applyReview(req, alice, { state: 'DENIED' });
  assert.ok(d.ok);
  assert.equal(d.value.state, 'DENIED');
  assert.equal(applyReview({ ...req, state: 'DENIED', reviews: [d.value.review] }, ivan, { state: 'APPROVED' }).ok, false);
  const a = applyReview(req, alice, { state: 'APPROVED' });
  assert.ok(a.ok);
  const again = applyReview({ ...req, reviews: [a.value.review] }, alice, { state: 'APPROVED' });
  assert.equal(again.ok, false);
  assert.match(again.ok ? '' : again.reason, /already reviewed/);
});

test('the requester never reviews their own request, even with a reviewer role', () => {
  const req = pending([devops, reviewer], ['dbadmin']);
  const r = applyReview(req, { name: 'bob', roles: [devops, reviewer] }, { state: 'APPROVED' });
  assert.equal(r.ok, false);
});

test('each contributing role is its own set (AND); thresholds within a role are OR', () => {
  const managers = role('mgr-req', { request: { roles: ['dbadmin'], thresholds: [{ filter: 'contains(reviewer.roles, "manager")', approve: 1, deny: 1 }] } });
  const mgrReviewer = role('manager', { review_requests: { roles: ['dbadmin'] } });
  const req = pending([devops, managers], ['dbadmin']);
  assert.equal(req.plan.roleThresholdMapping.dbadmin?.sets.length, 2);
  const a = applyReview(req, alice, { state: 'APPROVED' });
  assert.ok(a.ok);
  const i = applyReview({ ...req, reviews: [a.value.review] }, ivan, { state: 'APPROVED' });
  assert.ok(i.ok);
  assert.equal(i.value.state, 'PENDING', 'devops set met, manager set not yet');
  const m = applyReview({ ...req, reviews: [a.value.review, i.value.review] }, { name: 'mia', roles: [mgrReviewer] }, { state: 'APPROVED' });
  assert.ok(m.ok);
  assert.equal(m.value.state, 'APPROVED');
});

test('empty thresholds get the {1,1} default; a threshold with approve 0 never approves', () => {
  const open = role('open', { request: { roles: ['dbadmin'] } });
  const plan = planRequestThresholds([open], ['dbadmin']);
  assert.ok(plan.ok);
  assert.deepEqual(plan.value.thresholds, [{ name: 'default', approve: 1, deny: 1 }]);
  const zero: Threshold[] = [{ approve: 0, deny: 1 }];
  const p0 = planRequestThresholds([role('z', { request: { roles: ['dbadmin'], thresholds: zero } })], ['dbadmin']);
  assert.ok(p0.ok);
  const reviews: Review[] = [1, 2, 3].map((n) => ({ author: `u${n}`, state: 'APPROVED', thresholdIndexes: [0] }));
  assert.equal(resolveByReviews(p0.value, reviews), 'PENDING');
});

test('filters decide which reviews count', () => {
  const filtered = role('f', { request: { roles: ['dbadmin'], thresholds: [{ filter: 'equals(review.reason, "lgtm")', approve: 1, deny: 1 }] } });
  const req = pending([filtered], ['dbadmin']);
  const r = applyReview(req, alice, { state: 'APPROVED', reason: 'fine' });
  assert.ok(r.ok);
  assert.deepEqual(r.value.review.thresholdIndexes, []);
  assert.equal(r.value.state, 'PENDING');
  const r2 = applyReview(req, ivan, { state: 'APPROVED', reason: 'lgtm' });
  assert.ok(r2.ok);
  assert.equal(r2.value.state, 'APPROVED');
});

test('deny rules and where conditions limit reviewers and requesters', () => {
  assert.equal(canRequestRole([devops], 'dbadmin'), true);
  assert.equal(canRequestRole([devops, role('no', {}, { request: { roles: ['db*'] } })], 'dbadmin'), false);
  assert.equal(planRequestThresholds([devops], ['editor']).ok, false);
  const scoped = role('scoped', { review_requests: { roles: ['dbadmin'], where: 'contains(reviewer.traits["team"], "db")' } });
  assert.equal(canReview({ name: 'x', roles: [scoped], traits: { team: ['web'] } }, { user: 'bob', roles: ['dbadmin'] }).ok, false);
  assert.equal(canReview({ name: 'x', roles: [scoped], traits: { team: ['db'] } }, { user: 'bob', roles: ['dbadmin'] }).ok, true);
  const blocked = role('blocked', {}, { review_requests: { roles: ['dbadmin'] } });
  assert.equal(canReview({ name: 'x', roles: [reviewer, blocked] }, { user: 'bob', roles: ['dbadmin'] }).ok, false);
  assert.equal(canReview({ name: 'x', roles: [reviewer] }, { user: 'bob', roles: ['dbadmin', 'other'] }).ok, false, 'must cover every requested role');
});
