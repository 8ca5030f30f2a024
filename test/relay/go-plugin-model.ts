/**
 * The Go plugin's plugin-data codec and compare-and-swap, transcribed for tests from Teleport's
 * integrations/lib/plugindata/access_request.go, integrations/access/accessrequest/plugindata.go and
 * integrations/lib/plugindata/cas.go, so tests can act as "the Go plugin" on the same cluster:
 * decode -> encode exactly as Go does (Go's encoding/json: sorted keys, <>& escaped), Create with
 * every key expected empty, Update with the re-encoded current value as the expectation.
 */

export interface GoData {
  User: string;
  Roles: string[];
  RequestReason: string;
  ReviewsCount: number;
  ResolutionTag: string;
  ResolutionReason: string;
  SystemAnnotations: Record<string, string[]> | null;
  Resources: string[] | null;
  SuggestedReviewers: string[] | null;
  LoginsByRole: Record<string, string[]> | null;
  MaxDuration: string | null;
  SentMessages: { ChannelID: string; MessageID: string }[];
}

/** Go's json.Marshal for the values the codec marshals (string slices and string-slice maps). */
function marshal(v: unknown): string {
  const enc = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(enc).join(',')}]`;
    if (x && typeof x === 'object') {
      const keys = Object.keys(x).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      return `{${keys.map((k) => `${enc(k)}:${enc((x as Record<string, unknown>)[k])}`).join(',')}}`;
    }
    if (typeof x === 'string') {
      let out = '"';
      for (const ch of x) {
        const c = ch.codePointAt(0)!;
        if (ch === '"') out += '\\"';
        else if (ch === '\\') out += '\\\\';
        else if (ch === '\n') out += '\\n';
        else if (ch === '\r') out += '\\r';
        else if (ch === '\t') out += '\\t';
        else if (ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029 || c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
        else out += ch;
      }
      return `${out}"`;
    }
    return JSON.stringify(x);
  };
  return enc(v);
}

export function goDecode(m: Record<string, string>): GoData {
  const d: GoData = { User: m.user ?? '', Roles: [], RequestReason: m.request_reason ?? '', ReviewsCount: 0, ResolutionTag: m.resolution ?? '', ResolutionReason: m.resolve_reason ?? '', SystemAnnotations: null, Resources: null, SuggestedReviewers: null, LoginsByRole: null, MaxDuration: null, SentMessages: [] };
  if (m.roles) d.Roles = m.roles.split(',');
  if (m.reviews_count) d.ReviewsCount = parseInt(m.reviews_count, 10) || 0;
  if (m.max_duration) {
    const t = new Date(m.max_duration);
    if (Number.isNaN(t.getTime())) throw new Error('time.Parse: bad max_duration');
    d.MaxDuration = t.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  // json.Unmarshal fails on malformed values: the Go handler errors out.
  if ('resources' in m) d.Resources = JSON.parse(m.resources) as string[];
  if ('system_annotations' in m) {
    d.SystemAnnotations = JSON.parse(m.system_annotations) as Record<string, string[]>;
    if (Object.keys(d.SystemAnnotations ?? {}).length === 0) d.SystemAnnotations = null;
  }
  if ('suggested_reviewers' in m) {
    d.SuggestedReviewers = JSON.parse(m.suggested_reviewers) as string[];
    if ((d.SuggestedReviewers ?? []).length === 0) d.SuggestedReviewers = null;
  }
  if ('logins_by_role' in m) {
    d.LoginsByRole = JSON.parse(m.logins_by_role) as Record<string, string[]>;
    if (Object.keys(d.LoginsByRole ?? {}).length === 0) d.LoginsByRole = null;
  }
  if (m.channel_id && m.timestamp) d.SentMessages.push({ ChannelID: m.channel_id, MessageID: m.timestamp });
  if (m.messages) {
    for (const enc of m.messages.split(',')) {
      const parts = enc.split('/');
      if (parts.length === 2) d.SentMessages.push({ ChannelID: parts[0], MessageID: parts[1] });
    }
  }
  return d;
}

export function goEncode(d: GoData): Record<string, string> {
  const r: Record<string, string> = {};
  r.user = d.User;
  r.roles = d.Roles.join(',');
  r.resources = (d.Resources ?? []).join(',');
  r.request_reason = d.RequestReason;
  if ((d.Resources ?? []).length !== 0) r.resources = marshal(d.Resources);
  r.reviews_count = d.ReviewsCount > 0 ? String(d.ReviewsCount) : '';
  r.resolution = d.ResolutionTag;
  r.resolve_reason = d.ResolutionReason;
  if (d.MaxDuration) r.max_duration = d.MaxDuration;
  if (d.SystemAnnotations && Object.keys(d.SystemAnnotations).length) r.system_annotations = marshal(d.SystemAnnotations);
  if (d.SuggestedReviewers && d.SuggestedReviewers.length) r.suggested_reviewers = marshal(d.SuggestedReviewers);
  if (d.LoginsByRole && Object.keys(d.LoginsByRole).length) r.logins_by_role = marshal(d.LoginsByRole);
  r.messages = d.SentMessages.map((m) => `${m.ChannelID}/${m.MessageID}`).join(',');
  return r;
}

export function goEmpty(): GoData {
  return { User: '', Roles: [], RequestReason: '', ReviewsCount: 0, ResolutionTag: '', ResolutionReason: '', SystemAnnotations: null, Resources: null, SuggestedReviewers: null, LoginsByRole: null, MaxDuration: null, SentMessages: [] };
}

export interface PluginDataApi {
  getPluginEntry(resource: string, plugin: string): Promise<Record<string, string> | undefined>;
  updatePluginData(p: { resource: string; plugin: string; set: Record<string, string>; expect?: Record<string, string> }): Promise<void>;
}

/** CompareAndSwap.Create: AlreadyExists when any data exists; else set with the empty value expected. */
export async function goCreate(api: PluginDataApi, id: string, data: GoData): Promise<'created' | 'exists'> {
  const cur = await api.getPluginEntry(id, 'mattermost');
  if (cur && Object.keys(cur).length) return 'exists';
  await api.updatePluginData({ resource: id, plugin: 'mattermost', set: goEncode(data), expect: goEncode(goEmpty()) });
  return 'created';
}

/** One CompareAndSwap.Update round: expectation = re-encoding of what was read. Throws CompareFailed. */
export async function goUpdate(api: PluginDataApi, id: string, modify: (d: GoData) => GoData): Promise<GoData> {
  const cur = await api.getPluginEntry(id, 'mattermost');
  if (!cur) throw new Error('plugin data not found');
  const old = goDecode(cur);
  const next = modify(structuredClone(old));
  await api.updatePluginData({ resource: id, plugin: 'mattermost', set: goEncode(next), expect: goEncode(old) });
  return next;
}
