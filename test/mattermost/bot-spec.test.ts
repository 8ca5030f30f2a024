import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BotSpecError, parseBotSpec, renderBotSpec } from '../../mattermost-bot/bot-spec';
import { botSpec } from './helpers';

const EXAMPLE =
  '{"apiVersion":"dualauth.dev/v1","kind":"MattermostBot","username":"teleport","displayName":"Teleport",' +
  '"description":"Teleport Access Request notifications","teams":["myteam"],"roles":["system_user","system_post_all"],' +
  '"token":{"description":"teleport-mattermost plugin"}}';

function problems(text: string): string[] {
  try {
    parseBotSpec(text, 'stacks/prod/mattermost-bot.json');
  } catch (err) {
    assert.ok(err instanceof BotSpecError);
    assert.equal(err.file, 'stacks/prod/mattermost-bot.json');
    assert.ok(err.message.startsWith('stacks/prod/mattermost-bot.json: '));
    return err.problems;
  }
  assert.fail('expected a BotSpecError');
}

describe('mattermost bot file', () => {
  test('the documented example parses, and renders back to a stable pretty form', () => {
    const spec = parseBotSpec(EXAMPLE, 'x.json');
    assert.deepEqual(spec, botSpec());
    const rendered = renderBotSpec(spec);
    assert.ok(rendered.endsWith('}\n'));
    assert.ok(rendered.startsWith('{\n  "apiVersion": "dualauth.dev/v1",\n  "kind": "MattermostBot",\n  "username"'));
    // Key order comes from the renderer, not from the input object.
    const shuffled = { token: spec.token, roles: spec.roles, teams: spec.teams, kind: spec.kind, username: spec.username,
      description: spec.description, displayName: spec.displayName, apiVersion: spec.apiVersion };
    assert.equal(renderBotSpec(shuffled as typeof spec), rendered);
    assert.deepEqual(parseBotSpec(rendered, 'x.json'), spec);
  });

  test('token is optional', () => {
    const { token: _omit, ...rest } = botSpec();
    assert.equal(parseBotSpec(JSON.stringify(rest), 'x.json').token, undefined);
    assert.equal(renderBotSpec(rest).includes('token'), false);
  });

  test('errors name the file and every bad field', () => {
    assert.deepEqual(problems('{"apiVersion":'), [problems('{"apiVersion":')[0]!]);
    assert.match(problems('{"apiVersion":')[0]!, /^not valid JSON/);
    const bad = { ...botSpec(), apiVersion: 'v2', username: 'Tele Port', teams: ['My_Team'], roles: ['system_post_all', 'god'], colour: 'red' };
    const list = problems(JSON.stringify(bad));
    assert.ok(list.includes('apiVersion: must be "dualauth.dev/v1"'), list.join('\n'));
    assert.ok(list.some((p) => p.startsWith('username: must be 1-64 characters of lowercase letters')));
    assert.ok(list.some((p) => p.startsWith('teams[0]: must be a team name')));
    assert.ok(list.includes('roles[1]: must be one of system_user, system_post_all, system_post_all_public, system_admin'));
    assert.ok(list.includes('roles: must include "system_user"'));
    assert.ok(list.includes('colour: unknown field (check the spelling)'));
    const { displayName: _d, ...missing } = botSpec();
    assert.deepEqual(problems(JSON.stringify(missing)), ['displayName: required field is missing']);
  });

  test('usernames follow the server rules', () => {
    for (const ok of ['teleport', 'a', 'tele.port_bot-1', '1bot', 'x'.repeat(64)]) {
      assert.equal(parseBotSpec(JSON.stringify(botSpec({ username: ok })), 'x.json').username, ok);
    }
    for (const bad of ['', 'Teleport', 'tele port', 'tele@port', 'x'.repeat(65), 'all', 'channel', 'matterbot', 'system']) {
      assert.equal(problems(JSON.stringify(botSpec({ username: bad }))).length, 1, `"${bad}" must be rejected`);
    }
  });

  test('limits: display name 64, description 1024, token description 255 (counted in code points)', () => {
    assert.ok(parseBotSpec(JSON.stringify(botSpec({ displayName: '😀'.repeat(64) })), 'x.json'));
    assert.deepEqual(problems(JSON.stringify(botSpec({ displayName: 'x'.repeat(65) }))), ['displayName: must be at most 64 characters']);
    assert.deepEqual(problems(JSON.stringify(botSpec({ description: 'x'.repeat(1025) }))), ['description: must be at most 1024 characters']);
    assert.deepEqual(problems(JSON.stringify(botSpec({ token: { description: '' } }))), ['token.description: must not be empty']);
    assert.deepEqual(problems(JSON.stringify(botSpec({ roles: ['system_user', 'system_user'] }))), ['roles: must not list the same value twice']);
  });
});
