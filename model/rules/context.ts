/**
 * The one rule runner shared by synthesis (constructs/dual-auth-stack.ts) and `dualauth review`
 * (policies/review.ts wraps it with locations, fingerprints and file-level rules): the same resources
 * give the same error findings in both.
 */
import { analyzeAccess, AccessAnalysis } from '../access-paths';
import { isRole, isUser, RoleResource, TeleportResource, UserResource } from '../resources';
import { PolicyConfig } from './config';
import { PolicyIndex } from './policy-index';
import { computePrivileges } from './privileges';
import { ModelRule, ModelRuleContext, RawFinding } from './types';

/** Builds the context every resource rule reads (the access analysis on first use). */
export function modelRuleContext(resources: readonly TeleportResource[], config: PolicyConfig): ModelRuleContext {
  const roles: RoleResource[] = [];
  const users: UserResource[] = [];
  for (const r of resources) {
    if (isRole(r)) roles.push(r);
    else if (isUser(r)) users.push(r);
  }
  const index = new PolicyIndex(roles, users, config);
  const privileges = computePrivileges(index);
  let access: AccessAnalysis | undefined;
  return {
    resources,
    index,
    privileges,
    config,
    access() {
      if (!access) {
        const privileged = new Map<string, string>();
        for (const r of index.privilegedRoles()) privileged.set(r.metadata.name, index.privilegeReason(r.metadata.name) ?? '');
        access = analyzeAccess(resources, { privileged, minApprovals: config.minApprovals });
      }
      return access;
    },
  };
}

export interface RuleFinding extends RawFinding {
  ruleId: string;
  severity: ModelRule['severity'];
}

/** Runs rules over a context; a rule that throws is reported, never passed silently. */
export function runRules<C extends ModelRuleContext>(rules: readonly ModelRule<C>[], ctx: C, after?: (rule: ModelRule<C>) => void): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const rule of rules) {
    let raws: RawFinding[];
    try {
      raws = rule.check(ctx);
    } catch (err) {
      raws = [{ message: `rule ${rule.id} could not be evaluated: ${(err as Error).message}`, key: 'rule-failure', file: '(review)', line: 1 }];
    }
    for (const raw of raws) out.push({ ...raw, ruleId: rule.id, severity: rule.severity });
    after?.(rule);
  }
  return out;
}
