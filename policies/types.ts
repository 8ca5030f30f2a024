/**
 * Shared shapes of the policy review: rules, findings, suppressions. A rule is metadata plus a pure
 * `check` over the loaded model; review.ts turns its raw findings into located, fingerprinted ones.
 */
import type { PolicyConfig } from './config';
import type { PolicyIndex } from './policy-index';
import type { PrivilegeView } from './privileges';
import type { LoadedInput } from './load-input';

export type Severity = 'error' | 'warning' | 'note';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/**
 * NIST 800-53 controls the rules serve (FedRAMP): AC-3 access enforcement (dual authorization is AC-3(2)),
 * AC-5 separation of duties, AC-6 least privilege; IA-5 authenticator management for the secret scan.
 */
export type Control = 'AC-3' | 'AC-5' | 'AC-6' | 'IA-5';

export const CONTROL_TITLES: Readonly<Record<Control, string>> = {
  'AC-3': 'AC-3(2) Access enforcement: dual authorization',
  'AC-5': 'AC-5 Separation of duties',
  'AC-6': 'AC-6 Least privilege',
  'IA-5': 'IA-5(7) No embedded unencrypted authenticators',
};

/** What a rule reports; the review adds file, line, fingerprint and suppression state. */
export interface RawFinding {
  message: string;
  /** `kind/name` of the resource the finding is about (absent for file-level findings such as secrets). */
  resource?: string;
  /** Dotted field path in the resource, e.g. `spec.allow.request.thresholds[0].approve`. */
  field?: string;
  /** Distinguishes several findings of one rule on one field (e.g. the target role); part of the fingerprint. */
  key?: string;
  /** Set by file-level rules; otherwise derived from resource + field. */
  file?: string;
  line?: number;
}

/** Per resource (by `kind/name`): the model's problems, and type problems that keep it out of the meaning checks. */
export interface Validity {
  problems: { field: string; message: string }[];
  shape: string[];
}

export interface RuleContext {
  input: LoadedInput;
  validity: ReadonlyMap<string, Validity>;
  index: PolicyIndex;
  privileges: PrivilegeView;
  config: PolicyConfig;
}

export interface PolicyRule {
  /** Stable id used in suppressions and SARIF, e.g. `DA-001`. */
  id: string;
  /** Short kebab-case name, e.g. `privileged-role-needs-dual-approval`. */
  name: string;
  severity: Severity;
  control: Control;
  /** One line: what must hold. */
  description: string;
  /** How to fix (or when suppressing is acceptable). */
  fix: string;
  check(ctx: RuleContext): RawFinding[];
}

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
