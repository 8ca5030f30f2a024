/**
 * The simulated cluster's state and Teleport's rules for changing it, without any gRPC: roles,
 * users, access requests, reviews and plugin data. Decisions about who may request or review and
 * when a request resolves come from model/access-request.ts; this file adds the checks and error
 * wording of the Auth server around them (lib/services/access_request.go ApplyAccessReview and
 * checkReviewCompat, lib/auth SubmitAccessReview, types.PluginDataV3.Update / checkExpectations).
 * Longer than most files: one method per state change the Auth server allows, each with its own
 * checks; they share the stores and the event fan-out, so they stay together.
 */
import { randomUUID } from 'node:crypto';
import { applyReview, canRequestRole, canReview, planRequestThresholds, type Review, type RequestState } from '../../model/access-request';
import { matchesAny } from '../../model/matchers';
import { nameProblem } from '../../model/names';
import { predicateProblem } from '../../model/predicate';
import type { RoleResource, TeleportResource, UserResource } from '../../model/resources';
import { resourceIdToString, type AccessRequest, type PluginDataItem, type RequestedResourceId, type RequestStateName } from '../../teleport-client/convert';
import type { TeleportErrorCode } from '../../teleport-client/errors';
import { parseDuration } from '../../model/duration';
import type { TeleportVersion } from '../../model/versions';
import { applyRoleServerDefaults, applyUserServerDefaults } from './server-defaults';

