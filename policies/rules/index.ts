/**
 * The rule pack, in id order: the model's resource rules (shared with synthesis, model/rules/index.ts)
 * and the review's own file-level rules and warnings. A new review-only rule is one file plus one line here.
 */
import { MODEL_RULES } from '../../model/rules';
import { PolicyRule, RuleMeta } from '../types';
import { privilegedSessionTtl } from './da-008-privileged-session-ttl';
import { noSecrets } from './da-009-no-secrets';
import { validResource } from './da-010-valid-resource';
import { referencesResolve } from './da-011-references-resolve';

export const RULES: readonly PolicyRule[] = [
  ...MODEL_RULES,
  privilegedSessionTtl,
  noSecrets,
  validResource,
  referencesResolve,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function ruleMeta(rule: PolicyRule): RuleMeta {
  const { check: _check, ...meta } = rule;
  void _check;
  return meta;
}
