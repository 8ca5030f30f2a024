import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../relay/log';
import { planRecipients, rawRecipientsFor } from '../../relay/recipients';
import { recipientKind } from '../../model/recipient-grammar';
import { AmrRecipients } from '../../relay/auto-review';
import { ConditionError, evaluateCondition, type AmrEnv } from '../../model/access-monitoring-condition';
import type { AccessRequest } from '../../teleport-client/convert';

const env = (over: Partial<AmrEnv> = {}): AmrEnv => ({
  roles: ['dbadmin'],
  suggestedReviewers: ['alice@example.com'],
  annotations: { env: ['prod'] },
  user: 'bob',
  requestReason: 'fix it',
  userTraits: { team: ['db'] },
  pluginName: 'mattermost',
  ...over,
});

const request = (over: Partial<AccessRequest> = {}): AccessRequest => ({
  id: 'r1',
  user: 'bob',
  roles: ['dbadmin'],
  state: 'PENDING',
  thresholds: [],
  role_threshold_mapping: {},
  reviews: [],
  suggested_reviewers: [],
  system_annotations: {},
  resolve_annotations: {},
  ...over,
});

describe('recipients as Teleport decides them', () => {
  const map = { '*': ['team/fallback'], dbadmin: ['alice@example.com', 'team/db'], empty: [] };

  it('uses the role entry, "*" for roles without (or with an empty) entry, and email suggested reviewers', () => {
    assert.deepEqual(rawRecipientsFor(map, ['dbadmin'], []), ['alice@example.com', 'team/db']);
    assert.deepEqual(rawRecipientsFor(map, ['other'], []), ['team/fallback']);
    assert.deepEqual(rawRecipientsFor(map, ['empty'], []), ['team/fallback']);
    assert.deepEqual(rawRecipientsFor(map, ['dbadmin', 'other'], ['ivan@example.com', 'not-an-email', 'alice@example.com']), ['alice@example.com', 'team/db', 'team/fallback', 'ivan@example.com']);
    assert.deepEqual(rawRecipientsFor({ dbadmin: ['x@example.com'] }, ['other'], []), [], 'no "*": no recipients, no error');
  });

  it('access monitoring rule recipients replace the configured ones when any match', () => {
    assert.deepEqual(planRecipients(['team/amr'], map, ['dbadmin'], ['ivan@example.com']), { raw: ['team/amr'], source: 'access_monitoring_rules' });
    assert.equal(planRecipients([], map, ['dbadmin'], []).source, 'config');
  });

  it('tells emails, team/channel, channel ids and usernames apart', () => {
    assert.equal(recipientKind('alice@example.com'), 'email');
    assert.equal(recipientKind('myteam/town-square'), 'channel');
    assert.equal(recipientKind('4xp9fdt77pncbef59f4k1qe83o'), 'channel_id');
    assert.equal(recipientKind('@carol'), 'username');
    assert.equal(recipientKind('carol.smith'), 'username');
    assert.equal(recipientKind('Alice <alice@example.com>'), undefined);
    assert.equal(recipientKind('a/b/c'), undefined);
  });
});

describe('access monitoring rule conditions', () => {
  const cases: [string, boolean][] = [
    ['access_request.spec.roles.contains("dbadmin")', true],
    ['access_request.spec.roles.contains("other")', false],
    ['contains_any(access_request.spec.roles, set("x", "dbadmin"))', true],
    ['contains_all(access_request.spec.roles, set("x", "dbadmin"))', false],
    ['access_request.spec.system_annotations["env"].contains("prod")', true],
    ['access_request.spec.system_annotations["missing"].contains("prod")', false],
    ['user.traits["team"].contains("db") && access_request.spec.user == "bob"', true],
    ['!access_request.spec.roles.contains("dbadmin") || plugin.spec.name == "mattermost"', true],
    ['access_request.spec.suggested_reviewers.contains_any(set("alice@example.com"))', true],
    ['is_empty(access_request.spec.request_reason)', false],
    ['access_request.spec.roles == set("dbadmin")', true],
    ['ifelse(true, access_request.spec.user, "x") == "bob"', true],
  ];
  for (const [cond, want] of cases) it(`${cond} -> ${want}`, () => assert.equal(evaluateCondition(cond, env()), want));

  it('rejects what it cannot evaluate (the rule then does not match)', () => {
    assert.throws(() => evaluateCondition('access_request.spec.creation_time > 5', env()), ConditionError);
    assert.throws(() => evaluateCondition('unknown.var.contains("x")', env()), ConditionError);
    assert.throws(() => evaluateCondition('access_request.spec.roles.contains(', env()), ConditionError);
  });

  it('unions the recipients of matching rules for the mattermost plugin only', async () => {
    const amr = new AmrRecipients(
      {
        listAccessMonitoringRules: async () => [
          { name: 'db', subjects: ['access_request'], condition: 'access_request.spec.roles.contains("dbadmin")', notification: { name: 'mattermost', recipients: ['team/db', 'alice@example.com'] } },
          { name: 'team', subjects: ['access_request'], condition: 'user.traits["team"].contains("db")', notification: { name: 'mattermost', recipients: ['team/db-team'] } },
          { name: 'slack', subjects: ['access_request'], condition: 'true', notification: { name: 'slack', recipients: ['#x'] } },
          { name: 'broken', subjects: ['access_request'], condition: 'access_request.spec.expiry > 1', notification: { name: 'mattermost', recipients: ['team/never'] } },
        ],
      },
      { getUser: async () => ({ spec: { traits: { team: ['db'] } } }) },
      silentLogger(),
    );
    await amr.refresh();
    assert.equal(amr.count, 3);
    assert.deepEqual((await amr.recipientsFor(request())).sort(), ['alice@example.com', 'team/db', 'team/db-team']);
    assert.deepEqual(await amr.recipientsFor(request({ roles: ['other'] })), ['team/db-team']);
  });
});
