import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consistencyProblems, eligibleReviewers, RoleResource, TeleportDirectory, TeleportResource, UserResource } from '../../model';

const role = (name: string, allow: RoleResource['spec']['allow']): RoleResource => ({ kind: 'role', version: 'v5', metadata: { name }, spec: { allow } });
const user = (name: string, roles: string[]): UserResource => ({ kind: 'user', version: 'v2', metadata: { name }, spec: { roles } });
const guide = (): TeleportResource[] => [
  role('dbadmin', { logins: ['root'] }),
  role('dbreviewer', { review_requests: { roles: ['dbadmin'] } }),
  role('devops', { request: { roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }] } }),
  user('bob', ['devops']),
  user('alice', ['dbreviewer']),
  user('ivan', ['dbreviewer']),
];

test('the guide is consistent', () => {
  assert.deepEqual(consistencyProblems(guide()), []);
  assert.deepEqual(eligibleReviewers(new TeleportDirectory(guide()), 'bob', 'dbadmin').sort(), ['alice', 'ivan']);
});

test('a threshold with too few reviewers is reported', () => {
  const r = guide().filter((x) => x.metadata.name !== 'ivan');
  const p = consistencyProblems(r);
  assert.equal(p.length, 1);
  assert.equal(p[0]!.resource, 'role/devops');
  assert.match(p[0]!.message, /needs 2 approvals but only 1/);
});

test('a requester who is also a reviewer does not count for their own request', () => {
  const r = guide().filter((x) => x.metadata.name !== 'ivan');
  r.push(user('ivan', ['devops', 'dbreviewer']));
  // bob has alice and ivan; ivan, as requester, has only alice
  const p = consistencyProblems(r);
  assert.equal(p.length, 1);
  assert.match(p[0]!.message, /by ivan needs 2 approvals but only 1/);
});

test('dangling references, duplicates and wildcards are reported', () => {
  const r = guide();
  r.push(user('carol', ['nosuchrole']), role('dbadmin', {}), role('wild', { request: { roles: ['*'] } }));
  const msgs = consistencyProblems(r).map((p) => `${p.resource} ${p.field}`);
  assert.ok(msgs.includes('user/carol spec.roles[0]'));
  assert.ok(msgs.includes('role/dbadmin metadata.name'));
  assert.ok(msgs.includes('role/wild spec.allow.request.roles[0]'));
  assert.deepEqual(consistencyProblems(guide().concat(role('wild', { request: { roles: ['*'] } })), { allowWildcards: true }), []);
});
