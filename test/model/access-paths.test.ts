/**
 * The two-person analysis, one case per path: a change that breaks the rule and one that keeps it,
 * each asserting the number of people and the witness. Chains of two paths at the end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoleResource, TeleportResource, UserResource } from '../../model';
import { analyzeAccess, AccessPath, pathInWords } from '../../model/access-paths';

const role = (name: string, spec: RoleResource['spec']): RoleResource => ({ kind: 'role', version: 'v7', metadata: { name }, spec });
const user = (name: string, roles: string[], traits?: Record<string, string[]>): UserResource => ({ kind: 'user', version: 'v2', metadata: { name }, spec: { roles, ...(traits ? { traits } : {}) } });

/** The guide: bob (devops) requests dbadmin with 2 approvals from alice and ivan (dbreviewer). */
function guide(devops: RoleResource['spec'] = { allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }] } } }): TeleportResource[] {
  return [
    role('dbadmin', { allow: { logins: ['root'], node_labels: { env: 'prod' } } }),
    role('dbreviewer', { allow: { review_requests: { roles: ['dbadmin'] } } }),
    role('devops', devops),
    user('alice@example.com', ['dbreviewer']),
    user('ivan@example.com', ['dbreviewer']),
    user('bob@example.com', ['devops']),
  ];
}

function analyze(resources: TeleportResource[]) {
  return analyzeAccess(resources, { privileged: new Map([['dbadmin', 'allows login root']]), minApprovals: 2 });
}

function pathOf(resources: TeleportResource[], principal = 'bob@example.com'): AccessPath | undefined {
  return analyze(resources).pathFor('dbadmin', principal);
}

/** Replaces bob's roles. */
function bobWith(resources: TeleportResource[], roles: string[]): TeleportResource[] {
  return resources.map((r) => (r.kind === 'user' && r.metadata.name === 'bob@example.com' ? user('bob@example.com', roles) : r));
}

function expectPath(p: AccessPath | undefined, people: number, witness: RegExp): void {
  assert.ok(p, 'expected a path');
  assert.equal(p.people, people, pathInWords(p));
  assert.match(pathInWords(p), witness);
}

describe('requesting', () => {
  it('keeps: the guide needs bob and two reviewers', () => {
    const a = analyze(guide());
    const p = a.pathFor('dbadmin', 'bob@example.com');
    expectPath(p, 3, /bob@example.com can request dbadmin through devops \(approve 2\); then 2 other people approve \(alice@example.com, ivan@example.com\)/);
    assert.equal(a.roles.get('dbadmin')!.minPeople, 3);
    assert.deepEqual(a.roles.get('dbadmin')!.reviewers, ['alice@example.com', 'ivan@example.com']);
  });
  it('breaks: one approval makes two people', () => {
    expectPath(pathOf(guide({ allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 1, deny: 1 }] } } })), 2, /1 other person approves \(alice@example.com\)/);
  });
  it('a requester who is also a reviewer does not count for their own request', () => {
    const r = bobWith(guide(), ['devops', 'dbreviewer']);
    expectPath(pathOf(r), 3, /2 other people approve \(alice@example.com, ivan@example.com\)/);
    const one = r.filter((x) => x.metadata.name !== 'ivan@example.com');
    assert.equal(pathOf(one), undefined, 'alice alone cannot meet approve 2 for bob');
  });
  it('search_as_roles is a request path with the same thresholds', () => {
    expectPath(pathOf(guide({ allow: { request: { search_as_roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }] } } })), 3, /request dbadmin through devops/);
    expectPath(pathOf(guide({ allow: { request: { search_as_roles: ['dbadmin'], thresholds: [{ approve: 1, deny: 1 }] } } })), 2, /1 other person/);
  });
  it('a deny rule on the request removes the path', () => {
    assert.equal(pathOf(guide({ allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 1, deny: 1 }] } }, deny: { request: { roles: ['dbadmin'] } } })), undefined);
  });
  it('nested: a reviewer who can first request the reviewer role makes approve 2 reachable', () => {
    const base = guide().filter((x) => x.metadata.name !== 'ivan@example.com');
    assert.equal(pathOf(base), undefined, 'one reviewer cannot meet approve 2');
    const nested = [
      ...base,
      role('contractor', { allow: { request: { roles: ['dbreviewer'], thresholds: [{ approve: 1, deny: 1 }] } } }),
      role('lead', { allow: { review_requests: { roles: ['dbreviewer'] } } }),
      user('dave@example.com', ['contractor']),
      user('lena@example.com', ['lead']),
    ];
    expectPath(pathOf(nested), 3, /alice@example.com, dave@example.com; dave@example.com after requesting dbreviewer/);
  });
});

