/**
 * The review: load head (and base), run the rule pack over each, locate and fingerprint findings, apply
 * suppressions, mark findings new or existing, and compute the privilege diff.
 */
import { createHash } from 'crypto';
import { performance } from 'perf_hooks';
import { kindModel, TeleportResource } from '../model';
import type { AccessAnalysis, AccessPath } from '../model/access-paths';
import { modelRuleContext, runRules } from '../model/rules';
import { PolicyConfig, PolicyConfigInput, resolveConfig } from '../model/rules/config';
import { parseFieldPath } from './field-path';
import { LoadedInput, LoadedResource, loadInput } from './load-input';
import { PolicyIndex } from '../model/rules/policy-index';
import { PrivilegeView } from '../model/rules/privileges';
import { diffPrivileges, PrivilegeChange } from './privilege-diff';
import { diffPeople } from './privilege-diff-people';
import { RULES, ruleMeta } from './rules';
import { shapeProblems } from './schemas';
import { applySuppressions } from './suppressions';
import { Finding, PolicyRule, RawFinding, RuleContext, RuleMeta, Severity, SEVERITIES, SuppressionStatus, Validity } from './types';

export const TOOL_NAME = 'dualauth-review';
export const TOOL_VERSION: string = (require('../package.json') as { version: string }).version;

export interface ReviewOptions {
  /** Stack output directories or Teleport YAML files of the change (head). */
  paths: readonly string[];
  /** The same for the target branch; the review then reports what changed. */
  basePaths?: readonly string[];
  /** Extra suppression files (JSON or YAML, {suppressions: [...]}) applied to head and base. */
  suppressionFiles?: readonly string[];
  config?: PolicyConfigInput;
  /** Rule pack (default: all rules). */
  rules?: readonly PolicyRule[];
  /** Clock for suppression expiry (default: now). */
  now?: Date;
  cwd?: string;
}

export interface Evaluation {
  findings: Finding[];
  suppressions: SuppressionStatus[];
  index: PolicyIndex;
  privileges: PrivilegeView;
  /** The two-person analysis (computed on first use; DA-012 uses it). */
  access(): AccessAnalysis;
}

export interface ReviewResult {
  tool: { name: string; version: string };
  rules: RuleMeta[];
  config: PolicyConfig;
  /** Head findings, most severe first; suppressed ones included (marked). */
  findings: Finding[];
  /** With a base: unsuppressed base findings that the change removes. */
  fixed: Finding[];
  suppressions: SuppressionStatus[];
  /** With a base: what the change does to who can do what. */
  privilegeChanges: PrivilegeChange[];
  hasBase: boolean;
  /** Per privileged role of the head: the fewest people any path needs, and the cheapest paths (for the graph). */
  access: AccessSummary[];
  stats: { files: string[]; baseFiles: string[]; roles: number; users: number };
}

function fingerprint(ruleId: string, f: RawFinding): string {
  return createHash('sha256')
    .update([ruleId, f.resource ?? f.file ?? '', f.field ?? '', f.key ?? f.message].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.message.localeCompare(b.message)
  );
}

/**
 * The model's problems for a resource (ajv schema + Teleport's rules). Only when it has some do we run the
 * looser type check: a resource the model's closed schema accepts has the types the rules rely on.
 */
function checkValidity(lr: LoadedResource): Validity {
  let problems: Validity['problems'];
  try {
    problems = kindModel(lr.resource.kind)?.problems(lr.resource) ?? [];
  } catch {
    problems = [];
    return { problems, shape: shapeProblems(lr.resource.kind, lr.resource).concat(['(the model could not check this resource)']) };
  }
  return { problems, shape: problems.length > 0 ? shapeProblems(lr.resource.kind, lr.resource) : [] };
}

function locate(raw: RawFinding, byKey: Map<string, LoadedResource>): { file: string; line: number } {
  if (raw.file) return { file: raw.file, line: raw.line ?? 1 };
  const lr = raw.resource ? byKey.get(raw.resource) : undefined;
  if (!lr) return { file: '(unknown)', line: 1 };
  return { file: lr.file, line: raw.field ? lr.lineOf(parseFieldPath(raw.field)) : lr.line };
}

