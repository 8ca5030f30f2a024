// Each bad input fails synth with a message naming the construct path, the file, the field and the fix,
// and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DualAuthorization, DualAuthStack, ImpersonationGrant, TeleportRole, TeleportUser } from '../../constructs';
import { listFiles, synthStack } from './helpers';

function expectFailure(build: (s: DualAuthStack) => void, pattern: RegExp, props = {}): void {
  const { outdir, error } = synthStack(build, props);
  assert.ok(error, 'synth should fail');
  assert.match(error.message, pattern);
  assert.deepEqual(listFiles(outdir), [], 'nothing may be written');
}

const guide = (s: DualAuthStack, approve = 2, deny = 1): DualAuthorization =>
  new DualAuthorization(s, 'Db', { privilegedRole: { name: 'dbadmin', logins: ['root'] }, requesterRoleName: 'devops', reviewerRoleName: 'dbreviewer', requesters: ['bob'], reviewers: ['alice', 'ivan'], approve, deny });

test('unknown role referenced by a user', () => {
  expectFailure((s) => new TeleportUser(s, 'U', { name: 'carol', roles: ['nosuch'] }), /\[test\/U\] role "nosuch"|test\/U \(user\/carol in teleport\.yaml\) spec\.roles\[0\]: user roles names role "nosuch", which is not declared in this stack: declare it or fix the name/);
});

test('unknown role referenced by a request, a review rule and an impersonation grant', () => {
  expectFailure((s) => new TeleportRole(s, 'R', { name: 'r', allow: { request: { roles: ['ghost'], thresholds: [{ approve: 1, deny: 1 }] } } }), /test\/R \(role\/r in teleport\.yaml\) spec\.allow\.request\.roles\[0\]: .*"ghost"/);
  expectFailure((s) => new TeleportRole(s, 'R', { name: 'r', allow: { reviewRequests: { roles: ['ghost'] } } }), /spec\.allow\.review_requests\.roles\[0\]: .*"ghost"/);
  expectFailure((s) => new ImpersonationGrant(s, 'G', { roleName: 'imp', user: 'ghost-user', role: 'ghost-role' }), /test\/G\/Role \(role\/imp in teleport\.yaml\) spec\.allow\.impersonate\.roles\[0\]: .*"ghost-role"[\s\S]*impersonate\.users\[0\]: .*"ghost-user"/);
});

test('duplicate Teleport names', () => {
  expectFailure((s) => {
    new TeleportRole(s, 'A', { name: 'same', allow: { logins: ['a'] } });
    new TeleportRole(s, 'B', { name: 'same', allow: { logins: ['b'] } });
  }, /role\/same is declared more than once/);
});

test('approve or deny below 1', () => {
  expectFailure((s) => guide(s, 0, 1), /test\/Db\/Requester\] role\/devops \(teleport\.yaml\) spec\.allow\.request\.thresholds\[0\]\.approve: must be at least 1/);
  expectFailure((s) => guide(s, 2, 0), /spec\.allow\.request\.thresholds\[0\]\.deny: must be at least 1/);
});

test('a threshold fewer eligible reviewers can meet than approve', () => {
  expectFailure((s) => guide(s, 3, 1), /a request for dbadmin by bob needs 3 approvals but only 2 distinct user\(s\).*add reviewers/);
  // a requester is not their own reviewer
  expectFailure((s) => {
    guide(s, 2, 1);
    TeleportUser.ofName(s, 'ivan').addRole('devops');
  }, /a request for dbadmin by ivan needs 2 approvals but only 1/);
});

test('wildcards in request and impersonate roles unless allowed', () => {
  const wild = (s: DualAuthStack) => {
    guide(s);
    new TeleportRole(s, 'W', { name: 'wild', allow: { request: { roles: ['db*'], thresholds: [{ approve: 1, deny: 1 }] }, impersonate: { users: ['*'], roles: ['*'] } } });
  };
  expectFailure(wild, /allow\.request\.roles uses pattern "db\*"[\s\S]*allow\.impersonate\.users uses pattern "\*"/);
  // allowWildcards silences the wildcard-reference check; the review's error rules still hold, as in `dualauth review`
  const allowed = synthStack(wild, { allowWildcards: true });
  assert.doesNotMatch(String(allowed.error?.message), /allow\.request\.roles uses pattern "db\*"/);
  assert.match(String(allowed.error?.message), /test\/W \(role\/wild in teleport\.yaml\) spec\.allow\.impersonate\.users\[0\]: \[DA-006\] role wild may impersonate any user matching "\*"/);
});

test('invalid Teleport names and construct ids are distinct problems', () => {
  expectFailure((s) => new TeleportRole(s, 'Ok', { name: 'has space', allow: { logins: ['a'] } }), /\[test\/Ok\] role\/has space \(teleport\.yaml\) metadata\.name: role name "has space" is not a valid Teleport name/);
  expectFailure((s) => new TeleportUser(s, 'U', { name: '' }), /metadata\.name: user name is empty/);
});

test('unsupported role version and field for the target Teleport', () => {
  expectFailure((s) => new TeleportRole(s, 'R', { name: 'r', version: 'v8', allow: { logins: ['a'] } }), /version: role v8 is not supported by Teleport 15\.4/);
  expectFailure((s) => new TeleportRole(s, 'R', { name: 'r', version: 'v7', allow: { logins: ['a'] } }).addOverride('spec.allow.kubernetes_resources', [{ kind: 'deployment', api_group: 'apps', namespace: '*', name: '*' }]), /kubernetes_resources\[0\]\.api_group: api_group is not supported in role version v7/);
});

test('invalid predicate and over-long max_duration', () => {
  expectFailure((s) => new TeleportRole(s, 'R', { name: 'r', allow: { reviewRequests: { roles: ['r'], where: 'contains(request.user, "x")' } } }), /review_requests\.where: invalid review condition: .*unknown variable request\.user/);
  expectFailure((s) => new TeleportRole(s, 'R', { name: 'r', allow: { request: { roles: ['r'], thresholds: [{ approve: 1, deny: 1 }], maxDuration: '30d' } } }), /max_duration: exceeds Teleport's maximum access duration of 14 days/);
});

test('every problem is listed at once', () => {
  const { error } = synthStack((s) => {
    new TeleportRole(s, 'A', { name: 'bad name' });
    new TeleportUser(s, 'B', { name: 'u', roles: ['ghost'] });
  });
  assert.match(error?.message ?? '', /ghost[\s\S]*bad name/);
});
