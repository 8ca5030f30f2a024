/**
 * The relay's state in Teleport plugin data (`access_plugin_data`, plugin name "mattermost"), in the
 * Go plugin's exact keys and encoding so each can read and update what the other wrote
 * (integrations/lib/plugindata/access_request.go, integrations/access/accessrequest/plugindata.go):
 *
 *   user, request_reason, resolve_reason   raw text
 *   roles                                  comma-joined
 *   resources, suggested_reviewers         JSON arrays (only when non-empty)
 *   system_annotations, logins_by_role     JSON maps (only when non-empty)
 *   reviews_count                          decimal review replies posted ("" when 0)
 *   resolution                             "" | APPROVED | DENIED | EXPIRED | PROMOTED
 *   max_duration                           RFC 3339, seconds precision
 *   messages                               "channelID/postID" pairs joined with ","
 *   channel_id + timestamp                 legacy single message (read only)
 *
 * Teleport deletes a key set to "", so an empty value and an absent key are the same thing.
 *
 * Byte-exact JSON matters: the Go plugin's compare-and-swap sends, as its expectation, the re-encoding
 * of what it decoded. If our JSON differed from Go's encoding/json output (map keys sorted, <, > and &
 * escaped) its every update of our data would fail the comparison. goJson() reproduces that encoding.
 *
 * Two keys are ours only; the Go plugin ignores keys it does not know (its CAS compares only its own):
 *   relay_claim    "<instance> <lease-until-ms> [<session>]" while a relay is posting (root messages,
 *                  or review replies: the intent is recorded before the posts are made); the session
 *                  names the process, so a restarted process of the same instance takes it over at once
 *   relay_targets  JSON array of the channel ids the root message goes to
 * Once every target has its post, both keys are removed, leaving data the Go plugin wrote itself
 * could have written.
 */

export const PLUGIN_NAME = 'mattermost';

export type Resolution = '' | 'APPROVED' | 'DENIED' | 'EXPIRED' | 'PROMOTED';

export interface SentMessage {
  channelId: string;
  postId: string;
}

export interface Claim {
  owner: string;
  /** Epoch ms after which another replica may take over. */
  until: number;
  /** The process that holds it (random per process start); absent in claims of older relays. */
  session?: string;
}

export interface PluginData {
  user: string;
  roles: string[];
  requestReason: string;
  reviewsCount: number;
  resolution: Resolution;
  resolveReason: string;
  resources: string[];
  suggestedReviewers: string[];
  systemAnnotations: Record<string, string[]>;
  loginsByRole: Record<string, string[]>;
  maxDuration?: string;
  messages: SentMessage[];
  claim?: Claim;
  targets?: string[];
}

/** Keys this module writes; every encode() sets all of them ("" = absent). */
export const GO_KEYS = ['user', 'roles', 'resources', 'request_reason', 'reviews_count', 'resolution', 'resolve_reason', 'max_duration', 'system_annotations', 'suggested_reviewers', 'logins_by_role', 'messages'] as const;
export const RELAY_KEYS = ['relay_claim', 'relay_targets'] as const;

export function emptyPluginData(): PluginData {
  return { user: '', roles: [], requestReason: '', reviewsCount: 0, resolution: '', resolveReason: '', resources: [], suggestedReviewers: [], systemAnnotations: {}, loginsByRole: {}, messages: [] };
}