/** Runs the rules over one loaded input and applies its suppressions. */
export function evaluate(input: LoadedInput, config: PolicyConfig, rules: readonly PolicyRule[] = RULES, now = new Date(), timings?: Record<string, number>): Evaluation {
  let mark = performance.now();
  const lap = (what: string) => {
    const t = performance.now();
    if (timings) timings[what] = (timings[what] ?? 0) + (t - mark);
    mark = t;
  };
  const byKey = new Map<string, LoadedResource>();
  const validity = new Map<string, Validity>();
  const readable: TeleportResource[] = [];
  for (const lr of input.resources) {
    byKey.set(lr.key, lr);
    const v = checkValidity(lr);
    validity.set(lr.key, v);
    if (v.shape.length > 0) continue; // DA-010 reports it; the other rules could not read it safely
    readable.push(lr.resource);
  }
  lap('validity (schemas)');
  // the same context and runner synthesis uses (model/rules/context.ts)
  const ctx: RuleContext = { ...modelRuleContext(readable, config), input, validity };
  lap('index and privilege view');
  const findings: Finding[] = [];
  for (const raw of runRules(rules, ctx, (rule) => lap(rule.id))) {
    const at = locate(raw, byKey);
    const constructPath = raw.resource ? byKey.get(raw.resource)?.constructPath : undefined;
    findings.push({
      ruleId: raw.ruleId,
      severity: raw.severity,
      message: raw.message,
      ...(raw.resource !== undefined ? { resource: raw.resource } : {}),
      ...(raw.field !== undefined ? { field: raw.field } : {}),
      ...(raw.key !== undefined ? { key: raw.key } : {}),
      file: at.file,
      line: at.line,
      ...(constructPath ? { constructPath } : {}),
      fingerprint: fingerprint(raw.ruleId, raw),
    });
  }
  findings.sort(compareFindings);
  const suppressions = applySuppressions(findings, input.suppressions, now);
  lap('suppressions');
  return { findings, suppressions, index: ctx.index, privileges: ctx.privileges, access: ctx.access };
}

export interface AccessSummary {
  role: string;
  minPeople: number | null;
  requiredPeople: number;
  /** Paths needing the fewest people (at most 12 distinct ways, for the report's graph). */
  paths: AccessPath[];
}

function summarizeAccess(a: AccessAnalysis): AccessSummary[] {
  return [...a.roles.values()].map((ra) => ({ role: ra.role, minPeople: ra.minPeople, requiredPeople: a.requiredPeople, paths: ra.paths.slice(0, 50) }));
}

/** Reviews inputs already loaded (used by review() and the benchmark). */
export function reviewInputs(head: LoadedInput, base: LoadedInput | undefined, opts: Omit<ReviewOptions, 'paths' | 'basePaths' | 'suppressionFiles' | 'cwd'> = {}): ReviewResult {
  const config = resolveConfig(opts.config);
  const rules = opts.rules ?? RULES;
  const now = opts.now ?? new Date();
  const h = evaluate(head, config, rules, now);
  let fixed: Finding[] = [];
  let privilegeChanges: PrivilegeChange[] = [];
  if (base) {
    const b = evaluate(base, config, rules, now);
    const before = new Set(b.findings.map((f) => f.fingerprint));
    const after = new Set(h.findings.map((f) => f.fingerprint));
    for (const f of h.findings) f.baseline = before.has(f.fingerprint) ? 'existing' : 'new';
    fixed = b.findings.filter((f) => !f.suppressed && !after.has(f.fingerprint));
    privilegeChanges = [
      // the two-person numbers first: they are what the change does to the rule
      ...diffPeople(b.access(), h.access()),
      ...diffPrivileges(b.privileges, h.privileges, {
        isPrivileged: (r) => h.index.isPrivileged(r) || b.index.isPrivileged(r),
      }),
    ];
  }
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    rules: rules.map(ruleMeta),
    config,
    findings: h.findings,
    fixed,
    suppressions: h.suppressions,
    privilegeChanges,
    hasBase: !!base,
    access: summarizeAccess(h.access()),
    stats: {
      files: head.files.map((f) => f.path),
      baseFiles: base?.files.map((f) => f.path) ?? [],
      roles: head.resources.filter((r) => r.resource.kind === 'role').length,
      users: head.resources.filter((r) => r.resource.kind === 'user').length,
    },
  };
}

/** Loads PATHs (and --base PATHs) and reviews them. Throws InputError (exit 2) on bad input. */
export function review(options: ReviewOptions): ReviewResult {
  const cwd = options.cwd ?? process.cwd();
  const head = loadInput(options.paths, { cwd, suppressionFiles: options.suppressionFiles });
  const base = options.basePaths && options.basePaths.length > 0 ? loadInput(options.basePaths, { cwd, suppressionFiles: options.suppressionFiles, what: 'base path' }) : undefined;
  return reviewInputs(head, base, options);
}

/** Findings that decide the exit code: unsuppressed, at or above `failOn` (and new, with newOnly). */
export function failingFindings(result: ReviewResult, failOn: Severity = 'error', newOnly = false): Finding[] {
  const limit = SEVERITIES.indexOf(failOn);
  return result.findings.filter((f) => !f.suppressed && SEVERITIES.indexOf(f.severity) <= limit && (!newOnly || f.baseline !== 'existing'));
}

/** 0 clean, 1 findings at or above `failOn`. (2, bad input, comes from InputError.) */
export function exitCodeFor(result: ReviewResult, failOn: Severity = 'error', newOnly = false): 0 | 1 {
  return failingFindings(result, failOn, newOnly).length > 0 ? 1 : 0;
}
