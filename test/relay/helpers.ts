/**
 * A Teleport simulator and a Mattermost simulator seeded as the guide: Bob (role dev) may request
 * dbadmin, which needs two approvals from reviewers Alice and Ivan; the relay runs as the
 * access-plugin user with the bot "teleport" in Mattermost. Plus helpers to write the plugin TOML and
 * start relays in-process with short timings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoleResource, UserResource } from '../../model/resources';
import { startRelay, type RelayHandle, type StartOptions } from '../../relay/app';
import { parseRelayConfig, type RelayConfig } from '../../relay/config/load';
import { createLogger, type Logger } from '../../relay/log';
import { startMattermostSimulator, type MattermostSimulator, type SimPost, type StartMattermostSimulatorOptions } from '../../simulators/mattermost';
import { startTeleportSimulator, type TeleportSimulator } from '../../simulators/teleport';

const role = (name: string, spec: RoleResource['spec']): RoleResource => ({ kind: 'role', version: 'v7', metadata: { name }, spec });
const user = (name: string, roles: string[], traits?: Record<string, string[]>): UserResource => ({ kind: 'user', version: 'v2', metadata: { name }, spec: { roles, ...(traits ? { traits } : {}) } });

export const TELEPORT_RESOURCES = [
  role('access-plugin', {
    allow: {
      rules: [
        { resources: ['access_request'], verbs: ['list', 'read'] },
        { resources: ['access_plugin_data'], verbs: ['update'] },
        { resources: ['user'], verbs: ['read'] },
      ],
    },
  }),
  role('dbadmin', { allow: { logins: ['postgres'] } }),
  role('dev', { allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }] } } }),
  role('dbadmin-reviewer', { allow: { review_requests: { roles: ['dbadmin'] } } }),
  user('bob', ['dev']),
  user('alice@example.com', ['dbadmin-reviewer']),
  user('ivan@example.com', ['dbadmin-reviewer']),
  user('access-plugin', ['access-plugin']),
];

export interface World {
  teleport: TeleportSimulator;
  mattermost: MattermostSimulator;
  dir: string;
  identityFile: string;
  tokenFile: string;
  botId: string;
  users: Record<string, string>;
  channelId: string;
  /** Writes the plugin TOML (with overrides appended) and returns its path. */
  writeConfig(extra?: string, name?: string): string;
  config(extra?: string): RelayConfig;
  start(extra?: string, opts?: Partial<StartOptions> & { instanceId?: string }): Promise<RelayHandle>;
  /** Root posts (not thread replies) by the bot. */
  rootPosts(): SimPost[];
  replies(): SimPost[];
  close(): Promise<void>;
}

export async function startWorld(opts: { mattermost?: StartMattermostSimulatorOptions } = {}): Promise<World> {
  const teleport = await startTeleportSimulator({ resources: TELEPORT_RESOURCES, clusterName: 'sim.teleport.test' });
  const mattermost = await startMattermostSimulator(opts.mattermost);
  const admin = mattermost.addUser({ username: 'root', email: 'root@example.com', roles: ['system_user', 'system_admin'] });
  const team = mattermost.addTeam({ name: 'myteam', displayName: 'My Team' });
  mattermost.addTeamMember(team.id, admin.id);
  const channel = mattermost.addChannel({ team: 'myteam', name: 'access-requests', displayName: 'Access Requests' });
  const users: Record<string, string> = {};
  for (const [name, email] of [
    ['alice', 'alice@example.com'],
    ['ivan', 'ivan@example.com'],
    ['bob', 'bob@example.com'],
    ['carol', 'carol@example.com'],
  ]) {
    const u = mattermost.addUser({ username: name, email });
    mattermost.addTeamMember(team.id, u.id);
    users[name] = u.id;
  }
  const bot = mattermost.addBot({ username: 'teleport', displayName: 'Teleport', ownerId: admin.id, roles: ['system_user', 'system_post_all'] });
  mattermost.addTeamMember(team.id, bot.user_id);
  mattermost.addChannelMember(channel.id, bot.user_id);
  const token = mattermost.issueToken(bot.user_id, { kind: 'access_token' });

  const dir = mkdtempSync(join(tmpdir(), 'dualauth-relay-'));
  const identityFile = join(dir, 'auth_id');
  await teleport.writeIdentity('access-plugin', identityFile);
  const tokenFile = join(dir, 'mattermost_token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });

  const toml = (extra = '') => `
[teleport]
addr = "${teleport.addr}"
identity = "${identityFile}"
refresh_identity = true

[mattermost]
url = "${mattermost.url}"
token = "${tokenFile}"

[role_to_recipients]
"*" = ["myteam/access-requests"]
"dbadmin" = ["alice@example.com", "ivan@example.com", "myteam/access-requests", "@carol"]

[log]
output = "stderr"
severity = "info"

[relay]
listen_addr = "127.0.0.1:0"
${extra}
`;
  let n = 0;
  const world: World = {
    teleport,
    mattermost,
    dir,
    identityFile,
    tokenFile,
    botId: bot.user_id,
    users,
    channelId: channel.id,
    writeConfig(extra, name) {
      const path = join(dir, name ?? `teleport-mattermost-${n++}.toml`);
      writeFileSync(path, toml(extra));
      return path;
    },
    config(extra) {
      return parseRelayConfig(toml(extra), { source: 'test.toml', env: {} }).config;
    },
    async start(extra, o = {}) {
      const config = world.config(extra);
      if (o.instanceId) config.relay.instanceId = o.instanceId;
      const log: Logger = o.log ?? createLogger({ severity: process.env.RELAY_TEST_LOG ? 'debug' : 'error', output: 'stderr' });
      return startRelay(config, {
        leaseMs: 2_000,
        jobBackoff: { minMs: 20, maxMs: 300 },
        watchBackoff: { minMs: 20, maxMs: 200 },
        mattermostRetry: { baseDelayMs: 10, maxDelayMs: 100, maxAttempts: 4 },
        teleportTimeoutMs: 5_000,
        ...o,
        log,
      });
    },
    // Root posts of requests (not thread replies, not the requester's outcome notices).
    rootPosts: () => mattermost.posts().filter((p) => p.user_id === bot.user_id && p.root_id === '' && p.message.includes('**Request ID**')),
    replies: () => mattermost.posts().filter((p) => p.user_id === bot.user_id && p.root_id !== ''),
    async close() {
      await teleport.close();
      await mattermost.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Resolves once the relay is ready and has finished `n` backfills (the first follows the first INIT). */
export async function settled(relay: RelayHandle, n = 1): Promise<void> {
  await eventually(async () => relay.ready() && ((await relay.metrics.backfills.get()).values[0]?.value ?? 0) >= n, 5000, 'ready and backfilled');
}

/**
 * Polls until `check` returns a value other than undefined/false, or fails after `ms`. The deadline is
 * only a guard against a hang, never an expectation of speed: it is at least 60 s, so a loaded 2-core
 * machine (another CPU-bound process beside the tests) cannot fail a test by being slow.
 */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000, what = 'condition'): Promise<T> {
  ms = Math.max(ms, HANG_GUARD_MS);
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

const HANG_GUARD_MS = 60_000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Number of root posts per channel for a request id (found in the message text). */
export function postsFor(posts: SimPost[], requestId: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of posts) if (p.message.includes(requestId)) out.set(p.channel_id, (out.get(p.channel_id) ?? 0) + 1);
  return out;
}
