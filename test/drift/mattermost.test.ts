/** The Mattermost part against the Mattermost simulator: the bot of mattermost-bot.json after `mattermost apply`. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { MattermostBotSpec } from '../../mattermost-bot/bot-spec';
import { applyBotPlan, planBot } from '../../mattermost-bot/reconcile';
import { createMattermostApi, type MattermostApi } from '../../mattermost-client/client';
import { runDrift } from '../../drift/run';
import { DriftReport, SectionResult } from '../../drift/types';
import { startMattermostSimulator, type MattermostSimulator } from '../../simulators/mattermost';
import { desiredOrg, tempDir, writeStack } from './helpers';

const BOT: MattermostBotSpec = {
  apiVersion: 'dualauth.dev/v1',
  kind: 'MattermostBot',
  username: 'teleport',
  displayName: 'Teleport',
  description: 'Teleport Access Request notifications',
  teams: ['ops'],
  roles: ['system_user', 'system_post_all'],
};

const mm = (r: DriftReport): SectionResult => r.sections.find((s) => s.system === 'mattermost')!;

describe('drift of the Mattermost bot', () => {
  let sim: MattermostSimulator;
  let token: string;
  let api: MattermostApi;
  let stack: string;
  let live: string;

  beforeEach(async () => {
    sim = await startMattermostSimulator();
    const admin = sim.addUser({ username: 'root', email: 'root@example.com', roles: ['system_user', 'system_admin'] });
    token = sim.issueToken(admin.id);
    const ops = sim.addTeam({ name: 'ops' });
    sim.addTeam({ name: 'other' });
    sim.addTeamMember(ops.id, admin.id);
    api = createMattermostApi({ url: sim.url, token, retry: false });
    await applyBotPlan(api, await planBot(api, BOT));
    const desired = desiredOrg();
    stack = writeStack(desired, { bot: BOT });
    live = join(tempDir(), 'live.json');
    writeFileSync(live, JSON.stringify(desired));
  });
  afterEach(() => sim.close());

  const drift = (o: { url?: string; token?: string } = {}) =>
    runDrift({ stackDir: stack, teleport: { kind: 'dump', file: live }, mattermost: { url: o.url ?? sim.url, token: o.token ?? token }, terraform: false });
  const botId = () => sim.user('teleport')!.id;

  test('no drift right after mattermost apply', async () => {
    const r = await drift();
    assert.equal(mm(r).state, 'checked', mm(r).reason);
    assert.deepEqual(mm(r).counts, { managed: 1, inSync: 1, changed: 0, missing: 0, unmanaged: 0, ignored: 0 });
    assert.equal(r.exitCode, 0);
  });

  test('an empty description and display name (absent from the bot JSON) are in sync, as apply sees them', async () => {
    const blank: MattermostBotSpec = { ...BOT, displayName: '', description: '' };
    await applyBotPlan(api, await planBot(api, blank));
    // the server leaves empty fields out of the bot JSON (omitempty); apply has nothing left to do...
    const raw = (await api.getBot(botId())) as unknown as Record<string, unknown>;
    assert.equal('description' in raw, false);
    assert.deepEqual((await planBot(api, blank)).actions, []);
    // ...and drift agrees (it used to report description: "" -> undefined, exit 2)
    stack = writeStack(desiredOrg(), { bot: blank });
    const r = await drift();
    assert.deepEqual(mm(r).findings, []);
    assert.equal(r.exitCode, 0);
  });

  test('display name, description and roles changed out of band, bot disabled', async () => {
    await api.patchBot(botId(), { display_name: 'Tele', description: 'edited' });
    await api.updateUserRoles(botId(), ['system_user', 'system_admin']);
    await api.client.disableBot(botId());
    const r = await drift();
    assert.equal(r.exitCode, 2);
    assert.deepEqual(mm(r).findings, [
      {
        kind: 'bot',
        name: 'teleport',
        status: 'changed',
        changes: [
          { path: 'enabled', before: true, after: false },
          { path: 'display_name', before: 'Teleport', after: 'Tele' },
          { path: 'description', before: 'Teleport Access Request notifications', after: 'edited' },
          { path: 'roles', before: ['system_post_all', 'system_user'], after: ['system_admin', 'system_user'] },
        ],
      },
    ]);
  });

  test('a listed team the bot is not in is drift; an extra team is a note', async () => {
    // The repository now lists team "qa" too (the simulator cannot remove members, so the file moves instead).
    sim.addTeam({ name: 'qa' });
    stack = writeStack(desiredOrg(), { bot: { ...BOT, teams: ['qa', 'ops'] } });
    sim.addTeamMember('other', botId());
    const r = await drift();
    assert.equal(r.exitCode, 2);
    assert.deepEqual(mm(r).findings[0]?.changes, [{ path: 'teams', before: ['ops', 'qa'], after: ['ops'] }]);
    assert.deepEqual(mm(r).notes, ['bot teleport is also in team(s) other, not listed in the bot file (not drift)']);
  });

  test('a missing bot is drift; a regular user under that name is drift', async () => {
    const r = await drift();
    assert.equal(r.exitCode, 0);
    await sim.close();
    sim = await startMattermostSimulator();
    const admin = sim.addUser({ username: 'root', roles: ['system_user', 'system_admin'] });
    token = sim.issueToken(admin.id);
    const missing = await drift();
    assert.equal(missing.exitCode, 2);
    assert.equal(mm(missing).findings[0]?.status, 'missing');
    sim.addUser({ username: 'teleport' });
    const human = await drift();
    assert.deepEqual(mm(human).findings[0]?.changes, [{ path: 'is_bot', before: true, after: false }]);
  });

  test('a rejected token or an unreachable server is an error (exit 1) without the token', async () => {
    const bad = await drift({ token: 'zz-not-a-valid-token-zz' });
    assert.equal(bad.exitCode, 1);
    assert.match(mm(bad).reason ?? '', /rejected the token in MATTERMOST_TOKEN \(401\)/);
    assert.doesNotMatch(JSON.stringify(bad), /zz-not-a-valid-token-zz/);
    const url = sim.url;
    await sim.close();
    const down = await drift({ url });
    assert.equal(down.exitCode, 1);
    assert.match(mm(down).reason ?? '', /cannot reach Mattermost at http:\/\/127\.0\.0\.1:\d+ \(--mattermost-url\)/);
    sim = await startMattermostSimulator();
  });

  test('without --mattermost-url the bot is skipped with how to enable it', async () => {
    const r = await runDrift({ stackDir: stack, teleport: { kind: 'dump', file: live }, terraform: false });
    assert.equal(mm(r).state, 'skipped');
    assert.match(mm(r).reason ?? '', /give --mattermost-url URL \(token in MATTERMOST_TOKEN\)/);
    assert.equal(r.exitCode, 0);
  });
});
