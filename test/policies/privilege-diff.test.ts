/** The privilege view and the sentences of the privilege diff. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoleResource, TeleportResource, UserResource } from '../../model';
import { inputFromResources } from '../../policies/load-input';
import { groupChanges } from '../../policies/privilege-diff';
import { resolveConfig } from '../../model/rules/config';
import { evaluate, reviewInputs } from '../../policies/review';
import { guideResources } from './helpers';

const role = (rs: TeleportResource[], n: string) => rs.find((r) => r.kind === 'role' && r.metadata.name === n) as RoleResource;
const user = (rs: TeleportResource[], n: string) => rs.find((r) => r.kind === 'user' && r.metadata.name === n) as UserResource;
const newUser = (name: string, roles: string[]): UserResource => ({ kind: 'user', version: 'v2', metadata: { name }, spec: { roles } });

/** Sentences of the diff from the guide to the guide changed by `change`. */
function diff(change: (rs: TeleportResource[]) => TeleportResource[] | void): string[] {
  const head = guideResources();
  const replaced = change(head) ?? head;
  const r = reviewInputs(inputFromResources(replaced, 'head.yaml'), inputFromResources(guideResources(), 'base.yaml'));
  return r.privilegeChanges.filter((c) => c.kind !== 'people').map((c) => c.text);
}

describe('privilege diff sentences', () => {
  it('no change, no sentences', () => {
    assert.deepEqual(diff(() => undefined), []);
  });

  it('a weaker threshold', () => {
    assert.deepEqual(
      diff((rs) => {
        role(rs, 'devops').spec.allow!.request!.thresholds = [{ approve: 1, deny: 1 }];
      }),
      ['bob@example.com can now request dbadmin with 1 approval (was 2)'],
    );
  });

  it('a reviewer leaves and the threshold can no longer be met', () => {
    assert.deepEqual(
      diff((rs) => {
        user(rs, 'ivan@example.com').spec.roles = [];
      }),
      // changes about a privileged role come first
      ['ivan@example.com can no longer review dbadmin: dbadmin now has 1 eligible reviewer for approve 2', 'ivan@example.com no longer holds dbreviewer'],
    );
  });

  it('a reviewer leaves but enough remain: no explanation needed', () => {
    const s = diff((rs) => {
      rs.push(newUser('carol@example.com', ['dbreviewer']));
      user(rs, 'ivan@example.com').spec.roles = [];
    });
    assert.ok(s.includes('ivan@example.com can no longer review dbadmin'), s.join('\n'));
    assert.ok(s.includes('carol@example.com can now review dbadmin'));
  });

  it('a new requester, and a removed user', () => {
    const s = diff((rs) => [...rs.filter((r) => r.metadata.name !== 'alice@example.com'), newUser('carol@example.com', ['devops'])]);
    assert.deepEqual(s, [
      'carol@example.com is a new user',
      'carol@example.com can now request dbadmin (privileged) with 2 approvals',
      'carol@example.com now holds devops',
      'alice@example.com was removed (held dbreviewer)',
    ]);
  });

  it('a standing privileged role: logins and node labels come with it', () => {
    const s = diff((rs) => {
      user(rs, 'alice@example.com').spec.roles = ['dbreviewer', 'dbadmin'];
    });
    assert.deepEqual(s, [
      'alice@example.com now holds dbadmin (privileged)',
      'alice@example.com can now log in as root',
      'alice@example.com now reaches nodes labelled env=prod',
      'alice@example.com now reaches nodes labelled type=db',
    ]);
  });

  it('impersonation and denial counts', () => {
    const s = diff((rs) => {
      user(rs, 'bob@example.com').spec.roles = ['devops', 'access-plugin-impersonator'];
      role(rs, 'devops').spec.allow!.request!.thresholds = [{ approve: 2, deny: 2 }];
    });
    assert.deepEqual(s, [
      "bob@example.com's requests for dbadmin now need 2 denials to be rejected (was 1)",
      'bob@example.com now holds access-plugin-impersonator',
      'bob@example.com can now impersonate role access-plugin',
      'bob@example.com can now impersonate user access-plugin',
    ]);
  });

  it('groups the same change for several users', () => {
    const head = guideResources();
    for (const n of ['carol', 'dave', 'erin', 'frank']) head.push(newUser(`${n}@example.com`, ['devops']));
    const base = JSON.parse(JSON.stringify(head)) as TeleportResource[];
    role(head, 'devops').spec.allow!.request!.thresholds = [{ approve: 1, deny: 2 }];
    const r = reviewInputs(inputFromResources(head), inputFromResources(base));
    const groups = groupChanges(r.privilegeChanges.filter((c) => c.kind !== 'people')).map((g) => g.text);
    assert.deepEqual(groups, [
      'bob@example.com, carol@example.com, dave@example.com and 2 more can now request dbadmin with 1 approval (was 2)',
      'requests by bob@example.com, carol@example.com, dave@example.com and 2 more for dbadmin now need 2 denials to be rejected (was 1)',
    ]);
  });
});

describe('privilege view', () => {
  it('per user: held, requestable with thresholds, reviewable, grants', () => {
    const ev = evaluate(inputFromResources(guideResources()), resolveConfig());
    const bob = ev.privileges.users.get('bob@example.com')!;
    assert.deepEqual(bob.roles, ['devops']);
    assert.deepEqual(bob.requestable.map((p) => [p.role, p.approvals, p.denials]), [['dbadmin', 2, 1]]);
    assert.deepEqual(ev.privileges.users.get('alice@example.com')!.reviewable, ['dbadmin']);
    assert.deepEqual(ev.privileges.reviewersOf('dbadmin'), ['alice@example.com', 'ivan@example.com']);
    assert.equal(ev.privileges.requiredApprovals('dbadmin'), 2);
    assert.deepEqual(ev.privileges.users.get('access-plugin')!.logins, []);
  });

  it('two requester roles for one target: AND across roles, so the stricter one decides', () => {
    const rs = guideResources();
    rs.push({ kind: 'role', version: 'v8', metadata: { name: 'oncall' }, spec: { allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 1, deny: 1 }] } } } });
    user(rs, 'bob@example.com').spec.roles = ['devops', 'oncall'];
    const ev = evaluate(inputFromResources(rs), resolveConfig());
    assert.deepEqual(ev.privileges.users.get('bob@example.com')!.requestable.map((p) => [p.role, p.approvals]), [['dbadmin', 2]]);
  });
});

describe('grouped sentences read as English', () => {
  it('verbs agree with several users', () => {
    const head = guideResources();
    const base = JSON.parse(JSON.stringify(head)) as TeleportResource[];
    head.push(newUser('carol@example.com', ['dbadmin']), newUser('dave@example.com', ['dbadmin']));
    const r = reviewInputs(inputFromResources(head), inputFromResources(base));
    assert.deepEqual(groupChanges(r.privilegeChanges.filter((c) => c.kind !== 'people')).map((g) => g.text), [
      'carol@example.com and dave@example.com are new users',
      'carol@example.com and dave@example.com now hold dbadmin (privileged)',
      'carol@example.com and dave@example.com can now log in as root',
      'carol@example.com and dave@example.com now reach nodes labelled env=prod',
      'carol@example.com and dave@example.com now reach nodes labelled type=db',
    ]);
  });
});
