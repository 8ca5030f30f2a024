/** AccessRequestV3 and AccessReview <-> plain access requests for the relay and the simulator. */
import type { Threshold } from '../../model/resources';
import { PbLabelValues, PbTimestamp, isoToTimestamp, pbToTraits, timestampToIso, traitsToPb } from '../values';
import { Pb, list, obj, pbList, str } from './pb';
import { thresholdFromPb, thresholdToPb } from './role-conditions';

export type RequestStateName = 'NONE' | 'PENDING' | 'APPROVED' | 'DENIED' | 'PROMOTED';

export interface AccessReviewRecord {
  author: string;
  /** Proposed state (APPROVED or DENIED; PROMOTED for access-list promotion). */
  state: RequestStateName;
  reason?: string;
  created?: string;
  roles?: string[];
  annotations?: Record<string, string[]>;
  /** Indexes of the thresholds this review counted for (set by the server). */
  threshold_indexes: number[];
}

/** An access request in plain terms (types.AccessRequestV3). Times are RFC 3339 text. */
export interface AccessRequest {
  id: string;
  user: string;
  roles: string[];
  state: RequestStateName;
  reason?: string;
  resolve_reason?: string;
  created?: string;
  /** Access expiry (Spec.Expires). */
  expires?: string;
  /** Resource expiry of the pending request (Metadata.Expires). */
  request_expires?: string;
  max_duration?: string;
  session_ttl?: string;
  thresholds: Threshold[];
  role_threshold_mapping: Record<string, { sets: { indexes: number[] }[] }>;
  reviews: AccessReviewRecord[];
  suggested_reviewers: string[];
  system_annotations: Record<string, string[]>;
  resolve_annotations: Record<string, string[]>;
  revision?: string;
  /** Resources of a resource request (Spec.RequestedResourceIDs, 14); absent for role requests. */
  requested_resource_ids?: RequestedResourceId[];
  /** The same as Teleport's types.ResourceIDToString prints them ("/cluster/kind/name[/sub]"), as the Go plugin shows and stores them. */
  resources?: string[];
}

/** types.ResourceID. */
export interface RequestedResourceId {
  cluster: string;
  kind: string;
  name: string;
  sub_resource?: string;
}

/** types.ResourceIDToString. */
export function resourceIdToString(id: RequestedResourceId): string {
  return id.sub_resource ? `/${id.cluster}/${id.kind}/${id.name}/${id.sub_resource}` : `/${id.cluster}/${id.kind}/${id.name}`;
}

function resourceIdFromPb(pb: Pb): RequestedResourceId {
  const id: RequestedResourceId = { cluster: str(pb.ClusterName), kind: str(pb.Kind), name: str(pb.Name) };
  if (str(pb.SubResourceName)) id.sub_resource = str(pb.SubResourceName);
  return id;
}

function resourceIdToPb(id: RequestedResourceId): Pb {
  return { ClusterName: id.cluster, Kind: id.kind, Name: id.name, SubResourceName: id.sub_resource ?? '' };
}

function reviewFromPb(pb: Pb): AccessReviewRecord {
  const r: AccessReviewRecord = { author: str(pb.Author), state: (str(pb.ProposedState) || 'NONE') as RequestStateName, threshold_indexes: pbList<number>(pb.ThresholdIndexes).map(Number) };
  if (str(pb.Reason)) r.reason = str(pb.Reason);
  const created = timestampToIso(pb.Created as PbTimestamp);
  if (created) r.created = created;
  if (list(pb.Roles).length > 0) r.roles = list(pb.Roles);
  const ann = pbToTraits(pb.Annotations as PbLabelValues);
  if (ann) r.annotations = ann;
  return r;
}

export function reviewToPb(r: AccessReviewRecord): Pb {
  return {
    Author: r.author,
    Roles: [...(r.roles ?? [])],
    ProposedState: r.state,
    Reason: r.reason ?? '',
    ...(r.created ? { Created: isoToTimestamp(r.created) } : {}),
    Annotations: traitsToPb(r.annotations) ?? { Values: {} },
    ThresholdIndexes: [...r.threshold_indexes],
  };
}

