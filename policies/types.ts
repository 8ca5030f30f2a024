/**
 * Shared shapes of the policy review: rules, findings, suppressions. A rule is metadata plus a pure
 * `check` over the loaded model; review.ts turns its raw findings into located, fingerprinted ones.
 */
import type { LoadedInput } from './load-input';
import type { ModelRule, ModelRuleContext } from '../model/rules/types';

export { CONTROL_TITLES, SEVERITIES } from '../model/rules/types';
export type { Control, RawFinding, Severity } from '../model/rules/types';
import type { Severity } from '../model/rules/types';

/** Per resource (by `kind/name`): the model's problems, and type problems that keep it out of the meaning checks. */
export interface Validity {
  problems: { field: string; message: string }[];
  shape: string[];
}

/** The review's context: the model rules' context plus the files read and each resource's validity. */
export interface RuleContext extends ModelRuleContext {
  input: LoadedInput;
  validity: ReadonlyMap<string, Validity>;
}

/** A review rule: a model rule (shared with synthesis) or one that reads files (secrets, validity). */
export type PolicyRule = ModelRule<RuleContext>;

export type RuleMeta = Omit<PolicyRule, 'check'>;

/** A suppression as written in policy-suppressions.json, a --suppressions file, or on a construct. */
export type { Suppression } from '../model/suppression';
import type { Suppression } from '../model/suppression';

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  resource?: string;
  field?: string;
  key?: string;
  file: string;
  line: number;
  /** The construct that declared the resource (e.g. dual-authorization/DbAdmin/Requester), when known. */
  constructPath?: string;
  /** Stable across line moves and message rewording: rule, resource, field, key. */
  fingerprint: string;
  /** Present when an active (unexpired) suppression covers the finding. */
  suppressed?: Suppression;
  /** Present when only an expired suppression covered it: the finding counts again. */
  expiredSuppression?: Suppression;
  /** With --base: whether the finding was already there. */
  baseline?: 'new' | 'existing';
}

export interface SuppressionStatus {
  suppression: Suppression;
  expired: boolean;
  /** Findings it matched (suppressed, or counted again if expired). */
  matched: number;
}