/** Go's json.Marshal: object keys sorted, HTML-sensitive characters and line separators escaped. */
export function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort(goStringLess)) out[k] = sorted((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sorted(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Go sorts map keys by bytes (UTF-8), which differs from JS's UTF-16 order only above U+FFFF. */
function goStringLess(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

function parseJson<T>(text: string | undefined, fallback: T, problems: string[], key: string): T {
  if (!text) return fallback;
  try {
    const v = JSON.parse(text) as unknown;
    return (v ?? fallback) as T;
  } catch {
    problems.push(`${key} is not valid JSON`);
    return fallback;
  }
}

/** RFC 3339 as Go's time.Format(time.RFC3339) writes it for a UTC time: no fractional seconds, "Z". */
export function goRfc3339(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface Decoded {
  data: PluginData;
  /** Values the Go decoder would also reject; we carry on with what can be read. */
  problems: string[];
}

export function decodePluginData(map: Record<string, string>): Decoded {
  const problems: string[] = [];
  const d = emptyPluginData();
  d.user = map.user ?? '';
  d.roles = map.roles ? map.roles.split(',') : [];
  d.requestReason = map.request_reason ?? '';
  if (map.reviews_count) {
    // fmt.Sscanf("%d") reads a leading integer and ignores the rest.
    const n = parseInt(map.reviews_count, 10);
    d.reviewsCount = Number.isFinite(n) && n > 0 ? n : 0;
  }
  d.resolution = (map.resolution ?? '') as Resolution;
  d.resolveReason = map.resolve_reason ?? '';
  if (map.max_duration) d.maxDuration = map.max_duration;
  d.resources = parseJson<string[]>(map.resources, [], problems, 'resources');
  d.systemAnnotations = parseJson<Record<string, string[]>>(map.system_annotations, {}, problems, 'system_annotations');
  d.suggestedReviewers = parseJson<string[]>(map.suggested_reviewers, [], problems, 'suggested_reviewers');
  d.loginsByRole = parseJson<Record<string, string[]>>(map.logins_by_role, {}, problems, 'logins_by_role');
  if (map.channel_id && map.timestamp) d.messages.push({ channelId: map.channel_id, postId: map.timestamp });
  if (map.messages) {
    for (const pair of map.messages.split(',')) {
      const parts = pair.split('/');
      if (parts.length === 2) d.messages.push({ channelId: parts[0], postId: parts[1] });
    }
  }
  if (map.relay_claim) {
    const m = /^(\S+) (\d+)(?: (\S+))?$/.exec(map.relay_claim);
    if (m) d.claim = { owner: m[1], until: Number(m[2]), ...(m[3] ? { session: m[3] } : {}) };
    else problems.push('relay_claim is malformed');
  }
  if (map.relay_targets) d.targets = parseJson<string[]>(map.relay_targets, [], problems, 'relay_targets');
  return { data: d, problems };
}

/** Every key of GO_KEYS and RELAY_KEYS, "" where the value is empty (so Teleport deletes it). */
export function encodePluginData(d: PluginData): Record<string, string> {
  const nonEmptyMap = (m: Record<string, string[]>) => (Object.keys(m).length > 0 ? goJson(m) : '');
  return {
    user: d.user,
    roles: d.roles.join(','),
    resources: d.resources.length > 0 ? goJson(d.resources) : '',
    request_reason: d.requestReason,
    reviews_count: d.reviewsCount > 0 ? String(d.reviewsCount) : '',
    resolution: d.resolution,
    resolve_reason: d.resolveReason,
    max_duration: d.maxDuration ? goRfc3339(d.maxDuration) : '',
    system_annotations: nonEmptyMap(d.systemAnnotations),
    suggested_reviewers: d.suggestedReviewers.length > 0 ? goJson(d.suggestedReviewers) : '',
    logins_by_role: nonEmptyMap(d.loginsByRole),
    messages: d.messages.map((m) => `${m.channelId}/${m.postId}`).join(','),
    relay_claim: d.claim ? `${d.claim.owner} ${d.claim.until}${d.claim.session ? ` ${d.claim.session}` : ''}` : '',
    relay_targets: d.targets && d.targets.length > 0 ? goJson(d.targets) : '',
  };
}

/**
 * UpdatePluginData parameters that turn `current` (the stored map, or undefined when there is none)
 * into `next`, applied only if nothing changed since it was read: every key we set is expected to
 * still hold its current value ("" = absent).
 */
export function casParams(current: Record<string, string> | undefined, next: PluginData): { set: Record<string, string>; expect: Record<string, string> } {
  const set = encodePluginData(next);
  const expect: Record<string, string> = {};
  for (const k of Object.keys(set)) expect[k] = current?.[k] ?? '';
  // Pin the keys we do not manage too (legacy ones), so a concurrent writer cannot slip in between.
  for (const [k, v] of Object.entries(current ?? {})) if (!(k in expect)) expect[k] = v;
  return { set, expect };
}

/** True when the relay still has root messages to post (a claim is open). */
export function isAnnouncing(d: PluginData): boolean {
  return d.claim !== undefined;
}

export function pendingTargets(d: PluginData): string[] {
  const done = new Set(d.messages.map((m) => m.channelId));
  return (d.targets ?? []).filter((t) => !done.has(t));
}
