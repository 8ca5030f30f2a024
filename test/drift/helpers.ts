/** Shared set-up for the drift tests: stack directories, a desired org, a Teleport simulator with a reader. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resourcesToYaml, RoleResource, TeleportResource, UserResource } from '../../model';
import type { MattermostBotSpec } from '../../mattermost-bot/bot-spec';
import { renderBotSpec } from '../../mattermost-bot/bot-spec';
import { connectTeleport, type TeleportClient } from '../../teleport-client/client';
import { startTeleportSimulator, type TeleportSimulator } from '../../simulators/teleport';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'dualauth.js');

export const role = (name: string, spec: RoleResource['spec'], version: RoleResource['version'] = 'v7'): RoleResource => ({ kind: 'role', version, metadata: { name }, spec });
export const user = (name: string, roles: string[], traits?: Record<string, string[]>): UserResource => ({
  kind: 'user',
  version: 'v2',
  metadata: { name },
  spec: { roles, ...(traits ? { traits } : {}) },
});

/** The repository's stack: the guide's dual-authorization roles plus fields the server fills defaults around. */
export function desiredOrg(): TeleportResource[] {
  return [
    role('access-plugin', { allow: { rules: [{ resources: ['access_request'], verbs: ['list', 'read'] }, { resources: ['access_plugin_data'], verbs: ['update'] }] } }, 'v5'),
    role('dbadmin', { allow: { logins: ['root', 'postgres'], node_labels: { env: 'prod', type: ['db'] } }, options: { max_session_ttl: '8h' } }),
    role('dbreviewer', { allow: { review_requests: { roles: ['dbadmin'] } } }),
    role('devops', { allow: { request: { roles: ['dbadmin'], thresholds: [{ approve: 2, deny: 1 }], max_duration: '7d' } } }),
    // The server adds kubernetes_resources (v7 wildcard), namespaces, options and record_session fields.
    role('kube-dev', { allow: { kubernetes_labels: { env: 'dev' }, kubernetes_groups: ['developers', 'viewers'] }, options: { record_session: { ssh: 'strict' } } }),
    role('auditor-lite', { allow: { rules: [{ resources: ['session', 'event'], verbs: ['read', 'list'] }] } }, 'v8'),
    user('access-plugin', ['access-plugin']),
    user('alice@example.com', ['devops'], { logins: ['alice', 'ubuntu'] }),
    user('bob@example.com', ['dbreviewer']),
    user('ivan@example.com', ['dbreviewer']),
  ];
}

export function tempDir(prefix = 'dualauth-drift-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A stack directory as synthesis writes it. */
export function writeStack(resources: readonly TeleportResource[], o: { bot?: MattermostBotSpec; terraform?: boolean; initialised?: boolean } = {}): string {
  const dir = tempDir('dualauth-stack-');
  writeFileSync(join(dir, 'teleport.yaml'), resourcesToYaml(resources));
  if (o.bot) writeFileSync(join(dir, 'mattermost-bot.json'), renderBotSpec(o.bot));
  if (o.terraform) writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: {} }));
  if (o.initialised) mkdirSync(join(dir, '.terraform'));
  return dir;
}

/** Roles the test harness itself needs on the cluster: an admin (to apply) and the drift reader. */
export const HARNESS_ROLES: RoleResource[] = [
  role('sim-admin', { allow: { rules: [{ resources: ['*'], verbs: ['*'] }] } }),
  // What the README tells users to create for the drift identity.
  role('drift-reader', { allow: { rules: [{ resources: ['role', 'user'], verbs: ['list', 'read'] }] } }),
];
export const HARNESS_IGNORES = ['role/sim-admin', 'role/drift-reader'];

export interface Cluster {
  sim: TeleportSimulator;
  admin: TeleportClient;
  readerIdentity: string;
  dir: string;
  close(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const sim = await startTeleportSimulator({ resources: HARNESS_ROLES });
  const dir = tempDir('dualauth-id-');
  const adminId = join(dir, 'admin.identity');
  const readerIdentity = join(dir, 'reader.identity');
  await sim.writeIdentity('sim-admin', ['sim-admin'], adminId);
  await sim.writeIdentity('drift-reader', ['drift-reader'], readerIdentity);
  const admin = await connectTeleport({ addr: sim.addr, identityFile: adminId });
  return {
    sim,
    admin,
    readerIdentity,
    dir,
    async close() {
      admin.close();
      await sim.close();
    },
  };
}

/** `tctl create -f` over the wire: upsert every role, then every user, as the admin. */
export async function apply(admin: TeleportClient, resources: readonly TeleportResource[]): Promise<void> {
  for (const r of resources) if (r.kind === 'role') await admin.upsertRole(r);
  for (const r of resources) {
    if (r.kind !== 'user') continue;
    await admin.createUser(r).catch(async () => admin.updateUser(r));
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/dualauth.js drift … in a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, 'drift', ...args], { cwd: REPO_ROOT, env: { ...process.env, MATTERMOST_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
