/** Reading STACK_DIR: teleport.yaml (required), mattermost-bot.json (optional), errors with file and line. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseDesiredTeleport, readDesiredStack } from '../../drift/desired';
import { DriftInputError } from '../../drift/types';
import { desiredOrg, tempDir, writeStack } from './helpers';

const isInput = (re: RegExp) => (e: unknown) => e instanceof DriftInputError && re.test(e.message);

describe('the desired stack', () => {
  test('reads the synthesized files', async () => {
    const dir = writeStack(desiredOrg(), {
      bot: { apiVersion: 'dualauth.dev/v1', kind: 'MattermostBot', username: 'teleport', displayName: 'T', description: '', teams: ['ops'], roles: ['system_user'] },
      terraform: true,
    });
    const s = await readDesiredStack(dir);
    assert.equal(s.teleport.length, desiredOrg().length);
    assert.equal(s.bot?.username, 'teleport');
    assert.equal(s.hasTerraformConfig, true);
    const bare = await readDesiredStack(writeStack([]));
    assert.equal(bare.bot, undefined);
    assert.equal(bare.hasTerraformConfig, false);
  });

  test('errors name the file and line and say how to fix it', async () => {
    const y = 'kind: role\nmetadata:\n  name: a\nspec: {}\nversion: v7\n---\nkind: role\nmetadata:\n  name: a\nspec: {}\nversion: v7\n';
    assert.throws(() => parseDesiredTeleport(y, 'teleport.yaml'), isInput(/^teleport\.yaml:7: role\/a is declared twice$/));
    assert.throws(() => parseDesiredTeleport('kind: node\nmetadata: {name: n}\n', 't.yaml'), isInput(/^t\.yaml:1: not a Teleport role or user \(kind "node"\)/));
    assert.throws(() => parseDesiredTeleport('kind: role\nspec: {}\n', 't.yaml'), isInput(/^t\.yaml:1: role without metadata\.name/));
    assert.throws(() => parseDesiredTeleport('kind: role\nmetadata: {name: [\n', 't.yaml'), isInput(/^t\.yaml:\d+: malformed YAML.*re-run synthesis/));
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'teleport.yaml'), '');
    writeFileSync(join(dir, 'x', 'mattermost-bot.json'), '{"kind": "MattermostBot"}');
    await assert.rejects(readDesiredStack(join(dir, 'x')), isInput(/mattermost-bot\.json: invalid Mattermost bot file/));
  });
});
