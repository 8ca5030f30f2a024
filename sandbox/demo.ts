/**
 * `npm run demo`: the Dual Authorization guide end to end, on the simulators, with the built-in stack.
 *
 *  1. The guide stack (stacks/guide-stack.ts) is built in memory; its Teleport roles and users seed a
 *     Teleport simulator, its plugin TOML (constructs/plugin-config.ts) configures the relay.
 *  2. A Mattermost simulator gets the team, the users and the "teleport" bot with its token.
 *  3. The relay starts; Bob requests dbadmin; Alice and Ivan get a direct message; both approve; the
 *     request is approved and every post is updated.
 * What a Mattermost user would see is printed along the way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDualAuthApp } from '../constructs';
import { renderPluginToml } from '../constructs/plugin-config';
import { GuideStack } from '../stacks/guide-stack';
import { DEFAULT_SETTINGS } from '../stacks/settings';
import { startMattermostSimulator, type SimPost } from '../simulators/mattermost';
import { startTeleportSimulator } from '../simulators/teleport';
import { createLogger, parseRelayConfig, startRelay } from '../relay';

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
  const edited = post.edit_at ? ' (edited)' : '';
  out(`┌─ ${title} `.padEnd(width, '─'));
  out(`│ Teleport BOT → ${who}${edited}`);
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

  // 1. The built-in stack.
  const settings = { ...DEFAULT_SETTINGS, kubernetes: false, applyBot: false };
  const stack = new GuideStack(createDualAuthApp({ outdir: join(dir, 'synth') }).app, 'dual-authorization', settings);
  const resources = stack.teleportResources().map((c) => c.toResource());
  out(`Guide stack: ${resources.map((r) => `${r.kind} ${r.metadata.name}`).join(', ')}`);

  const teleport = await startTeleportSimulator({ resources, clusterName: 'teleport.example.com' });
  const mattermost = await startMattermostSimulator();
  const log = createLogger({ severity: process.env.DEMO_LOG ? 'debug' : 'warn', output: 'stderr' });
  let relay: Awaited<ReturnType<typeof startRelay>> | undefined;
  try {
    // 2. Mattermost as after the guide's Step 1: a team, the people, the bot with Post All.
    const admin = mattermost.addUser({ username: 'admin', email: 'admin@example.com', roles: ['system_user', 'system_admin'] });
    const team = mattermost.addTeam({ name: settings.teamName, displayName: 'My Team' });
    const people: Record<string, string> = {};
    for (const name of ['alice', 'ivan', 'bob']) {
      const u = mattermost.addUser({ username: name, email: `${name}@example.com`, firstName: name[0].toUpperCase() + name.slice(1) });
      mattermost.addTeamMember(team.id, u.id);
      people[u.id] = name;
    }
    const bot = mattermost.addBot({ username: settings.botUsername, displayName: 'Teleport', ownerId: admin.id, roles: ['system_user', 'system_post_all'] });
    mattermost.addTeamMember(team.id, bot.user_id);
    const tokenFile = join(dir, 'mattermost_token');
    writeFileSync(tokenFile, mattermost.issueToken(bot.user_id, { kind: 'access_token' }), { mode: 0o600 });

    // The plugin's identity, as `tctl auth sign --user=access-plugin --format=file` would write it.
    const identityFile = join(dir, 'auth_id');
    await teleport.writeIdentity(stack.plugin.user.teleportName, identityFile);

    // 3. The plugin TOML the constructs write, pointed at the simulators.
    const toml = renderPluginToml({
      teleport: { addr: teleport.addr, identity: identityFile, refreshIdentity: true },
      mattermost: { url: mattermost.url, token: tokenFile },
      roleToRecipients: { dbadmin: ['alice@example.com', 'ivan@example.com'] },
      log: { output: 'stderr', severity: 'warn' },
      relay: { listenAddr: '127.0.0.1:0' },
    });
    const configFile = join(dir, 'teleport-mattermost.toml');
    writeFileSync(configFile, toml);
    out(`\nPlugin config (${configFile}):\n${toml.replace(/^/gm, '  ').trimEnd()}\n`);

    relay = await startRelay(parseRelayConfig(toml, { source: configFile }).config, { log });
    await until('the relay to be ready', () => relay!.ready());
    out(`Relay ready: health ${relay.health?.url}/readyz\n`);

    const dmWith = (channelId: string) => {
      const ch = mattermost.channels().find((c) => c.id === channelId);
      const other = ch?.name.split('__').find((id) => id !== bot.user_id);
      return other && people[other] ? `@${people[other]} (direct message)` : `~${ch?.name ?? channelId}`;
    };
    const roots = (id: string) => mattermost.posts().filter((p) => p.root_id === '' && p.message.includes(id));
    const replies = (rootIds: string[]) => mattermost.posts().filter((p) => rootIds.includes(p.root_id));

    // Bob asks for dbadmin.
    out('$ tsh request create --roles=dbadmin --reason="Rotate the prod DB password, ticket OPS-1234"   # as bob@example.com');
    const req = teleport.createAccessRequest('bob@example.com', ['dbadmin'], 'Rotate the prod DB password, ticket OPS-1234');
    out(`Request ${req.id} is PENDING (needs 2 approvals, 1 denial rejects)\n`);
    const posts = await until('Alice and Ivan to be notified', () => (roots(req.id).length === 2 ? roots(req.id) : undefined));
    for (const p of posts) show('New post', p, dmWith(p.channel_id));

    out('\n$ tsh request review --approve --reason="Looks right" ' + req.id + '   # as alice@example.com');
    teleport.review(req.id, 'alice@example.com', 'APPROVED', 'Looks right');
    await until('the first review in both threads', () => replies(posts.map((p) => p.id)).length === 2 && roots(req.id).every((p) => /1 of 2 approvals/.test(p.message)));
    show('Thread reply', replies([posts[0].id])[0], dmWith(posts[0].channel_id));

    out('\n$ tsh request review --approve --reason="Go ahead" ' + req.id + '   # as ivan@example.com');
    teleport.review(req.id, 'ivan@example.com', 'APPROVED', 'Go ahead');
    await until('the request to show APPROVED everywhere', () => roots(req.id).every((p) => /APPROVED/.test(p.message.split('**Status**')[1] ?? '')) && replies(posts.map((p) => p.id)).length === 4);
    out(`Teleport: request ${req.id} is ${teleport.request(req.id).state}\n`);
    for (const p of roots(req.id)) show('Updated post', p, dmWith(p.channel_id));
    for (const r of replies([posts[0].id])) show('Thread reply', r, dmWith(posts[0].channel_id));

    const data = await until('the outcome in plugin data', () => {
      const d = teleport.pluginData(req.id)?.mattermost;
      return d?.resolution === 'APPROVED' ? d : undefined;
    });
    out('\nPlugin data (access_plugin_data "mattermost", the Go plugin\'s keys):');
    for (const [k, v] of Object.entries(data)) out(`  ${k} = ${v.length > 100 ? `${v.slice(0, 97)}...` : v}`);
    out(`\nDone: ${roots(req.id).length} root posts, ${replies(posts.map((p) => p.id)).length} thread replies, nothing posted twice.`);
  } finally {
    await relay?.stop();
    await teleport.close();
    await mattermost.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
