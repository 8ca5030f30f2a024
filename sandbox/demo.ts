/**
 * `npm run demo`: the Dual Authorization guide end to end, as a scripted run of `dualauth sandbox`.
 *
 *  1. The sandbox (sandbox/sandbox.ts) starts the Teleport and Mattermost simulators on loopback with the
 *     guide's people and synthesizes the built-in stack against them.
 *  2. What `dualauth mattermost apply` does: the "teleport" bot is created, joins its team and channel, and
 *     gets the token the relay reads.
 *  3. The relay starts with the sandbox's config; Bob requests dbadmin (over gRPC, as tsh would); Alice and
 *     Ivan get a direct message; Alice pins hers; both approve; the request is approved, every post is
 *     updated and Alice's pinned post is still pinned.
 * What a Mattermost user would see is printed along the way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyBotPlan, formatPlan, planBot } from '../mattermost-bot/reconcile';
import { parseBotSpec } from '../mattermost-bot/bot-spec';
import { writeSecretFile } from '../mattermost-bot/secret-file';
import { createMattermostApi } from '../mattermost-client/client';
import type { SimPost } from '../simulators/mattermost';
import { createLogger, parseRelayConfig, startRelay } from '../relay';
import { startSandbox } from './sandbox';
import { createRequest, reviewRequest } from './tsh';

const out = (s = '') => process.stdout.write(`${s}\n`);
const ZERO_WIDTH = /[\u200b\ufeff]/g;

/** Roughly what Mattermost renders: emphasis and escapes resolved, code blocks set off. */
function rendered(markdown: string): string[] {
  const lines: string[] = [];
  let inCode = false;
  for (const line of markdown.replace(ZERO_WIDTH, '').split('\n')) {
    if (line.startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      lines.push(`    ▏${line}`);
      continue;
    }
    lines.push(
      line
        .replace(/\*\*(.+?)\*\*/g, '$1')
        .replace(/(^|\s)\*(.+?)\*(?=\s|$)/g, '$1$2')
        .replace(/`([^`]*)`/g, '$1')
        .replace(/\\([!-/:-@[-`{-~])/g, '$1'),
    );
  }
  return lines;
}

function show(title: string, post: SimPost, who: string): void {
  const width = 78;
  const edited = [post.edit_at ? 'edited' : '', post.is_pinned ? 'pinned' : ''].filter(Boolean).join(', ');
  out(`┌─ ${title} `.padEnd(width, '─'));
  out(`│ Teleport BOT → ${who}${edited ? ` (${edited})` : ''}`);
  for (const line of rendered(post.message)) out(`│ ${line}`);
  out('└'.padEnd(width, '─'));
}

