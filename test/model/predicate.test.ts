import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePredicate, parsePredicate, predicateProblem } from '../../model';

const ctx = {
  reviewer: { roles: ['dbreviewer', 'staff'], traits: { team: ['db', 'ops'] } },
  request: { roles: ['dbadmin'], reason: 'INC-42 outage', system_annotations: { ticket: ['INC-42'] } },
  review: { reason: 'ok', annotations: { level: ['manager'] } },
};

test('functions and operators follow Teleport semantics', () => {
  assert.equal(evaluatePredicate('contains(reviewer.roles, "dbreviewer")', 'review-where', ctx), true);
  assert.equal(evaluatePredicate('contains(reviewer.roles, "admin")', 'review-where', ctx), false);
  assert.equal(evaluatePredicate('contains(reviewer.traits["team"], "db") && !contains(request.roles, "root")', 'review-where', ctx), true);
  assert.equal(evaluatePredicate('equals(request.reason, "nope") || regexp.match(request.reason, `^INC-\\d+`)', 'review-where', ctx), true);
  assert.equal(evaluatePredicate('regexp.match(request.system_annotations["ticket"], "^INC-4")', 'review-where', ctx), true);
  assert.equal(evaluatePredicate('contains(review.annotations["level"], "manager")', 'threshold-filter', ctx), true);
  assert.equal(evaluatePredicate('contains(reviewer.traits["missing"], "x")', 'review-where', ctx), false);
  assert.equal(evaluatePredicate('', 'review-where', ctx), true);
});

test('unknown variables and functions are rejected per grammar', () => {
  assert.match(predicateProblem('contains(review.annotations["a"], "b")', 'review-where') ?? '', /unknown variable review.annotations/);
  assert.equal(predicateProblem('contains(review.annotations["a"], "b")', 'threshold-filter'), undefined);
  assert.match(predicateProblem('contains(user.traits["a"], "b")', 'threshold-filter') ?? '', /unknown variable user.traits/);
  assert.match(predicateProblem('startswith(request.reason, "x")', 'review-where') ?? '', /unknown function startswith/);
  assert.match(predicateProblem('contains(reviewer.roles, ', 'review-where') ?? '', /cannot parse/);
  assert.throws(() => parsePredicate('requester.traits["x"]', 'review-where'), /unknown variable/);
});
