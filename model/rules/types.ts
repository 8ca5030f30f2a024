/**
 * Shapes of the rules that synthesis and `dualauth review` both run (the error-level rules over the
 * Teleport resources themselves). They sit in the model so constructs/ and policies/ share one copy:
 * `cdktf synth` and the review can then never disagree on an error.
 */
import type { PolicyConfig } from './config';
import type { PolicyIndex } from './policy-index';
import type { PrivilegeView } from './privileges';
import type { AccessAnalysis } from '../access-paths';
import type { TeleportResource } from '../resources';

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

/** What a resource rule reads: the indexed resources, who can do what, the access-path analysis. */
export interface ModelRuleContext {
  /** Every resource of the input (roles, users and the kinds the access analysis reads). */
  resources: readonly TeleportResource[];
  index: PolicyIndex;
  privileges: PrivilegeView;
  config: PolicyConfig;
  /** Computed on first use (rules that need it call it; it is cached). */
  access(): AccessAnalysis;
}

export interface ModelRule<C extends ModelRuleContext = ModelRuleContext> {
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
  check(ctx: C): RawFinding[];
}
