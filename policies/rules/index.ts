/** The rule pack: every rule, in id order. A new rule is one file plus one line here. */
import { PolicyRule, RuleMeta } from '../types';
import { privilegedDualApproval } from './da-001-privileged-dual-approval';
import { thresholdReachable } from './da-002-threshold-reachable';
import { noSelfApproval } from './da-003-no-self-approval';
import { noStandingPrivilege } from './da-004-no-standing-privilege';
import { accessPluginLeastPrivilege } from './da-005-access-plugin-least-privilege';
import { impersonationExact } from './da-006-impersonation-exact';
import { privilegedNoWildcards } from './da-007-privileged-no-wildcards';
import { privilegedSessionTtl } from './da-008-privileged-session-ttl';
import { noSecrets } from './da-009-no-secrets';
import { validResource } from './da-010-valid-resource';
import { referencesResolve } from './da-011-references-resolve';

export const RULES: readonly PolicyRule[] = [
  privilegedDualApproval,
  thresholdReachable,
  noSelfApproval,
  noStandingPrivilege,
  accessPluginLeastPrivilege,
  impersonationExact,
  privilegedNoWildcards,
  privilegedSessionTtl,
  noSecrets,
  validResource,
  referencesResolve,
];

export function ruleMeta(rule: PolicyRule): RuleMeta {
  const { check: _check, ...meta } = rule;
  void _check;
  return meta;
}