describe('automatic review', () => {
  const amr = (condition: string, decision = 'APPROVED'): TeleportResource => ({
    kind: 'access_monitoring_rule',
    version: 'v1',
    metadata: { name: 'auto' },
    spec: { subjects: ['access_request'], condition, desired_state: 'reviewed', automatic_review: { integration: 'builtin', decision } },
  });
  const approve1 = guide({ allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 1, deny: 1 }] } } });
  it('breaks: an automatic approval of a one-approval role leaves the requester alone', () => {
    expectPath(pathOf([...approve1, amr('access_request.spec.roles.contains("dbadmin")')]), 1, /access monitoring rule auto approves it automatically/);
  });
  it('counts as one review: approve 2 still needs one person more', () => {
    expectPath(pathOf([...guide(), amr('access_request.spec.roles.contains("dbadmin")')]), 2, /approves it automatically.*1 other person approves/);
  });
  it('keeps: a rule for another role, or a DENIED rule, approves nothing', () => {
    expectPath(pathOf([...approve1, amr('access_request.spec.roles.contains("web")')]), 2, /1 other person/);
    expectPath(pathOf([...approve1, amr('access_request.spec.roles.contains("dbadmin")', 'DENIED')]), 2, /1 other person/);
  });
});

describe('holding', () => {
  it('breaks: a user holding the role', () => {
    expectPath(pathOf(bobWith(guide(), ['devops', 'dbadmin'])), 1, /bob@example.com can obtain dbadmin alone: bob@example.com holds dbadmin/);
  });
  it('bots: the bot holding the role is one principal alone; a bot with the requester role has no path', () => {
    const bot = (roles: string[]): TeleportResource => ({ kind: 'bot', version: 'v1', metadata: { name: 'ci' }, spec: { roles } });
    expectPath(pathOf([...guide(), bot(['dbadmin'])], 'bot/ci'), 1, /bot\/ci can obtain dbadmin alone: bot ci has role dbadmin/);
    assert.equal(pathOf([...guide(), bot(['devops'])], 'bot/ci'), undefined);
  });
  const list = (spec: Record<string, unknown>): TeleportResource => ({ kind: 'access_list', version: 'v1', metadata: { name: 'dba' }, spec: { title: 'DBA', owners: [{ name: 'alice@example.com' }], ...spec } } as TeleportResource);
  const member = (name: string, list = 'dba', kind?: string): TeleportResource => ({ kind: 'access_list_member', version: 'v1', metadata: { name }, spec: { access_list: list, name, ...(kind ? { membership_kind: kind } : {}) } });
  it('access list members get its grants; membership requirements they miss grant nothing', () => {
    expectPath(pathOf([...guide(), list({ grants: { roles: ['dbadmin'] } }), member('bob@example.com')]), 1, /bob@example.com is a member of access list dba, which grants dbadmin to its members/);
    expectPath(pathOf([...guide(), list({ grants: { roles: ['dbadmin'] }, membership_requires: { roles: ['security'] } }), member('bob@example.com')]), 3, /request dbadmin/);
  });
  it('nested access lists pass grants to the members of the member list', () => {
    const inner: TeleportResource = { kind: 'access_list', version: 'v1', metadata: { name: 'oncall' }, spec: { owners: [{ name: 'ivan@example.com' }] } };
    expectPath(pathOf([...guide(), list({ grants: { roles: ['dbadmin'] } }), inner, member('oncall', 'dba', 'MEMBERSHIP_KIND_LIST'), member('bob@example.com', 'oncall')]), 1, /through nested list oncall/);
  });
  it('access list owners get owner_grants, and can add themselves as members', () => {
    expectPath(pathOf([...guide(), list({ owner_grants: { roles: ['dbadmin'] } })], 'alice@example.com'), 1, /alice@example.com owns access list dba, which grants dbadmin to its owners/);
    expectPath(pathOf([...guide(), list({ grants: { roles: ['dbadmin'] } })], 'alice@example.com'), 1, /can add themselves as a member/);
    assert.equal(pathOf([...guide(), list({ grants: { roles: ['dbreviewer'] } })], 'alice@example.com'), undefined);
  });
  it('SSO connectors: a group mapped to the role is one principal alone', () => {
    const gh = (roles: string[]): TeleportResource => ({ kind: 'github', version: 'v3', metadata: { name: 'github' }, spec: { client_secret: 'x', teams_to_roles: [{ organization: 'acme', team: 'dba', roles }] } });
    const a = analyze([...guide(), gh(['dbadmin'])]);
    const g = a.roles.get('dbadmin')!.paths.find((p) => p.principalKind === 'group');
    expectPath(g, 1, /members of github team acme\/dba \(connector github\) can obtain dbadmin alone: github connector github maps github team acme\/dba to dbadmin/);
    assert.equal(analyze([...guide(), gh(['devops'])]).roles.get('dbadmin')!.paths.find((p) => p.principalKind === 'group'), undefined);
    const saml: TeleportResource = { kind: 'saml', version: 'v2', metadata: { name: 'okta' }, spec: { attributes_to_roles: [{ name: 'groups', value: 'dba', roles: ['dbadmin'] }] } };
    const oidc: TeleportResource = { kind: 'oidc', version: 'v3', metadata: { name: 'google' }, spec: { claims_to_roles: [{ claim: 'groups', value: 'dba', roles: ['dbadmin'] }] } };
    assert.deepEqual(analyze([...guide(), saml, oidc]).roles.get('dbadmin')!.paths.map((p) => p.principal).sort(), ['bob@example.com', 'oidc claim groups=dba (connector google)', 'saml attribute groups=dba (connector okta)']);
  });
});

