/**
 * Drift over 11,000 resources (1,000 roles + 10,000 users) through the Teleport simulator: the full
 * `runDrift` (read the stack, connect, one gRPC list per kind, normalise, diff), with no drift and with 1%
 * of resources edited out of band. Target: < 3 s. The simulator serves from the same process, so its own
 * encoding time is included in the numbers (a real Auth server would do that work elsewhere).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resourcesToYaml, RoleResource, TeleportResource, UserResource } from '../model';
import { runDrift } from '../drift/run';
import { readDesiredStack } from '../drift/desired';
import { compareTeleport } from '../drift/teleport';
import { ignoreMatcher } from '../drift/unmanaged';
import { connectTeleport } from '../teleport-client/client';
import { startTeleportSimulator } from '../simulators/teleport';
import { generateOrg } from './org';

const TARGET_MS = 3000;

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const org = generateOrg({ roles: 1000, users: 10000 });
  const reader: RoleResource = { kind: 'role', version: 'v7', metadata: { name: 'drift-reader' }, spec: { allow: { rules: [{ resources: ['role', 'user'], verbs: ['list', 'read'] }] } } };
  const sim = await startTeleportSimulator({ resources: [...org, reader] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-drift-bench-'));
  const stackDir = path.join(dir, 'stack');
  fs.mkdirSync(stackDir);
  fs.writeFileSync(path.join(stackDir, 'teleport.yaml'), resourcesToYaml(org));
  const identityFile = path.join(dir, 'reader.identity');
  await sim.writeIdentity('drift-reader', ['drift-reader'], identityFile);
  const options = { stackDir, teleport: { kind: 'grpc' as const, addr: sim.addr, identityFile }, ignore: ['role/drift-reader'], terraform: false };

  const roles = org.filter((r) => r.kind === 'role').length;
  console.log(`resources: ${org.length} (${roles} roles, ${org.length - roles} users)`);

  // Warm-up (module loading, TLS session, JIT), not counted.
  await runDrift(options);

  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    const r = await runDrift(options);
    times.push(ms(t));
    if (r.exitCode !== 0) throw new Error(`expected no drift, got exit ${r.exitCode}`);
  }
  const best = Math.min(...times);
  console.log(`full drift, no drift:        ${times.map((t) => t.toFixed(0)).join(' / ')} ms (best ${best.toFixed(0)} ms; target < ${TARGET_MS} ms: ${best < TARGET_MS ? 'met' : 'MISSED'})`);

  // Phases, measured separately.
  let t = process.hrtime.bigint();
  const desired = await readDesiredStack(stackDir);
  const readMs = ms(t);
  t = process.hrtime.bigint();
  const client = await connectTeleport({ addr: sim.addr, identityFile });
  const [liveRoles, liveUsers] = await Promise.all([client.getRoles(), client.getUsers()]);
  client.close();
  const listMs = ms(t);
  t = process.hrtime.bigint();
  const cmp = compareTeleport(desired.teleport, { resources: [...liveRoles, ...liveUsers], kinds: ['role', 'user'], source: 'bench', notes: [] }, ignoreMatcher(['role/drift-reader']));
  const compareMs = ms(t);
  console.log(`  read stack (teleport.yaml):  ${readMs.toFixed(0)} ms`);
  console.log(`  gRPC ListRoles + ListUsers:   ${listMs.toFixed(0)} ms (${liveRoles.length} roles, ${liveUsers.length} users)`);
  console.log(`  normalise + diff:             ${compareMs.toFixed(0)} ms (${cmp.counts.inSync} in sync)`);

  // 1% drift: every 100th resource edited on the server.
  const edited = org.filter((_, i) => i % 100 === 0).map((r): TeleportResource => {
    if (r.kind === 'role') return { ...r, spec: { ...r.spec, options: { max_session_ttl: '2h' } } } as RoleResource;
    return { ...r, spec: { ...r.spec, roles: [...((r as UserResource).spec.roles ?? []), 'team0-admin'] } } as UserResource;
  });
  sim.seed(edited);
  t = process.hrtime.bigint();
  const drifted = await runDrift(options);
  const driftMs = ms(t);
  const changed = drifted.sections[0]!.counts.changed;
  console.log(`full drift, ${changed} changed (1%): ${driftMs.toFixed(0)} ms, exit ${drifted.exitCode}`);

  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
