// `dualauth mattermost apply` end to end: the real CLI entry in a child process against the simulator.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runMattermostApply, type MattermostApplyOptions } from '../../cli/commands/mattermost';
import { renderBotSpec } from '../../mattermost-bot/bot-spec';
import { botSpec, closedPort, runCli, seededServer, tempDir, writeRequests, writeTemp, type CliResult, type Seeded } from './helpers';

async function withServer(fn: (s: Seeded, botFile: string, dir: string) => Promise<void>): Promise<void> {
  const s = await seededServer();
  const dir = tempDir();
  const botFile = writeTemp(dir, 'mattermost-bot.json', renderBotSpec(botSpec()));
  try {
    await fn(s, botFile, dir);
  } finally {
    await s.sim.close();
  }
}

/** `token` null leaves MATTERMOST_TOKEN unset. */
function apply(s: Seeded, botFile: string, extra: string[] = [], token: string | null = s.adminToken): Promise<CliResult> {
  return runCli(['mattermost', 'apply', '--bot', botFile, '--url', s.sim.url, ...extra], { MATTERMOST_TOKEN: token ?? undefined });
}

/** The command's action in-process: same code as the CLI, without a process per case. */
async function run(opts: Partial<MattermostApplyOptions>, env: Record<string, string> = {}): Promise<CliResult> {
  const lines = { out: [] as string[], err: [] as string[] };
  const code = await runMattermostApply({ bot: 'unused.json', url: 'http://127.0.0.1:9', ...opts }, {
    env: { MATTERMOST_TOKEN: 'tokentokentokentokentokent', ...env },
    out: (l) => lines.out.push(l),
    err: (l) => lines.err.push(l),
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  return { code, stdout: lines.out.join('\n'), stderr: lines.err.join('\n') };
}

function assertNoSecret(r: CliResult, secret: string): void {
  assert.equal(r.stdout.includes(secret), false, 'secret in stdout');
  assert.equal(r.stderr.includes(secret), false, 'secret in stderr');
}

describe('dualauth mattermost apply', { concurrency: 3 }, () => {
  test('prints the plan, applies it, and a second run reports no changes and writes nothing', () =>
    withServer(async (s, botFile) => {
      const first = await apply(s, botFile);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(first.stdout.trim().split('\n'), [
        `Plan for Mattermost bot "teleport" at ${s.sim.url}:`,
        '+ create bot teleport (display_name "Teleport", description "Teleport Access Request notifications")',
        '~ roles: "system_user" -> "system_user system_post_all"',
        '+ join team myteam',
        `Applied 3 change(s) to bot "teleport" (user id ${s.sim.bots()[0]?.user_id}).`,
      ]);
      assertNoSecret(first, s.adminToken);

      s.sim.clearRequests();
      const second = await apply(s, botFile);
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual(second.stdout.trim().split('\n'), [`Plan for Mattermost bot "teleport" at ${s.sim.url}:`, '= no changes']);
      assert.deepEqual(writeRequests(s.sim), []);
    }));

  test('--dry-run prints the plan and changes nothing', () =>
    withServer(async (s, botFile) => {
      const r = await apply(s, botFile, ['--dry-run']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\+ create bot teleport/);
      assert.match(r.stdout, /Dry run: nothing was changed\./);
      assert.deepEqual(s.sim.bots(), []);
      assert.deepEqual(writeRequests(s.sim), []);
    }));

  test('a rejected token exits 1 with a clear message that never shows the token', () =>
    withServer(async (s, botFile) => {
      const bad = 'notarealtokennotarealtoken';
      const r = await apply(s, botFile, [], bad);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Mattermost rejected the token in MATTERMOST_TOKEN: .*returned 401 api\.context\.session_expired\.app_error/);
      assert.match(r.stderr, /Use a valid token of an active System Admin/);
      assertNoSecret(r, bad);
    }));

  test('--create-token --token-out writes the new bot token to a fresh 0600 file and prints it nowhere', () =>
    withServer(async (s, botFile, dir) => {
      const out = join(dir, 'mattermost_token');
      const r = await apply(s, botFile, ['--create-token', '--token-out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\+ create token "teleport-mattermost plugin"/);
      assert.match(r.stdout, /Wrote the new bot token to .*mattermost_token \(mode 0600\)/);
      assert.equal(statSync(out).mode & 0o777, 0o600);
      const [token] = s.sim.accessTokens(s.sim.bots()[0]!.user_id);
      assert.equal(readFileSync(out, 'utf8'), `${token?.token}\n`);
      assertNoSecret(r, token!.token);

      // The file is never replaced: a second run refuses before touching the server.
      s.sim.clearRequests();
      const again = await run({ bot: botFile, url: s.sim.url, createToken: true, tokenOut: out }, { MATTERMOST_TOKEN: s.adminToken });
      assert.equal(again.code, 2);
      assert.match(again.stderr, /--token-out: .*already exists; refusing to overwrite it/);
      assert.deepEqual(s.sim.requests(), []);
    }));

  test('bad input exits 2 before any request: missing MATTERMOST_TOKEN, missing --bot', () =>
    withServer(async (s, botFile) => {
      const noToken = await apply(s, botFile, [], null);
      assert.equal(noToken.code, 2, noToken.stderr);
      assert.match(noToken.stderr, /MATTERMOST_TOKEN is not set/);
      const noBotFlag = await runCli(['mattermost', 'apply', '--url', s.sim.url], { MATTERMOST_TOKEN: s.adminToken });
      assert.equal(noBotFlag.code, 2);
      assert.match(noBotFlag.stderr, /required option '--bot <file>' not specified/);
      assert.deepEqual(s.sim.requests(), []);
    }));
});

// The remaining checks call the command's action in-process: same code path, no process per case.
describe('mattermost apply checks (in-process)', () => {
  test('each bad input exits 2 and names the flag, variable or file field to fix', async () => {
    const dir = tempDir();
    const good = writeTemp(dir, 'bot.json', renderBotSpec(botSpec()));

    const badUrl = await run({ bot: good, url: 'ftp://mm' });
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /--url: Mattermost URL must start with http:\/\/ or https:\/\//);

    const spaced = await run({ bot: good }, { MATTERMOST_TOKEN: 'two words' });
    assert.equal(spaced.code, 2);
    assert.match(spaced.stderr, /MATTERMOST_TOKEN contains spaces or control characters/);
    assert.equal(spaced.stderr.includes('two words'), false);

    const tokenWithoutOut = await run({ bot: good, createToken: true });
    assert.equal(tokenWithoutOut.code, 2);
    assert.match(tokenWithoutOut.stderr, /--create-token needs --token-out FILE/);

    const outWithoutToken = await run({ bot: good, tokenOut: join(dir, 't') });
    assert.equal(outWithoutToken.code, 2);
    assert.match(outWithoutToken.stderr, /--token-out is only used with --create-token/);

    const noDir = await run({ bot: good, createToken: true, tokenOut: join(dir, 'missing', 't') });
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /--token-out: directory .*missing does not exist/);

    const badFile = writeTemp(dir, 'bad-bot.json', JSON.stringify({ ...botSpec(), username: 'Tele Port' }));
    const badSpec = await run({ bot: badFile });
    assert.equal(badSpec.code, 2);
    assert.match(badSpec.stderr, /--bot .*bad-bot\.json: invalid Mattermost bot file/);
    assert.match(badSpec.stderr, /- username: must be 1-64 characters/);

    const missing = await run({ bot: join(dir, 'nope.json') });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--bot .*nope\.json: cannot read the file \(ENOENT\)/);
  });

  test('an unreachable server exits 1 naming the URL', async () => {
    const dir = tempDir();
    const good = writeTemp(dir, 'bot.json', renderBotSpec(botSpec()));
    const port = await closedPort();
    const down = await run({ bot: good, url: `http://127.0.0.1:${port}` });
    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`cannot reach Mattermost at http://127\\.0\\.0\\.1:${port}: connection failed \\(ECONNREFUSED\\)`));
  });

  test('server-side refusals exit 1: bot creation disabled, or a token without admin rights', () =>
    withServer(async (s, botFile) => {
      s.sim.setSetting('enableBotAccountCreation', false);
      const off = await run({ bot: botFile, url: s.sim.url }, { MATTERMOST_TOKEN: s.adminToken });
      assert.equal(off.code, 1);
      assert.match(off.stderr, /ServiceSettings\.EnableBotAccountCreation is off/);
      assert.match(off.stderr, /System Console > Integrations > Bot Accounts/);

      const user = s.sim.addUser({ username: 'mallory' });
      const userToken = s.sim.issueToken(user.id);
      const denied = await run({ bot: botFile, url: s.sim.url }, { MATTERMOST_TOKEN: userToken });
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /@mallory, who is not a System Admin/);
      assertNoSecret(denied, userToken);
      assert.deepEqual(s.sim.bots(), []);
    }));
});
