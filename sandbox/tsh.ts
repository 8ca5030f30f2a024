/**
 * A tsh-like helper for the sandbox: creates, reviews and lists access requests over the Teleport simulator's
 * real Auth gRPC API (CreateAccessRequestV2, SubmitAccessReview, GetAccessRequestsV2), each call made with the
 * person's own identity file, so the simulator's authorization applies as Teleport's would (bob may request
 * dbadmin for himself; only dbreviewer holders may review).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectTeleport, type TeleportClient } from '../teleport-client/client';
import type { AccessRequest } from '../teleport-client/convert';
import { SANDBOX_FILE, type SandboxInfo } from './sandbox';

export function readSandboxInfo(dir: string): SandboxInfo {
  const file = join(dir, SANDBOX_FILE);
  if (!existsSync(file)) throw new Error(`${file} not found: start the sandbox first (npx dualauth sandbox --dir ${dir})`);
  return JSON.parse(readFileSync(file, 'utf8')) as SandboxInfo;
}

/** "bob" and "bob@example.com" both name the guide's bob. */
function identityOf(info: SandboxInfo, user: string): { user: string; file: string } {
  const name = info.identities[user] ? user : `${user}@example.com`;
  const file = info.identities[name];
  if (!file) throw new Error(`no identity for ${JSON.stringify(user)} in the sandbox: use one of ${Object.keys(info.identities).join(', ')}`);
  return { user: name, file };
}

async function withClient<T>(info: SandboxInfo, identityFile: string, fn: (c: TeleportClient) => Promise<T>): Promise<T> {
  const client = await connectTeleport({ addr: info.teleportAddr, identityFile });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** `tsh request create --roles=... --reason=...` as `user`. */
export async function createRequest(info: SandboxInfo, user: string, roles: string[], reason?: string): Promise<AccessRequest> {
  const who = identityOf(info, user);
  return withClient(info, who.file, (c) => c.createAccessRequest({ user: who.user, roles, ...(reason ? { reason } : {}) }));
}

/** `tsh request review --approve|--deny --reason=... ID` as `user`. */
export async function reviewRequest(info: SandboxInfo, user: string, id: string, state: 'APPROVED' | 'DENIED', reason?: string): Promise<AccessRequest> {
  const who = identityOf(info, user);
  return withClient(info, who.file, (c) => c.submitAccessReview(id, { state, author: who.user, ...(reason ? { reason } : {}) }));
}

/** `tsh request ls`, read with the plugin's identity (which may list every request). */
export async function listRequests(info: SandboxInfo): Promise<AccessRequest[]> {
  const plugin = Object.entries(info.identities).find(([u]) => u === 'access-plugin')?.[1];
  if (!plugin) throw new Error('the sandbox has no access-plugin identity');
  return withClient(info, plugin, (c) => c.getAccessRequests());
}
