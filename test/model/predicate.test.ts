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

test('map.key reads a map entry like map["key"] (Teleport docs: !contains(reviewer.traits.team, "dev"))', () => {
  assert.equal(predicateProblem('!contains(reviewer.traits.team, "dev")', 'threshold-filter'), undefined);
  assert.equal(evaluatePredicate('!contains(reviewer.traits.team, "dev")', 'threshold-filter', ctx), true);
  assert.equal(evaluatePredicate('contains(reviewer.traits.team, "db")', 'review-where', ctx), true);
  assert.equal(evaluatePredicate('contains(request.system_annotations.ticket, "INC-42")', 'review-where', ctx), true);
  assert.match(predicateProblem('contains(reviewer.roles.team, "x")', 'review-where') ?? '', /unknown variable reviewer\.roles\.team/);
});

test('types are checked as Teleport\'s typed parser does', () => {
  const typeProblem = (s: string): string => predicateProblem(s, 'threshold-filter') ?? '';
  assert.match(typeProblem('reviewer.roles == "admin"'), /operator == is not supported for a list/);
  assert.match(typeProblem('!request.reason'), /operator ! needs a boolean, got string/);
  assert.match(typeProblem('request.reason'), /not a boolean/);
  assert.match(typeProblem('contains(reviewer.roles, "a") && request.roles'), /operator && needs booleans on both sides, got list/);
  assert.match(typeProblem('contains(reviewer.roles, request.roles)'), /argument 2 of contains must be a string, got list/);
  assert.match(typeProblem('contains(reviewer.traits, "x")'), /argument 1 of contains must be a list or string, got map/);
  // a string where a list is expected is a one-element list; == compares strings; equals takes anything
  assert.equal(typeProblem('contains(request.reason, "x") && request.reason == "" && equals(reviewer.roles, request.roles)'), '');
  assert.equal(evaluatePredicate('contains(request.reason, "INC-42 outage")', 'threshold-filter', ctx), true);
  assert.equal(evaluatePredicate('request.reason != "" && review.reason == "ok"', 'threshold-filter', ctx), true);
});

test('strings are double-quoted or backquoted, as in Go; a single-quoted one is a rune literal Teleport cannot parse', () => {
  assert.equal(predicateProblem('contains(reviewer.roles, "admin") && regexp.match(request.reason, `^INC`)', 'review-where'), undefined);
  assert.match(predicateProblem("contains(reviewer.roles, 'admin')", 'review-where') ?? '', /single-quoted/);
});
