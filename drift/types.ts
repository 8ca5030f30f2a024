/** The drift report: what each system (Teleport, Mattermost, Terraform) holds against what the repository says. */

export type SystemName = 'teleport' | 'mattermost' | 'terraform';

/** One differing field. `before` is what the repository expects, `after` what the server has; absent = undefined. */
export interface FieldChange {
  /** e.g. "spec.allow.request.thresholds[0].approve" */
  path: string;
  before?: unknown;
  after?: unknown;
}

/**
 * changed: declared and present, but different. missing: declared, gone from the server.
 * unmanaged: on the server, not declared. ignored: unmanaged, but matched an ignore pattern.
 */
export type ResourceStatus = 'changed' | 'missing' | 'unmanaged' | 'ignored';

export interface ResourceFinding {
  /** Teleport kind (role, user), "bot", or a Terraform resource type. */
  kind: string;
  /** Resource name, or a Terraform resource address. */
  name: string;
  status: ResourceStatus;
  changes: FieldChange[];
  /** Extra words, e.g. which ignore pattern matched or Terraform's previous address. */
  note?: string;
}

export interface SectionCounts {
  /** Resources the repository declares that were compared. */
  managed: number;
  inSync: number;
  changed: number;
  missing: number;
  unmanaged: number;
  ignored: number;
}

export interface SectionResult {
  system: SystemName;
  /** checked: compared; skipped: not run (reason says why and how to enable it); error: could not answer. */
  state: 'checked' | 'skipped' | 'error';
  /** Where live data came from, e.g. "gRPC 127.0.0.1:3025" or "dump teleport-live.yaml". No credentials. */
  source?: string;
  /** For skipped and error. */
  reason?: string;
  counts: SectionCounts;
  /** Only resources that are not in sync, sorted by kind then name. */
  findings: ResourceFinding[];
  /** Facts worth showing that are not drift (e.g. extra Mattermost teams, other kinds in a dump). */
  notes: string[];
  /** Milliseconds spent on this section. */
  elapsedMs?: number;
}

export interface DriftReport {
  /** The stack directory, as given. */
  stack: string;
  sections: SectionResult[];
  /** Changed or missing anywhere, or unmanaged with failOnUnmanaged. */
  drift: boolean;
  /** 0 no drift, 2 drift, 1 error (as `terraform plan -detailed-exitcode`). */
  exitCode: 0 | 1 | 2;
  failOnUnmanaged: boolean;
}

export function emptyCounts(): SectionCounts {
  return { managed: 0, inSync: 0, changed: 0, missing: 0, unmanaged: 0, ignored: 0 };
}

export function countFindings(managed: number, findings: readonly ResourceFinding[]): SectionCounts {
  const c = emptyCounts();
  c.managed = managed;
  for (const f of findings) c[f.status]++;
  c.inSync = managed - c.changed - c.missing;
  return c;
}

export function compareFindings(a: ResourceFinding, b: ResourceFinding): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** An error the user can act on: `message` names the flag or file and the fix; exit code 1. */
export class DriftInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriftInputError';
  }
}
