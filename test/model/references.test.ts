// The one reference check (model/references.ts): indexed fields and keys, the same for synthesis and review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referenceProblems, RoleResource, TeleportDirectory, TeleportResource, UserResource } from '../../model';

const role = (name: string, allow: RoleResource['spec']['allow'] = {}, deny?: RoleResource['spec']['deny']): RoleResource => ({ kind: 'role', version: 'v7', metadata: { name }, spec: { allow, ...(deny ? { deny } : {}) } });
const user = (name: string, roles: string[]): UserResource => ({ kind: 'user', version: 'v2', metadata: { name }, spec: { roles } });
const problems = (rs: TeleportResource[]) => referenceProblems(new TeleportDirectory(rs), { externalRoles: ['access'] }).map((p) => `${p.resource} ${p.field} ${p.key}`);

test('missing roles and users are reported at the indexed field', () => {
  const p = problems([
    role('req', { request: { roles: ['dbadmin', 'ghost'], search_as_roles: ['access', 'nope'] } }),
    role('rev', { review_requests: { roles: ['dbadmin'], preview_as_roles: ['preview-ghost'] } }),
    role('dbadmin'),
    role('imp', { impersonate: { users: ['nobody'], roles: ['dbadmin'] } }),
    user('carol', ['req', 'lost']),
  ]);
  assert.deepEqual(p.sort(), [
    'role/imp spec.allow.impersonate.users[0] missing-user:nobody',
    'role/req spec.allow.request.roles[1] missing:ghost',
    'role/req spec.allow.request.search_as_roles[1] missing:nope',
    'role/rev spec.allow.review_requests.preview_as_roles[0] missing:preview-ghost',
    'user/carol spec.roles[1] missing:lost',
  ]);
});

test('wildcards are findings only where the allow side grants with them', () => {
  const p = problems([
    role('a', { request: { roles: ['db-*'] }, review_requests: { roles: ['*'] }, impersonate: { users: ['*'], roles: ['^adm.*$'] } }, { request: { roles: ['*'] }, impersonate: { users: ['*'], roles: ['*'] } }),
  ]);
  assert.deepEqual(p.sort(), [
    'role/a spec.allow.impersonate.roles[0] wildcard:^adm.*$',
    'role/a spec.allow.impersonate.users[0] wildcard-user:*',
    'role/a spec.allow.request.roles[0] wildcard:db-*',
  ]);
});

test("literal-name fields treat '*' as a name, which does not exist", () => {
  const p = problems([role('a', { request: { search_as_roles: ['*'] }, review_requests: { preview_as_roles: ['*'] } }), user('u', ['*'])]);
  assert.deepEqual(p.sort(), [
    'role/a spec.allow.request.search_as_roles[0] missing:*',
    'role/a spec.allow.review_requests.preview_as_roles[0] missing:*',
    'user/u spec.roles[0] missing:*',
  ]);
});
