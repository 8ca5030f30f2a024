/**
 * The sandbox: the guide's world on loopback, for trying the real commands without a real server.
 *
 * startSandbox() starts the Teleport (mTLS gRPC) and Mattermost (HTTP API v4) simulators on 127.0.0.1 with the
 * guide's people (bob requests, alice and ivan review), synthesizes the built-in stack pointed at them, and
 * writes into one directory everything the commands need: the stack, the relay's TOML, identity files and the
 * Mattermost admin token (files 0600; no secret is ever printed). `dualauth sandbox` prints the commands
 * (sandboxCommands) and runs until Ctrl-C; `npm run demo` is a scripted run of the same sandbox.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { createDualAuthApp } from '../constructs';
import { renderPluginToml } from '../constructs/plugin-config';
import type { TeleportResource } from '../model';
import { startMattermostSimulator, type MattermostSimulator } from '../simulators/mattermost';
import { startTeleportSimulator, type TeleportSimulator } from '../simulators/teleport';
import { GuideStack } from '../stacks/guide-stack';
import { DEFAULT_SETTINGS, type GuideSettings } from '../stacks/settings';

export const SANDBOX_FILE = 'sandbox.json';
export const STACK_ID = 'dual-authorization';
/** The public channel the sandbox's stack names as a recipient: `mattermost apply` puts the bot into it. */
export const SANDBOX_CHANNEL = 'access-requests';
const PEOPLE = ['bob', 'alice', 'ivan'] as const;
const DRIFT_READER = 'drift-reader';

export interface SandboxOptions {
  /** Directory for the files (created if missing). */
  dir: string;
  /** Loopback ports; 0 (default) picks free ones. */
  teleportPort?: number;
  mattermostPort?: number;
}

/** What `dualauth sandbox` writes to sandbox.json: where everything is, never a secret value. */
export interface SandboxInfo {
  dir: string;
  teleportAddr: string;
  mattermostUrl: string;
  teamName: string;
  channel: string;
  stackDir: string;
  botFile: string;
  relayConfig: string;
  /** Where `mattermost apply --token-out` writes the bot token, which the relay config reads. */
  botTokenFile: string;
  adminTokenFile: string;
  /** Teleport user -> identity file (bob@example.com, alice@..., ivan@..., access-plugin, drift-reader). */
  identities: Record<string, string>;
  pid: number;
}

export interface Sandbox {
  readonly info: SandboxInfo;
  /** "kind name" of every Teleport resource of the stack, as seeded. */
  readonly resources: string[];
  readonly teleport: TeleportSimulator;
  readonly mattermost: MattermostSimulator;
  /** Stops both simulators; the directory is left to the caller. */
  close(): Promise<void>;
}