export function accessRequestFromPb(pb: unknown): AccessRequest {
  const r = obj(pb) ?? {};
  const m = obj(r.Metadata) ?? {};
  const s = obj(r.Spec) ?? {};
  const rtm: AccessRequest['role_threshold_mapping'] = {};
  for (const [role, sets] of Object.entries(obj(s.RoleThresholdMapping) ?? {})) {
    rtm[role] = { sets: pbList<Pb>(obj(sets)?.Sets).map((set) => ({ indexes: pbList<number>(set.Indexes).map(Number) })) };
  }
  const out: AccessRequest = {
    id: str(m.Name),
    user: str(s.User),
    roles: list(s.Roles),
    state: (str(s.State) || 'NONE') as RequestStateName,
    thresholds: pbList<Pb>(s.Thresholds).map(thresholdFromPb),
    role_threshold_mapping: rtm,
    reviews: pbList<Pb>(s.Reviews).map(reviewFromPb),
    suggested_reviewers: list(s.SuggestedReviewers),
    system_annotations: pbToTraits(s.SystemAnnotations as PbLabelValues) ?? {},
    resolve_annotations: pbToTraits(s.ResolveAnnotations as PbLabelValues) ?? {},
  };
  const optional: [keyof AccessRequest, string | undefined][] = [
    ['reason', str(s.RequestReason) || undefined],
    ['resolve_reason', str(s.ResolveReason) || undefined],
    ['created', timestampToIso(s.Created as PbTimestamp)],
    ['expires', timestampToIso(s.Expires as PbTimestamp)],
    ['request_expires', timestampToIso(m.Expires as PbTimestamp)],
    ['max_duration', timestampToIso(s.MaxDuration as PbTimestamp)],
    ['session_ttl', timestampToIso(s.SessionTTL as PbTimestamp)],
    ['revision', str(m.Revision) || undefined],
  ];
  for (const [k, v] of optional) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  const ids = pbList<Pb>(s.RequestedResourceIDs).map(resourceIdFromPb);
  if (ids.length > 0) {
    out.requested_resource_ids = ids;
    out.resources = ids.map(resourceIdToString);
  }
  return out;
}

/**
 * AccessRequest to an AccessRequestV3 message. Unset non-nullable times are omitted (a Go server
 * decodes an absent Timestamp as its zero time; sending {seconds: 0} would mean 1970).
 */
export function accessRequestToPb(a: AccessRequest): Pb {
  const rtm: Record<string, Pb> = {};
  for (const [role, m] of Object.entries(a.role_threshold_mapping)) rtm[role] = { Sets: m.sets.map((s) => ({ Indexes: [...s.indexes] })) };
  const ts = (v: string | undefined) => (v ? isoToTimestamp(v) : undefined);
  const spec: Pb = {
    User: a.user,
    Roles: [...a.roles],
    State: a.state,
    RequestReason: a.reason ?? '',
    ResolveReason: a.resolve_reason ?? '',
    ResolveAnnotations: traitsToPb(a.resolve_annotations) ?? { Values: {} },
    SystemAnnotations: traitsToPb(a.system_annotations) ?? { Values: {} },
    Thresholds: a.thresholds.map(thresholdToPb),
    RoleThresholdMapping: rtm,
    Reviews: a.reviews.map(reviewToPb),
    SuggestedReviewers: [...a.suggested_reviewers],
    RequestedResourceIDs: (a.requested_resource_ids ?? []).map(resourceIdToPb),
  };
  const times: [string, string | undefined][] = [
    ['Created', a.created],
    ['Expires', a.expires],
    ['MaxDuration', a.max_duration],
    ['SessionTTL', a.session_ttl],
  ];
  for (const [k, v] of times) if (v) spec[k] = ts(v);
  return {
    Kind: 'access_request',
    SubKind: '',
    Version: 'v3',
    Metadata: { Name: a.id, Namespace: 'default', ...(a.request_expires ? { Expires: ts(a.request_expires) } : {}), Revision: a.revision ?? '' },
    Spec: spec,
  };
}