describe('impersonation', () => {
  it('breaks: impersonating the role itself', () => {
    const r = [...bobWith(guide(), ['devops', 'imp']), role('imp', { allow: { impersonate: { roles: ['dbadmin'] } } })];
    expectPath(pathOf(r), 1, /imp lets bob@example.com impersonate role dbadmin/);
    const denied = [...bobWith(guide(), ['devops', 'imp']), role('imp', { allow: { impersonate: { roles: ['dbadmin'] } }, deny: { impersonate: { roles: ['dbadmin'] } } })];
    expectPath(pathOf(denied), 3, /request dbadmin/);
  });
  it('breaks: impersonating a holder; keeps when the impersonation does not cover all their roles', () => {
    const carol = user('carol@example.com', ['dbadmin']);
    const r = [...bobWith(guide(), ['devops', 'imp']), carol, role('imp', { allow: { impersonate: { users: ['carol@example.com'], roles: ['dbadmin'] } } })];
    expectPath(pathOf(r), 1, /imp lets bob@example.com impersonate carol@example.com; then carol@example.com holds dbadmin/);
    const partial = [...bobWith(guide(), ['devops', 'imp']), carol, role('imp', { allow: { impersonate: { users: ['carol@example.com'], roles: ['devops'] } } })];
    expectPath(pathOf(partial), 3, /request dbadmin/);
  });
  it('impersonating a reviewer is acting as that person', () => {
    const r = [...bobWith(guide(), ['devops', 'imp']), role('imp', { allow: { impersonate: { users: ['alice@example.com'], roles: ['dbreviewer'] } } })];
    expectPath(pathOf(r), 2, /imp lets bob@example.com impersonate alice@example.com, an eligible reviewer, and approve as them; then 1 other person approves \(ivan@example.com\)/);
  });
});

