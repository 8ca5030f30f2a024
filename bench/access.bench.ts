/**
 * Benchmark of the two-person analysis on the benchmark organisation (bench/org.ts: 1,000 roles, 10,000
 * users), with a few of every path mixed in (access lists, a role editor, impersonation, a bot, a
 * connector, an automatic review). Prints what the analysis adds to the review (target < 0.5 s) and its
 * cost at 2,500 .. 20,000 users for the same roles (target: no faster than linear). Asserts nothing.
 *   node --import tsx bench/access.bench.ts
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import { RoleResource, TeleportResource, UserResource } from '../model';
import { analyzeAccess } from '../model/access-paths';
import { resolveConfig } from '../model/rules';
import { inputFromResources } from '../policies/load-input';
import { evaluate } from '../policies/review';
import { RULES } from '../policies/rules';
import { generateOrg } from './org';

/** The organisation plus one resource of each path kind (in team 0 .. 3). */
function organisation(users: number): TeleportResource[] {
  const org = generateOrg({ roles: 1000, users });
  const extra: TeleportResource[] = [
    { kind: 'role', version: 'v5', metadata: { name: 'role-editor' }, spec: { allow: { rules: [{ resources: ['role'], verbs: ['update'], where: 'resource.metadata.name == "extra-999"' }] } } } as RoleResource,
    { kind: 'role', version: 'v5', metadata: { name: 'imp-reviewer' }, spec: { allow: { impersonate: { users: ['user0@example.com'], roles: ['team0-reviewer'] } } } } as RoleResource,
    { kind: 'access_list', version: 'v1', metadata: { name: 'oncall' }, spec: { owners: [{ name: 'user2@example.com' }], grants: { roles: ['team2-admin'] } } },
    { kind: 'bot', version: 'v1', metadata: { name: 'ci' }, spec: { roles: ['team3-dev'] } },
    { kind: 'github', version: 'v3', metadata: { name: 'github' }, spec: { teams_to_roles: [{ organization: 'acme', team: 'sre', roles: ['team3-admin'] }] } },
    { kind: 'access_monitoring_rule', version: 'v1', metadata: { name: 'auto' }, spec: { subjects: ['access_request'], condition: 'access_request.spec.roles.contains("team4-admin")', desired_state: 'reviewed', automatic_review: { integration: 'builtin', decision: 'APPROVED' } } },
  ];
  for (let i = 0; i < 100; i++) extra.push({ kind: 'access_list_member', version: 'v1', metadata: { name: `m${i}` }, spec: { access_list: 'oncall', name: `user${1000 + i}@example.com` } });
  const out = org.map((r) => {
    if (r.kind !== 'user') return r;
    const n = Number(r.metadata.name.slice(4).split('@')[0]);
    if (n === 1000) return { ...r, spec: { roles: [...(r.spec.roles ?? []), 'role-editor'] } } as UserResource;
    if (n === 1001) return { ...r, spec: { roles: [...(r.spec.roles ?? []), 'imp-reviewer'] } } as UserResource;
    return r;
  });
  return [...out, ...extra];
}

/** Best of `runs`: wall time and CPU time (the machine may be shared; CPU time is the steadier number). */
function best<T>(runs: number, f: () => T): { value: T; ms: number; cpu: number } {
  let value!: T;
  let ms = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = f();
    ms = Math.min(ms, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { value, ms, cpu };
}

function main(): void {
  const config = resolveConfig();
  const org = organisation(10_000);
  const input = inputFromResources(org, 'org.yaml');
  const withoutRules = RULES.filter((r) => r.id !== 'DA-012' && r.id !== 'DA-013');
  const without = best(3, () => evaluate(input, config, withoutRules));
  const withAnalysis = best(3, () => {
    const e = evaluate(input, config, RULES);
    e.access();
    return e;
  });
  const roles = org.filter((r) => r.kind === 'role').length;
  const users = org.filter((r) => r.kind === 'user').length;
  console.log(`organisation: ${roles} roles, ${users} users, ${org.length - roles - users} other resources; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
  const row = (what: string, wall: number, cpu: number, note = '') => console.log(`${what.padEnd(52)} ${`${wall.toFixed(0)} ms`.padStart(8)} wall ${`${cpu.toFixed(0)} ms`.padStart(8)} cpu  ${note}`);
  row('review rules without the analysis (DA-012/013 off)', without.ms, without.cpu);
  row('review rules with the analysis', withAnalysis.ms, withAnalysis.cpu);
  row('the analysis adds', withAnalysis.ms - without.ms, withAnalysis.cpu - without.cpu, 'target < 500 ms');
  const a = withAnalysis.value.access();
  const below = [...a.roles.values()].filter((r) => (r.minPeople ?? Infinity) < a.requiredPeople).map((r) => `${r.role} (${r.minPeople})`);
  console.log(`privileged roles: ${a.roles.size}; below ${a.requiredPeople} people: ${below.slice(0, 8).join(', ') || 'none'}${below.length > 8 ? ` and ${below.length - 8} more` : ''}; DA-012 findings: ${withAnalysis.value.findings.filter((f) => f.ruleId === 'DA-012').length}`);

  console.log('\nanalysis alone, 1,000 roles, growing users (best of 3):');
  const privileged = new Map([...a.roles.values()].map((r) => [r.role, r.reason]));
  let first: number | undefined;
  for (const n of [2_500, 5_000, 10_000, 20_000]) {
    const rs = organisation(n);
    const m = best(5, () => analyzeAccess(rs, { privileged, minApprovals: 2 }));
    const perUser = (m.cpu * 1000) / n;
    first ??= perUser;
    console.log(`  ${String(n).padStart(6)} users  ${m.ms.toFixed(0).padStart(6)} ms wall  ${m.cpu.toFixed(0).padStart(6)} ms cpu  ${perUser.toFixed(1).padStart(6)} µs cpu/user  (x${(perUser / first).toFixed(2)} per user vs 2,500)`);
  }
}

if (require.main === module) main();
