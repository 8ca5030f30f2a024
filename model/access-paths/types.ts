/** Shapes of the access-path analysis: who can obtain a privileged role, with how many people, and how. */

export type StepKind =
  | 'holds'
  | 'bot'
  | 'access-list-member'
  | 'access-list-owner'
  | 'connector'
  | 'impersonate-role'
  | 'impersonate-user'
  | 'request'
  | 'automatic-review'
  | 'write'
  | 'set-request-state';

export interface Step {
  kind: StepKind;
  /** The step in words, e.g. "role-editor allows update on role devops, which bob@example.com holds". */
  text: string;
  /** `kind/name` of the resource that makes the step possible (for file:line). */
  resource: string;
  field?: string;
}

export type PrincipalKind = 'user' | 'bot' | 'group';

export interface AccessPath {
  /** A user name, `bot/<name>`, or an external group (`github team acme/dba via connector github`). */
  principal: string;
  principalKind: PrincipalKind;
  role: string;
  /** Minimum number of distinct people who must act, the principal included. */
  people: number;
  /** Named people besides the principal whose action the witness needs (reviewers). */
  others: string[];
  /** The cheapest path found, in order. */
  steps: Step[];
}

export interface RequesterSummary {
  principal: string;
  /** Approvals the request needs (AND across requester roles, OR within one). */
  approvals: number;
  /** People needed along the cheapest request path (null: the request can never be approved). */
  people: number | null;
  via: string[];
}

export interface RoleAccess {
  role: string;
  /** Why the role is privileged. */
  reason: string;
  /** Principals holding it (one person alone, by definition). */
  holders: AccessPath[];
  requesters: RequesterSummary[];
  /** Users who may review someone else's request for it. */
  reviewers: string[];
  /** The cheapest path of every principal that can obtain the role at all, fewest people first. */
  paths: AccessPath[];
  /** The fewest people any path needs (null: nobody can obtain it). */
  minPeople: number | null;
}

export interface AccessAnalysis {
  /** People the policy wants for a privileged role: the requester plus minApprovals reviewers. */
  requiredPeople: number;
  roles: Map<string, RoleAccess>;
  /** The cheapest path of one principal to one role. */
  pathFor(role: string, principal: string): AccessPath | undefined;
}