async function until<T>(what: string, check: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dualauth-demo-'));
  out('dualauth demo: the Teleport "Dual Authorization" guide, with Mattermost, on simulators\n');

  // 1. The sandbox: simulators on loopback, the built-in stack synthesized against them.
  const sb = await startSandbox({ dir });
  const { info, teleport, mattermost } = sb;
  out(`Guide stack: ${sb.resources.join(', ')}`);
  const log = createLogger({ severity: process.env.DEMO_LOG ? 'debug' : 'warn', output: 'stderr' });
  let relay: Awaited<ReturnType<typeof startRelay>> | undefined;
  try {
    // 2. The guide's Step 1 as `dualauth mattermost apply` makes it: the bot, its team, its channel, its token.
    out(`\n$ MATTERMOST_TOKEN=... dualauth mattermost apply --bot mattermost-bot.json --url ${info.mattermostUrl} --create-token --token-out mattermost-bot.token`);
    const admin = createMattermostApi({ url: info.mattermostUrl, token: readFileSync(info.adminTokenFile, 'utf8'), retry: false });
    const spec = parseBotSpec(readFileSync(info.botFile, 'utf8'), info.botFile);
    const plan = await planBot(admin, spec, { createToken: true });
    for (const line of formatPlan(plan)) out(line);
    const applied = await applyBotPlan(admin, plan);
    await writeSecretFile(info.botTokenFile, applied.token?.token ?? '');
    const botId = applied.botUserId;

    // 3. The relay with the sandbox's config (the plugin TOML the constructs write, pointed at the simulators).
    const toml = readFileSync(info.relayConfig, 'utf8');
    out(`\nPlugin config (${info.relayConfig}):\n${toml.replace(/^/gm, '  ').trimEnd()}\n`);
    relay = await startRelay(parseRelayConfig(toml, { source: info.relayConfig }).config, { log });
    await until('the relay to be ready', () => relay!.ready());
    out(`Relay ready: health ${relay.health?.url}/readyz\n`);

    const people: Record<string, string> = {};
    for (const name of ['alice', 'ivan', 'bob']) people[mattermost.user(name)!.id] = name;
    const dmWith = (channelId: string) => {
      const ch = mattermost.channels().find((c) => c.id === channelId);
      const other = ch?.name.split('__').find((id) => id !== botId);
      return other && people[other] ? `@${people[other]} (direct message)` : `~${ch?.name ?? channelId}`;
    };
    const roots = (id: string) => mattermost.posts().filter((p) => p.root_id === '' && p.message.includes(id));
    const replies = (rootIds: string[]) => mattermost.posts().filter((p) => rootIds.includes(p.root_id));

    // Bob asks for dbadmin.
    out('$ tsh request create --roles=dbadmin --reason="Rotate the prod DB password, ticket OPS-1234"   # as bob@example.com');
    const req = await createRequest(info, 'bob@example.com', ['dbadmin'], 'Rotate the prod DB password, ticket OPS-1234');
    out(`Request ${req.id} is PENDING (needs 2 approvals, 1 denial rejects)\n`);
    const posts = await until('Alice and Ivan to be notified', () => (roots(req.id).length === 2 ? roots(req.id) : undefined));
    for (const p of posts) show('New post', p, dmWith(p.channel_id));

    // Alice pins the request in her direct messages, so it stays at hand.
    const alicePost = posts.find((p) => dmWith(p.channel_id).startsWith('@alice'))!;
    const alice = createMattermostApi({ url: info.mattermostUrl, token: mattermost.issueToken(mattermost.user('alice')!.id), retry: false });
    await alice.pinPost(alicePost.id);
    out('\n(alice pins the request post in her direct messages)');

    out('\n$ tsh request review --approve --reason="Looks right" ' + req.id + '   # as alice@example.com');
    await reviewRequest(info, 'alice@example.com', req.id, 'APPROVED', 'Looks right');
    await until('the first review in both threads', () => replies(posts.map((p) => p.id)).length === 2 && roots(req.id).every((p) => /1 of 2 approvals/.test(p.message)));
    show('Thread reply', replies([posts[0].id])[0], dmWith(posts[0].channel_id));

    out('\n$ tsh request review --approve --reason="Go ahead" ' + req.id + '   # as ivan@example.com');
    await reviewRequest(info, 'ivan@example.com', req.id, 'APPROVED', 'Go ahead');
    await until('the request to show APPROVED everywhere', () => roots(req.id).every((p) => /APPROVED/.test(p.message.split('**Status**')[1] ?? '')) && replies(posts.map((p) => p.id)).length === 4);
    out(`Teleport: request ${req.id} is ${teleport.request(req.id).state}\n`);
    for (const p of roots(req.id)) show('Updated post', p, dmWith(p.channel_id));
    for (const r of replies([posts[0].id])) show('Thread reply', r, dmWith(posts[0].channel_id));
    const stillPinned = mattermost.posts().find((p) => p.id === alicePost.id)?.is_pinned === true;
    out(`\nAlice's pinned post is ${stillPinned ? 'still pinned' : 'NO LONGER PINNED'} after approval.`);
    if (!stillPinned) throw new Error('demo: the relay unpinned the request post');

    const data = await until('the outcome in plugin data', () => {
      const d = teleport.pluginData(req.id)?.mattermost;
      return d?.resolution === 'APPROVED' ? d : undefined;
    });
    out('\nPlugin data (access_plugin_data "mattermost", the Go plugin\'s keys):');
    for (const [k, v] of Object.entries(data)) out(`  ${k} = ${v.length > 100 ? `${v.slice(0, 97)}...` : v}`);
    out(`\nDone: ${roots(req.id).length} root posts, ${replies(posts.map((p) => p.id)).length} thread replies, nothing posted twice.`);
  } finally {
    await relay?.stop();
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