describe('changing the rules', () => {
  const editor = (rules: RoleResource['spec']) => [...bobWith(guide(), ['devops', 'editor']), role('editor', rules)];
  it('role: update on a role bob holds', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['role'], verbs: ['update'] }] } })), 1, /editor allows update on role devops, which bob@example.com holds/);
  });
  it('role: a where naming other roles, or a deny rule, keeps the rule', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['role'], verbs: ['update'], where: 'resource.metadata.name == "web"' }] } })), 3, /request dbadmin/);
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['role'], verbs: ['update'], where: 'equals(resource.metadata.name, "devops")' }] } })), 1, /update on role devops/);
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['role', 'user'], verbs: ['*'] }] }, deny: { rules: [{ resources: ['role', 'user'], verbs: ['update', 'create'] }] } })), 3, /request dbadmin/);
    // a wildcard allow with deny rules on role and user still reaches the other kinds
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['*'], verbs: ['*'] }] }, deny: { rules: [{ resources: ['role', 'user'], verbs: ['update', 'create'] }] } })), 1, /editor allows update on access_list/);
  });
  it('role: a where we cannot read is assumed to match, and says so', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['role'], verbs: ['update'], where: 'contains(resource.metadata.labels["team"], "db")' }] } })), 1, /is assumed to match/);
  });
  it('user: update on bob\'s own user', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['user'], verbs: ['update'], where: 'resource.metadata.name == "bob@example.com"' }] } })), 1, /editor allows update on user bob@example.com: bob@example.com can add dbadmin to their own roles/);
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['user'], verbs: ['update'], where: 'resource.metadata.name == "carol@example.com"' }] } })), 3, /request dbadmin/);
  });
  it('bot and token: a new bot with the role needs both; a token alone reaches a bot that has it', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['bot', 'token'], verbs: ['create'] }] } })), 1, /can create a bot with dbadmin and a join token for it/);
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['bot'], verbs: ['create'] }] } })), 3, /request dbadmin/);
    const bot: TeleportResource = { kind: 'bot', version: 'v1', metadata: { name: 'ci' }, spec: { roles: ['dbadmin'] } };
    expectPath(pathOf([...editor({ allow: { rules: [{ resources: ['token'], verbs: ['create'] }] } }), bot]), 1, /a join token for bot ci, which holds dbadmin/);
  });
  it('access lists: creating one, or adding oneself to one that grants the role', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['access_list'], verbs: ['create'] }] } })), 1, /can make an access list that grants dbadmin to its owners and own it/);
    const list: TeleportResource = { kind: 'access_list', version: 'v1', metadata: { name: 'dba' }, spec: { owners: [{ name: 'alice@example.com' }], grants: { roles: ['dbadmin'] } } };
    expectPath(pathOf([...editor({ allow: { rules: [{ resources: ['access_list_member'], verbs: ['create'] }] } }), list]), 1, /add themselves to access list dba/);
  });
  it('access monitoring rules: writing one adds an automatic approval (one review)', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['access_monitoring_rule'], verbs: ['create'] }] } })), 2, /an automatic approval of dbadmin counts as one review; then 1 other person approves/);
  });
  it('connectors: mapping one\'s group to the role', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['saml'], verbs: ['update'] }] } })), 1, /editor allows update on saml connector: bob@example.com can map a group they belong to to dbadmin/);
  });
  it('access_request update sets a request\'s state directly, for someone who can request the role', () => {
    expectPath(pathOf(editor({ allow: { rules: [{ resources: ['access_request'], verbs: ['update'] }] } })), 1, /the request can be set to APPROVED directly \(SetAccessRequestState\)/);
    const carol = [...guide(), user('carol@example.com', ['editor']), role('editor', { allow: { rules: [{ resources: ['access_request'], verbs: ['update'] }] } })];
    assert.equal(pathOf(carol, 'carol@example.com'), undefined, 'carol cannot request dbadmin, so setting states gives her nothing');
  });
});

describe('chains of two paths', () => {
  it('impersonate a reviewer who can update a role', () => {
    const r = [
      ...guide().map((x) => (x.metadata.name === 'alice@example.com' ? user('alice@example.com', ['dbreviewer', 'editor']) : x)),
      role('editor', { allow: { rules: [{ resources: ['role'], verbs: ['update'] }] } }),
      role('imp', { allow: { impersonate: { users: ['alice@example.com'], roles: ['dbreviewer', 'editor'] } } }),
    ];
    const p = pathOf(bobWith(r, ['devops', 'imp']));
    expectPath(p, 1, /imp lets bob@example.com impersonate alice@example.com; then editor allows update on role devops, which bob@example.com holds/);
    assert.deepEqual(p!.steps.map((s) => s.kind), ['impersonate-user', 'write']);
  });
  it('an access-list owner whose list grants a role that can set request states', () => {
    const r = [
      ...guide(),
      role('approver', { allow: { rules: [{ resources: ['access_request'], verbs: ['update'] }] } }),
      { kind: 'access_list', version: 'v1', metadata: { name: 'ops' }, spec: { owners: [{ name: 'bob@example.com' }], owner_grants: { roles: ['approver'] } } } as TeleportResource,
    ];
    expectPath(pathOf(r), 1, /bob@example.com can request dbadmin, and approver allows update on access_request/);
  });
  it('impersonating two reviewers needs nobody else', () => {
    const r = [...bobWith(guide(), ['devops', 'imp']), role('imp', { allow: { impersonate: { users: ['alice@example.com', 'ivan@example.com'], roles: ['dbreviewer'] } } })];
    expectPath(pathOf(r), 1, /impersonate alice@example.com, an eligible reviewer.*impersonate ivan@example.com, an eligible reviewer/);
  });
});