/** The drift identity's role, as the README's "The drift identity" section gives it. */
function driftReader(): TeleportResource[] {
  return [
    { kind: 'role', version: 'v7', metadata: { name: DRIFT_READER }, spec: { allow: { rules: [{ resources: ['role', 'user'], verbs: ['list', 'read'] }] } } },
    { kind: 'user', version: 'v2', metadata: { name: DRIFT_READER }, spec: { roles: [DRIFT_READER] } },
  ] as unknown as TeleportResource[];
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const dir = resolve(opts.dir);
  // a previous run's bot token belongs to a server that is gone, and apply never overwrites a token file
  rmSync(join(dir, 'mattermost-bot.token'), { force: true });
  mkdirSync(join(dir, 'identities'), { recursive: true });
  const teleport = await startTeleportSimulator({ clusterName: 'teleport.example.com', port: opts.teleportPort ?? 0 });
  let mattermost: MattermostSimulator | undefined;
  try {
    mattermost = await startMattermostSimulator({ port: opts.mattermostPort ?? 0 });
    const settings: GuideSettings = {
      ...DEFAULT_SETTINGS,
      teleportAddr: teleport.addr,
      mattermostUrl: mattermost.url,
      recipients: [`${DEFAULT_SETTINGS.teamName}/${SANDBOX_CHANNEL}`],
      // the plugin's TOML comes from the deployment construct; nothing is deployed (no cdktf deploy here)
      kubernetes: true,
      applyBot: false,
    };
    const outdir = join(dir, 'cdktf.out');
    const da = createDualAuthApp({ outdir });
    const stack = new GuideStack(da.app, STACK_ID, settings);
    da.synth();
    const stackDir = join(outdir, 'stacks', STACK_ID);
    const stackResources = stack.teleportResources().map((c) => c.toResource());
    teleport.seed([...stackResources, ...driftReader()]);

    // Mattermost before the guide's Step 1: an admin, the team with its people and a channel; no bot yet.
    const admin = mattermost.addUser({ username: 'admin', email: 'admin@example.com', roles: ['system_user', 'system_admin'] });
    const team = mattermost.addTeam({ name: settings.teamName, displayName: 'My Team' });
    mattermost.addTeamMember(team.id, admin.id);
    const channel = mattermost.addChannel({ team: team.name, name: SANDBOX_CHANNEL, displayName: 'Access Requests' });
    mattermost.addChannelMember(channel.id, admin.id);
    for (const name of PEOPLE) {
      const u = mattermost.addUser({ username: name, email: `${name}@example.com`, firstName: name[0]!.toUpperCase() + name.slice(1) });
      mattermost.addTeamMember(team.id, u.id);
      mattermost.addChannelMember(channel.id, u.id);
    }
    const adminTokenFile = join(dir, 'mattermost-admin.token');
    writeSecret(adminTokenFile, mattermost.issueToken(admin.id, { kind: 'access_token', description: 'sandbox admin' }));

    const identities: Record<string, string> = {};
    for (const user of [...PEOPLE.map((p) => `${p}@example.com`), stack.plugin.user.teleportName, DRIFT_READER]) {
      const file = join(dir, 'identities', `${user.replace(/@.*/, '')}.identity`);
      await teleport.writeIdentity(user, file);
      chmodSync(file, 0o600);
      identities[user] = file;
    }

    // The relay's TOML: the recipients the stack's deployment construct wrote, with local paths.
    const deployed = parseToml(stack.pluginDeployment?.configToml ?? '') as { role_to_recipients?: Record<string, string[]> };
    const botTokenFile = join(dir, 'mattermost-bot.token');
    const relayConfig = join(dir, 'teleport-mattermost.toml');
    writeFileSync(
      relayConfig,
      renderPluginToml({
        teleport: { addr: teleport.addr, identity: identities[stack.plugin.user.teleportName], refreshIdentity: true },
        mattermost: { url: mattermost.url, token: botTokenFile },
        roleToRecipients: deployed.role_to_recipients ?? {},
        log: { output: 'stderr', severity: 'info' },
        relay: { listenAddr: '127.0.0.1:0' },
      }),
    );

    const info: SandboxInfo = {
      dir,
      teleportAddr: teleport.addr,
      mattermostUrl: mattermost.url,
      teamName: team.name,
      channel: `${team.name}/${SANDBOX_CHANNEL}`,
      stackDir,
      botFile: join(stackDir, 'mattermost-bot.json'),
      relayConfig,
      botTokenFile,
      adminTokenFile,
      identities,
      pid: process.pid,
    };
    writeFileSync(join(dir, SANDBOX_FILE), `${JSON.stringify(info, null, 2)}\n`);
    const mm = mattermost;
    const resources = stackResources.map((r) => `${r.kind} ${r.metadata.name}`);
    return { info, resources, teleport, mattermost: mm, close: async () => void (await Promise.all([teleport.close(), mm.close()])) };
  } catch (err) {
    await Promise.all([teleport.close(), mattermost?.close()]);
    throw err;
  }
}

function writeSecret(file: string, value: string): void {
  writeFileSync(file, value, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Single-quoted for a POSIX shell when needed. */
function sh(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The walkthrough `dualauth sandbox` prints: the three commands, then how to request and review. */
export function sandboxCommands(info: SandboxInfo, cmd = 'npx dualauth'): string[] {
  const d = sh(info.dir);
  return [
    `Teleport (gRPC, mTLS)  ${info.teleportAddr}   users bob@example.com (devops), alice@example.com and ivan@example.com (dbreviewer)`,
    `Mattermost (API v4)    ${info.mattermostUrl}   team ${info.teamName}, channel ${info.channel}, admin token in ${info.adminTokenFile}`,
    `Files                  ${info.dir} (stack in ${info.stackDir})`,
    '',
    'In another terminal:',
    `  export MATTERMOST_TOKEN="$(cat ${sh(info.adminTokenFile)})"`,
    '  # 1. the bot: create it, join its team and the channel, mint its token for the relay',
    `  ${cmd} mattermost apply --bot ${sh(info.botFile)} --url ${info.mattermostUrl} --create-token --token-out ${sh(info.botTokenFile)}`,
    '  # 2. the relay (Ctrl-C stops it)',
    `  ${cmd} relay start --config ${sh(info.relayConfig)}`,
    '  # 3. drift: the stack against the live Teleport and the bot (exit 0: in sync)',
    `  ${cmd} drift ${sh(info.stackDir)} --teleport-addr ${info.teleportAddr} --identity ${sh(info.identities[DRIFT_READER] ?? '')} --mattermost-url ${info.mattermostUrl} --ignore ${DRIFT_READER}`,
    '',
    'Then, as the guide (a tsh-like helper: the same gRPC calls tsh makes, with each person\'s identity):',
    `  ${cmd} sandbox request --dir ${d} --user bob@example.com --roles dbadmin --reason "Rotate the prod DB password"`,
    `  ${cmd} sandbox review --dir ${d} --user alice@example.com --approve REQUEST_ID`,
    `  ${cmd} sandbox review --dir ${d} --user ivan@example.com --approve REQUEST_ID`,
    `  ${cmd} sandbox requests --dir ${d}`,
  ];
}
