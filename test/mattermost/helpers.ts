import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MattermostBotSpec } from '../../mattermost-bot/bot-spec';
import {
  startMattermostSimulator,
  type MattermostSimulator,
  type SimTeam,
  type SimUser,
  type StartMattermostSimulatorOptions,
} from '../../simulators/mattermost';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface Seeded {
  sim: MattermostSimulator;
  admin: SimUser;
  adminToken: string;
  team: SimTeam;
}

/** A server with one System Admin (holding a session token) and one open team, "myteam". */
export async function seededServer(opts: StartMattermostSimulatorOptions = {}): Promise<Seeded> {
  const sim = await startMattermostSimulator(opts);
  const admin = sim.addUser({ username: 'root', email: 'root@example.com', roles: ['system_user', 'system_admin'] });
  const adminToken = sim.issueToken(admin.id);
  const team = sim.addTeam({ name: 'myteam', displayName: 'My Team' });
  sim.addTeamMember(team.id, admin.id);
  return { sim, admin, adminToken, team };
}

export function botSpec(overrides: Partial<MattermostBotSpec> = {}): MattermostBotSpec {
  return {
    apiVersion: 'dualauth.dev/v1',
    kind: 'MattermostBot',
    username: 'teleport',
    displayName: 'Teleport',
    description: 'Teleport Access Request notifications',
    teams: ['myteam'],
    roles: ['system_user', 'system_post_all'],
    token: { description: 'teleport-mattermost plugin' },
    ...overrides,
  };
}

/** A fresh directory, removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dualauth-mm-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeTemp(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Methods that change server state; a no-op apply must send none of them. */
export function writeRequests(sim: MattermostSimulator) {
  return sim.requests().filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI entry (bin/dualauth.js) with only the given environment (plus PATH/HOME). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...env })) {
      if (v !== undefined) childEnv[k] = v; // spawn would pass undefined as the string "undefined"
    }
    const child = spawn(process.execPath, ['bin/dualauth.js', ...args], {
      cwd: REPO_ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export async function api(sim: MattermostSimulator, token: string | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${sim.url}/api/v4${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type');
  const json = contentType === 'application/json' && text !== '' ? (JSON.parse(text) as Record<string, unknown>) : null;
  return { status: res.status, headers: res.headers, text, json, contentType };
}

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', () => resolvePromise()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  return port;
}
