/**
 * The resource rules synthesis and `dualauth review` share (the review adds file-level rules and
 * warnings: policies/rules/index.ts). A new shared rule is one file plus one line here.
 */
import { ModelRule } from './types';
import { privilegedDualApproval } from './da-001-privileged-dual-approval';
import { thresholdReachable } from './da-002-threshold-reachable';
import { noSelfApproval } from './da-003-no-self-approval';
import { noStandingPrivilege } from './da-004-no-standing-privilege';
import { accessPluginLeastPrivilege } from './da-005-access-plugin-least-privilege';
import { impersonationExact } from './da-006-impersonation-exact';
import { privilegedNoWildcards } from './da-007-privileged-no-wildcards';
import { noSinglePerson } from './da-012-no-single-person';
import { noAutomaticApproval } from './da-013-no-automatic-approval';

export const MODEL_RULES: readonly ModelRule[] = [
  privilegedDualApproval,
  thresholdReachable,
  noSelfApproval,
  noStandingPrivilege,
  accessPluginLeastPrivilege,
  impersonationExact,
  privilegedNoWildcards,
  noSinglePerson,
  noAutomaticApproval,
];

export * from './types';
export * from './config';
export { PolicyIndex } from './policy-index';
export { computePrivileges, summarizePlan } from './privileges';
export type { PrivilegeView, UserPrivileges, RequestPath } from './privileges';
export { modelRuleContext, runRules } from './context';
export type { RuleFinding } from './context';
export { decisiveStep } from './da-012-no-single-person';
