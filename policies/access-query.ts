/**
 * `dualauth access ROLE`: the two-person analysis for one role, read from the same inputs as the
 * review. Holders, requesters with the approvals they need, eligible reviewers, and every path that
 * needs fewer people than the policy wants, each with its witness located in the input (file:line).
 */
import { AccessPath, RoleAccess } from '../model/access-paths';
import { RoleResource } from '../model';
import { decisiveStep, PolicyConfigInput, privilegeReason, resolveConfig } from '../model/rules';
import { parseFieldPath } from './field-path';
import { InputError } from './input-error';
import { LoadedInput, loadInput } from './load-input';
import { evaluate } from './review';

export interface LocatedPath extends AccessPath {
  /** Where the decisive step is declared, e.g. `teleport.yaml:123`. */
  at: string;
}

export interface AccessQueryResult {
  role: string;
  reason: string;
  /** People the policy wants: the requester plus minApprovals reviewers. */
  requiredPeople: number;
  /** Fewest people any path needs (null: nobody can obtain the role). */
  minPeople: number | null;
  holders: LocatedPath[];
  requesters: { principal: string; approvals: number; people: number | null; via: string[] }[];
  reviewers: string[];
  /** Paths needing fewer people than required (all paths of --user when given). */
  paths: LocatedPath[];
  user?: string;
  /** True when one person alone can obtain the role (for --user: that user). */
  broken: boolean;
}

function locator(input: LoadedInput): (p: AccessPath) => string {
  const byKey = new Map(input.resources.map((r) => [r.key, r]));
  return (p) => {
    const s = decisiveStep(p);
    const lr = byKey.get(s.resource);
    if (!lr) return s.resource;
    return `${lr.file}:${s.field ? lr.lineOf(parseFieldPath(s.field)) : lr.line}`;
  };
}

export function queryAccess(opts: { paths: readonly string[]; role: string; user?: string; config?: PolicyConfigInput; cwd?: string }): AccessQueryResult {
  const input = loadInput(opts.paths, { cwd: opts.cwd ?? process.cwd() });
  if (!input.resources.some((r) => r.key === `role/${opts.role}`)) {
    throw new InputError(`role ${JSON.stringify(opts.role)} is not declared in ${opts.paths.join(', ')}: name a role of the input`);
  }
  const given = opts.config ?? {};
  // the role asked about is treated as privileged whatever the configuration says
  const base = resolveConfig(given);
  const declared = input.resources.find((r) => r.key === `role/${opts.role}`)!.resource as RoleResource;
  const config = privilegeReason(declared, base) ? base : resolveConfig({ ...given, privileged: { ...(given.privileged ?? {}), names: [...(given.privileged?.names ?? []), opts.role] } });
  const ev = evaluate(input, config, []);
  const analysis = ev.access();
  const ra = analysis.roles.get(opts.role) as RoleAccess;
  const at = locator(input);
  const located = (p: AccessPath): LocatedPath => ({ ...p, at: at(p) });
  if (opts.user !== undefined && !input.resources.some((r) => r.key === `user/${opts.user}` || r.key === opts.user)) {
    throw new InputError(`user ${JSON.stringify(opts.user)} is not declared in ${opts.paths.join(', ')}`);
  }
  const paths = opts.user !== undefined ? ra.paths.filter((p) => p.principal === opts.user) : ra.paths.filter((p) => p.people < analysis.requiredPeople);
  const broken = opts.user !== undefined ? paths.some((p) => p.people < 2) : (ra.minPeople ?? Infinity) < 2;
  return {
    role: ra.role,
    reason: ra.reason,
    requiredPeople: analysis.requiredPeople,
    minPeople: opts.user !== undefined ? (paths[0]?.people ?? null) : ra.minPeople,
    holders: ra.holders.map(located),
    requesters: ra.requesters.map((q) => ({ ...q })),
    reviewers: ra.reviewers,
    paths: paths.map(located),
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    broken,
  };
}