export class SimError extends Error {
  constructor(
    readonly code: TeleportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type ClusterEvent =
  | { type: 'PUT'; kind: 'access_request'; request: AccessRequest }
  | { type: 'PUT'; kind: 'role'; role: RoleResource }
  | { type: 'PUT'; kind: 'user'; user: UserResource }
  | { type: 'DELETE'; kind: 'access_request' | 'role' | 'user'; name: string };

export type WriteMode = 'create' | 'update' | 'upsert';

const ROLE_VERSIONS = ['v3', 'v4', 'v5', 'v6', 'v7', 'v8'];
const MAX_ACCESS_DURATION_NS = 14n * 24n * 3600n * 1_000_000_000n;
const PENDING_REQUEST_TTL_MS = 7 * 24 * 3600_000;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const q = JSON.stringify;

export class Cluster {
  readonly roles = new Map<string, RoleResource>();
  readonly users = new Map<string, UserResource>();
  readonly requests = new Map<string, AccessRequest>();
  /** "<kind>/<resource>" -> plugin -> data */
  readonly pluginData = new Map<string, Record<string, Record<string, string>>>();
  private readonly listeners = new Set<(e: ClusterEvent) => void>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    /** The major this cluster runs: its server defaults (model/kinds) are the ones stored. */
    readonly teleport?: TeleportVersion,
  ) {}

  subscribe(fn: (e: ClusterEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: ClusterEvent): void {
    for (const fn of [...this.listeners]) fn(e);
  }

  // -------------------------------------------------------------------------------------------
  // Roles and users

  private validateRole(role: RoleResource): void {
    const problem = nameProblem(role.metadata?.name, 'role');
    if (problem) throw new SimError('BadParameter', problem);
    if (!ROLE_VERSIONS.includes(role.version)) throw new SimError('BadParameter', `unrecognized role version: ${role.version}`);
    if ((role.spec.deny?.request?.thresholds ?? []).length > 0) {
      throw new SimError('BadParameter', 'deny.request cannot contain thresholds, set denial counts in allow.request.thresholds instead');
    }
    for (const t of role.spec.allow?.request?.thresholds ?? []) {
      const p = t.filter ? predicateProblem(t.filter, 'threshold-filter') : undefined;
      if (p) throw new SimError('BadParameter', `invalid threshold predicate: ${q(t.filter)}, ${p}`);
    }
    for (const side of ['allow', 'deny'] as const) {
      const w = role.spec[side]?.review_requests?.where;
      const p = w ? predicateProblem(w, 'review-where') : undefined;
      if (p) throw new SimError('BadParameter', `invalid review predicate: ${q(w)}, ${p}`);
    }
    const max = role.spec.allow?.request?.max_duration;
    if (max && parseDuration(max) > MAX_ACCESS_DURATION_NS) throw new SimError('BadParameter', 'max access duration must be less than or equal to 336h0m0s');
    const imp = role.spec.allow?.impersonate;
    if (imp && (imp.users ?? []).length > 0 && (imp.roles ?? []).length === 0) {
      throw new SimError('BadParameter', 'please set both impersonate.users and impersonate.roles');
    }
  }

  private checkWrite(kind: string, name: string, exists: boolean, mode: WriteMode, revision: string | undefined, current: string | undefined): void {
    if (mode === 'create' && exists) throw new SimError('AlreadyExists', `${kind} ${q(name)} already exists`);
    if (mode === 'update' && !exists) throw new SimError('NotFound', `${kind} ${q(name)} is not found`);
    // Conditional update: a revision that no longer matches means someone else wrote in between.
    if (mode === 'update' && revision && revision !== current) throw new SimError('CompareFailed', `${kind} ${q(name)} has been modified concurrently`);
  }

  putRole(role: RoleResource, mode: WriteMode = 'upsert'): RoleResource {
    this.validateRole(role);
    const existing = this.roles.get(role.metadata.name);
    this.checkWrite('role', role.metadata.name, !!existing, mode, role.metadata.revision, existing?.metadata.revision);
    const stored = applyRoleServerDefaults(role, this.teleport);
    this.roles.set(stored.metadata.name, stored);
    this.emit({ type: 'PUT', kind: 'role', role: clone(stored) });
    return clone(stored);
  }

  deleteRole(name: string): void {
    if (!this.roles.delete(name)) throw new SimError('NotFound', `role ${q(name)} is not found`);
    this.emit({ type: 'DELETE', kind: 'role', name });
  }

  putUser(user: UserResource, mode: WriteMode = 'upsert'): UserResource {
    const problem = nameProblem(user.metadata?.name, 'user');
    if (problem) throw new SimError('BadParameter', problem);
    const existing = this.users.get(user.metadata.name);
    this.checkWrite('user', user.metadata.name, !!existing, mode, user.metadata.revision, existing?.metadata.revision);
    for (const r of user.spec.roles ?? []) if (!this.roles.has(r)) throw new SimError('NotFound', `role ${q(r)} is not found`);
    const stored = applyUserServerDefaults(user, this.teleport);
    this.users.set(stored.metadata.name, stored);
    this.emit({ type: 'PUT', kind: 'user', user: clone(stored) });
    return clone(stored);
  }

  deleteUser(name: string): void {
    if (!this.users.delete(name)) throw new SimError('NotFound', `user ${q(name)} not found`);
    this.emit({ type: 'DELETE', kind: 'user', name });
  }

  /** Roles first (users reference them), each validated and defaulted as on the server. */
  seed(resources: readonly TeleportResource[]): void {
    for (const r of resources) if (r.kind === 'role') this.putRole(r);
    for (const r of resources) if (r.kind === 'user') this.putUser(r);
  }

  rolesNamed(names: readonly string[]): RoleResource[] {
    return names.map((n) => this.roles.get(n)).filter((r): r is RoleResource => !!r);
  }

  private userOrThrow(name: string): UserResource {
    const u = this.users.get(name);
    if (!u) throw new SimError('NotFound', `user ${q(name)} not found`);
    return u;
  }

  /** The user's static roles as stored (Teleport re-reads them; it does not trust the cert here). */
  staticRolesOf(name: string): RoleResource[] {
    return this.rolesNamed(this.userOrThrow(name).spec.roles ?? []);
  }

  // -------------------------------------------------------------------------------------------
  // Access requests

  createAccessRequest(user: string, roles: string[], opts: { reason?: string; accessExpiry?: Date; resources?: RequestedResourceId[] } = {}): AccessRequest {
    const requesterRoles = this.staticRolesOf(user);
    if (roles.length === 0) throw new SimError('BadParameter', 'no requestable roles, please verify static RBAC configuration');
    for (const role of roles) {
      if (!canRequestRole(requesterRoles, role)) throw new SimError('BadParameter', `user ${q(user)} can not request role ${q(role)}`);
    }
    const plan = planRequestThresholds(requesterRoles, roles);
    if (!plan.ok) throw new SimError('BadParameter', plan.reason);
    const now = this.now();
    const expires = opts.accessExpiry ?? new Date(now.getTime() + 8 * 3600_000);
    const requestExpires = new Date(Math.min(expires.getTime(), now.getTime() + PENDING_REQUEST_TTL_MS));
    const req: AccessRequest = {
      id: randomUUID(),
      user,
      roles: [...roles],
      state: 'PENDING',
      ...(opts.reason ? { reason: opts.reason } : {}),
      created: now.toISOString(),
      expires: expires.toISOString(),
      request_expires: requestExpires.toISOString(),
      max_duration: expires.toISOString(),
      session_ttl: expires.toISOString(),
      thresholds: plan.value.thresholds.map((t) => ({ ...t })),
      role_threshold_mapping: clone(plan.value.roleThresholdMapping),
      reviews: [],
      suggested_reviewers: [...plan.value.suggestedReviewers],
      system_annotations: this.systemAnnotations(requesterRoles, roles),
      resolve_annotations: {},
      revision: randomUUID(),
      ...(opts.resources?.length ? { requested_resource_ids: clone(opts.resources), resources: opts.resources.map(resourceIdToString) } : {}),
    };
    this.requests.set(req.id, req);
    this.emit({ type: 'PUT', kind: 'access_request', request: clone(req) });
    return clone(req);
  }

  /** allow.request.annotations of the requester roles that match a requested role (no templates). */
  private systemAnnotations(requesterRoles: RoleResource[], requested: string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const r of requesterRoles) {
      const cond = r.spec.allow?.request;
      const matchers = [...(cond?.roles ?? []), ...(cond?.search_as_roles ?? [])];
      if (!requested.some((role) => matchesAny(matchers, role))) continue;
      for (const [k, vs] of Object.entries(cond?.annotations ?? {})) out[k] = [...new Set([...(out[k] ?? []), ...vs])];
    }
    return out;
  }

  getAccessRequest(id: string): AccessRequest {
    const r = this.requests.get(id);
    if (!r) throw new SimError('NotFound', `no access request matching ${q(id)}`);
    return clone(r);
  }

  listAccessRequests(filter: { id?: string; user?: string; state?: string } = {}): AccessRequest[] {
    return [...this.requests.values()]
      .filter((r) => (!filter.id || r.id === filter.id) && (!filter.user || r.user === filter.user) && (!filter.state || filter.state === 'NONE' || r.state === filter.state))
      .map(clone);
  }

  /** Whether `reviewer` may review the request (model canReview with the reviewer's stored roles). */
  canReview(reviewer: string, req: AccessRequest): boolean {
    const user = this.users.get(reviewer);
    if (!user) return false;
    return canReview({ name: reviewer, roles: this.rolesNamed(user.spec.roles ?? []), traits: user.spec.traits }, this.facts(req)).ok;
  }

  private facts(req: AccessRequest) {
    return { user: req.user, roles: req.roles, reason: req.reason, systemAnnotations: req.system_annotations };
  }

  submitReview(id: string, review: { author: string; state: string; reason?: string; roles?: string[]; annotations?: Record<string, string[]> }): AccessRequest {
    const req = this.requests.get(id);
    if (!req) throw new SimError('NotFound', `no access request matching ${q(id)}`);
    const author = this.userOrThrow(review.author);
    const reviewer = { name: author.metadata.name, roles: this.rolesNamed(author.spec.roles ?? []), traits: author.spec.traits };
    const permitted = canReview(reviewer, this.facts(req));
    if (!permitted.ok) throw new SimError('AccessDenied', `user ${q(review.author)} cannot review access request ${q(id)}`);
    // checkReviewCompat, then the resolved-state check, in Teleport's order.
    if (review.state !== 'APPROVED' && review.state !== 'DENIED') {
      throw new SimError('BadParameter', `invalid state proposal: ${review.state} (expected approval/denial)`);
    }
    if (req.thresholds.length === 0) throw new SimError('BadParameter', 'request is uninitialized or does not support reviews');
    if (req.reviews.some((r) => r.author === review.author)) throw new SimError('AccessDenied', `user ${q(review.author)} has already reviewed this request`);
    if (review.roles && review.roles.length > 0 && review.roles.length !== Object.keys(req.role_threshold_mapping).length) {
      throw new SimError('NotImplemented', 'role subselection is not yet supported in reviews, try omitting role list');
    }
    if (review.annotations && Object.keys(review.annotations).length > 0) {
      throw new SimError('NotImplemented', 'annotations are not yet supported in reviews, try omitting annotations field');
    }
    if (req.state !== 'PENDING') throw new SimError('AccessDenied', `the access request has been already ${req.state.toLowerCase()}`);

    const modelReviews: Review[] = req.reviews.map((r) => ({ author: r.author, state: r.state as 'APPROVED' | 'DENIED', reason: r.reason, annotations: r.annotations, thresholdIndexes: r.threshold_indexes }));
    const outcome = applyReview(
      {
        ...this.facts(req),
        state: req.state as RequestState,
        plan: { thresholds: req.thresholds, roleThresholdMapping: req.role_threshold_mapping, suggestedReviewers: req.suggested_reviewers },
        reviews: modelReviews,
      },
      reviewer,
      { state: review.state, reason: review.reason },
    );
    if (!outcome.ok) throw new SimError('AccessDenied', outcome.reason);
    req.reviews.push({
      author: review.author,
      state: review.state,
      ...(review.reason ? { reason: review.reason } : {}),
      created: this.now().toISOString(),
      threshold_indexes: [...outcome.value.review.thresholdIndexes],
    });
    if (outcome.value.state !== 'PENDING') {
      req.state = outcome.value.state;
      if (review.reason) req.resolve_reason = review.reason;
      req.request_expires = req.expires;
    }
    req.revision = randomUUID();
    this.emit({ type: 'PUT', kind: 'access_request', request: clone(req) });
    return clone(req);
  }

  setState(id: string, state: RequestStateName, opts: { reason?: string; annotations?: Record<string, string[]> } = {}): AccessRequest {
    const req = this.requests.get(id);
    if (!req) throw new SimError('NotFound', `no access request matching ${q(id)}`);
    if (req.state === 'DENIED' && state !== 'DENIED') throw new SimError('BadParameter', `cannot set request-state ${q(state)} (already denied)`);
    if (!['APPROVED', 'DENIED', 'PROMOTED', 'PENDING'].includes(state)) throw new SimError('BadParameter', `invalid request state ${q(state)}`);
    req.state = state;
    if (opts.reason) req.resolve_reason = opts.reason;
    if (opts.annotations) req.resolve_annotations = clone(opts.annotations);
    req.revision = randomUUID();
    this.emit({ type: 'PUT', kind: 'access_request', request: clone(req) });
    return clone(req);
  }

  /**
   * Deletion and TTL expiry look the same to watchers: an OpDelete. Plugin data stays, as in Teleport
   * (lib/services/local/plugin_data.go keeps it under its own key, expiring an hour after the
   * request's access expiry, "so plugins can use stored data when handling an expiry"); it can still be
   * updated, but no longer created.
   */
  deleteAccessRequest(id: string): void {
    if (!this.requests.delete(id)) throw new SimError('NotFound', `no access request matching ${q(id)}`);
    this.emit({ type: 'DELETE', kind: 'access_request', name: id });
  }

  // -------------------------------------------------------------------------------------------
  // Plugin data

  getPluginData(filter: { kind: string; resource?: string; plugin?: string }): PluginDataItem[] {
    if (filter.kind !== 'access_request') throw new SimError('BadParameter', `unsupported resource kind ${q(filter.kind)}`);
    const out: PluginDataItem[] = [];
    for (const [key, entries] of this.pluginData) {
      const [kind, resource] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      if (kind !== filter.kind || (filter.resource && filter.resource !== resource)) continue;
      if (filter.plugin && !entries[filter.plugin]) continue;
      out.push({ kind, resource, entries: clone(entries) });
    }
    return out;
  }

  updatePluginData(p: { kind: string; resource: string; plugin: string; set: Record<string, string>; expect?: Record<string, string> }): void {
    if (p.kind !== 'access_request') throw new SimError('BadParameter', `unsupported resource kind ${q(p.kind)}`);
    const key = `${p.kind}/${p.resource}`;
    let entries = this.pluginData.get(key);
    if (!entries) {
      // Plugin data can only be created for a resource that exists.
      if (!this.requests.has(p.resource)) throw new SimError('NotFound', `no access request matching ${q(p.resource)}`);
      entries = {};
    }
    // An empty Expect decodes as a nil map in Go: no precondition.
    if (p.expect && Object.keys(p.expect).length > 0) {
      const current = entries[p.plugin];
      for (const [k, v] of Object.entries(p.expect)) {
        const actual = current ? (current[k] ?? '') : '';
        if (actual !== v) throw new SimError('CompareFailed', `expectations not met for field ${q(k)}`);
      }
    }
    const data = { ...(entries[p.plugin] ?? {}) };
    for (const [k, v] of Object.entries(p.set)) {
      if (v === '') delete data[k];
      else data[k] = v;
    }
    if (Object.keys(data).length === 0) delete entries[p.plugin];
    else entries[p.plugin] = data;
    this.pluginData.set(key, entries);
  }
}
