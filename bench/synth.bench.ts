/**
 * Synthesis cost against plain serialization of the same resources to YAML and JSON, at 5,000, 11,000
 * (1,000 roles + 10,000 users) and 50,000 resources. Targets: ratio <= 2 at every size, and linear
 * growth (time at 50k <= 11x time at 5k). Prints numbers; asserts nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDualAuthApp, DualAuthStack, TeleportRole, TeleportUser } from '../constructs';
import { KINDS, resourcesToYaml, RoleResource, TeleportResource, UserResource } from '../model';
import { generateOrg } from './org';

const SIZES = [
  { label: '5k', roles: 500, users: 4500 },
  { label: '11k', roles: 1000, users: 10000 },
  { label: '50k', roles: 5000, users: 45000 },
];

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function serializeOnly(resources: TeleportResource[]): number {
  const t = process.hrtime.bigint();
  const yaml = resourcesToYaml(resources);
  const tf: Record<string, Record<string, unknown>> = { teleport_role: {}, teleport_user: {} };
  resources.forEach((r, i) => {
    tf[KINDS[r.kind]!.terraformType]![`r${i}`] = KINDS[r.kind]!.toTerraform(r);
  });
  const json = JSON.stringify({ resource: tf }, null, 2);
  void yaml.length;
  void json.length;
  return ms(t);
}

function synth(resources: TeleportResource[]): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-bench-'));
  const t = process.hrtime.bigint();
  const da = createDualAuthApp({ outdir: path.join(dir, 'cdktf.out') });
  const stack = new DualAuthStack(da.app, 'org', { teleportVersion: '15.4' });
  resources.forEach((r, i) => {
    if (r.kind === 'role') {
      const role = new TeleportRole(stack, `r${i}`, { name: r.metadata.name });
      const spec = (r as RoleResource).spec;
      role.addOverride('spec', spec);
    } else {
      new TeleportUser(stack, `u${i}`, { name: r.metadata.name, roles: (r as UserResource).spec.roles });
    }
  });
  da.synth();
  const elapsed = ms(t);
  fs.rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

const rows: { label: string; n: number; synth: number; serialize: number }[] = [];
for (const s of SIZES) {
  const resources = generateOrg({ roles: s.roles, users: s.users });
  // best of three: the first run pays for JIT warm-up
  const serialize = Math.min(serializeOnly(resources), serializeOnly(resources), serializeOnly(resources));
  const synthMs = synth(resources);
  rows.push({ label: s.label, n: resources.length, synth: synthMs, serialize });
  console.log(`synth ${s.label.padStart(4)} (${resources.length} resources): synth ${synthMs.toFixed(0)} ms, serialize ${serialize.toFixed(0)} ms, ratio ${(synthMs / serialize).toFixed(2)}`);
}
const first = rows[0]!;
const last = rows[rows.length - 1]!;
console.log(`synth growth 5k -> 50k: ${(last.synth / first.synth).toFixed(2)}x for ${(last.n / first.n).toFixed(1)}x resources (target <= 11x)`);
