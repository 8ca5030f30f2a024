/**
 * Message texts, rendered from Handlebars templates a user can override (`[relay] templates_dir`
 * holding root.hbs, review.hbs and/or requester.hbs; missing files fall back to relay/templates/).
 *
 * Templates only ever see neutralised values (neutralise.ts): every string in the view is already
 * safe Markdown, so the templates are compiled with noEscape (Handlebars' HTML escaping would show
 * "&amp;" in Markdown) and a template cannot be tricked into rendering raw request text. A template
 * that does not compile or render fails at startup with the file named.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { tallyReviews, type Review } from '../model/access-request';
import type { Threshold } from '../model/resources';
import { ConfigError } from './config/errors';
import { block, code, inline, rawRequestId } from './neutralise';
import type { AccessRequest, AccessReviewRecord } from '../teleport-client/convert';

export type Status = 'PENDING' | 'APPROVED' | 'DENIED' | 'EXPIRED' | 'PROMOTED';

/** What a message needs to know about a request; built from a live request or from plugin data. */
export interface RequestSnapshot {
  id: string;
  user: string;
  roles: string[];
  reason?: string;
  resources: string[];
  created?: string;
  /** Absolute time the access may last until (spec.max_duration). */
  maxDuration?: string;
  /** Access expiry (spec.expires). */
  expires?: string;
  thresholds: Threshold[];
  reviews: AccessReviewRecord[];
  systemAnnotations: Record<string, string[]>;
}

export const TEMPLATE_NAMES = ['root', 'review', 'requester'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export const DEFAULT_TEMPLATES_DIR = path.join(__dirname, 'templates');

const EMOJI: Record<string, string> = { PENDING: '⏳', APPROVED: '✅', DENIED: '❌', EXPIRED: '⌛', PROMOTED: '⏫' };
const MAX_RESOURCES_SHOWN = 20;
const MAX_MESSAGE_RUNES = 16_000;

/** Go's time zero and absent values both mean "not set". */
function validTime(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1 ? undefined : d;
}

/** "8h", "2d 4h", "45m": a human duration, rounded to minutes. */
export function humanDuration(ms: number): string {
  if (!(ms > 0)) return '';
  let minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  return [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : ''].filter(Boolean).join(' ') || '1m';
}

function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** lib.AddrToURL: https:// unless a scheme is given; the default port 443 is dropped. */
export function webUrl(addr: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(addr) ? addr : `https://${addr}`;
  const u = new URL(withScheme);
  if (u.port === '443' && u.protocol === 'https:') u.port = '';
  return u.toString().replace(/\/+$/, '');
}

export function snapshotOf(req: AccessRequest): RequestSnapshot {
  const extra = req as AccessRequest & { resources?: string[]; requested_resource_ids?: { cluster?: string; kind?: string; name?: string; sub_resource?: string }[] };
  const resources =
    extra.resources ??
    (extra.requested_resource_ids ?? []).map((r) => `${r.kind ?? ''}/${r.name ?? ''}${r.sub_resource ? `/${r.sub_resource}` : ''}`);
  return {
    id: req.id,
    user: req.user,
    roles: req.roles,
    reason: req.reason,
    resources,
    created: req.created,
    maxDuration: req.max_duration,
    expires: req.expires,
    thresholds: req.thresholds,
    reviews: req.reviews,
    systemAnnotations: req.system_annotations,
  };
}

/** Threshold progress, e.g. "1 of 2 approvals" (one threshold) or "ops: 1 of 2 approvals; sec: 0 of 1 approvals". */
export function progressText(thresholds: readonly Threshold[], reviews: readonly AccessReviewRecord[]): string {
  if (thresholds.length === 0) return '';
  const modelReviews: Review[] = reviews
    .filter((r) => r.state === 'APPROVED' || r.state === 'DENIED')
    .map((r) => ({ author: r.author, state: r.state as 'APPROVED' | 'DENIED', thresholdIndexes: r.threshold_indexes }));
  const tallies = tallyReviews(thresholds, modelReviews);
  const one = (t: (typeof tallies)[number]) => {
    const parts: string[] = [];
    if (t.threshold.approve) parts.push(`${t.approvals} of ${t.threshold.approve} approval${t.threshold.approve === 1 ? '' : 's'}`);
    if (t.denials > 0 && t.threshold.deny) parts.push(`${t.denials} of ${t.threshold.deny} denial${t.threshold.deny === 1 ? '' : 's'}`);
    return parts.join(', ');
  };
  if (tallies.length === 1) return one(tallies[0]);
  return tallies.map((t, i) => `${inline(t.threshold.name || `threshold ${i + 1}`, 60)}: ${one(t)}`).join('; ');
}

export interface MessagesOptions {
  templatesDir?: string;
  /** Web UI address (host[:port] or URL): posts link to <url>/web/requests/<id>; else tsh commands. */
  webProxyAddr?: string;
}

type Compiled = Record<TemplateName, HandlebarsTemplateDelegate>;

function compileTemplates(dir: string | undefined): Compiled {
  const hbs = Handlebars.create();
  const out = {} as Compiled;
  for (const name of TEMPLATE_NAMES) {
    const custom = dir ? path.join(dir, `${name}.hbs`) : undefined;
    const file = custom && fs.existsSync(custom) ? custom : path.join(DEFAULT_TEMPLATES_DIR, `${name}.hbs`);
    const key = file === custom ? `relay.templates_dir (${file})` : `template ${file}`;
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(key, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    try {
      // noEscape: every value is already neutralised Markdown (see above).
      const fn = hbs.compile(source, { noEscape: true });
      out[name] = fn;
    } catch (e) {
      throw new ConfigError(key, `does not compile: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}

export class Messages {
  private readonly templates: Compiled;
  private readonly webBase?: string;

  constructor(opts: MessagesOptions = {}) {
    if (opts.templatesDir && !fs.existsSync(opts.templatesDir)) throw new ConfigError('relay.templates_dir', `${opts.templatesDir} does not exist`);
    this.templates = compileTemplates(opts.templatesDir);
    this.webBase = opts.webProxyAddr ? webUrl(opts.webProxyAddr) : undefined;
    // Render samples once so a template that throws at render time fails at startup, not per post.
    const sample: RequestSnapshot = { id: '00000000-0000-0000-0000-000000000000', user: 'sample', roles: ['role'], reason: 'sample', resources: ['node/sample'], thresholds: [{ approve: 1, deny: 1 }], reviews: [], systemAnnotations: {} };
    for (const [name, render] of [
      ['root', () => this.root(sample, 'PENDING')],
      ['review', () => this.review(sample, { author: 'sample', state: 'APPROVED', threshold_indexes: [0] })],
      ['requester', () => this.requester(sample, 'APPROVED')],
    ] as const) {
      try {
        render();
      } catch (e) {
        throw new ConfigError(`relay.templates_dir (${name}.hbs)`, `fails to render: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }

  private link(id: string): string {
    const raw = rawRequestId(id);
    return this.webBase && raw ? `${this.webBase}/web/requests/${raw}` : '';
  }

  private base(s: RequestSnapshot, status: Status, resolveReason?: string) {
    const raw = rawRequestId(s.id);
    return {
      id: code(s.id, 64),
      user: inline(s.user, 100),
      roles: s.roles.map((r) => inline(r, 100)).join(', '),
      status,
      statusEmoji: EMOJI[status] ?? '',
      pending: status === 'PENDING',
      resolveReason: block(resolveReason),
      link: this.link(s.id),
      approveCommand: raw ? `\`tsh request review --approve ${raw}\`` : '',
      denyCommand: raw ? `\`tsh request review --deny ${raw}\`` : '',
    };
  }

  /** The root post: the request, its status and threshold progress. */
  root(s: RequestSnapshot, status: Status, resolveReason?: string): string {
    const created = validTime(s.created);
    const until = validTime(s.maxDuration) ?? validTime(s.expires);
    const view = {
      ...this.base(s, status, resolveReason),
      reason: block(s.reason),
      resources: s.resources.slice(0, MAX_RESOURCES_SHOWN).map((r) => inline(r, 150)),
      resourcesMore: Math.max(0, s.resources.length - MAX_RESOURCES_SHOWN),
      duration: created && until ? humanDuration(until.getTime() - created.getTime()) : '',
      accessUntil: until ? formatTime(until) : '',
      annotations: Object.entries(s.systemAnnotations)
        .slice(0, 20)
        .map(([key, values]) => ({ key: inline(key, 60), values: values.map((v) => inline(v, 100)).join(', ') })),
      progress: progressText(s.thresholds, s.reviews),
      reviewsCount: s.reviews.length,
    };
    return cap(this.templates.root(view));
  }

  /** A thread reply for one review. */
  review(s: RequestSnapshot, r: AccessReviewRecord, reviewsSoFar?: AccessReviewRecord[]): string {
    const created = validTime(r.created);
    const view = {
      ...this.base(s, 'PENDING'),
      author: inline(r.author, 100),
      state: r.state,
      stateEmoji: EMOJI[r.state] ?? '',
      time: formatTime(created ?? new Date()),
      reason: block(r.reason),
      progress: reviewsSoFar ? progressText(s.thresholds, reviewsSoFar) : '',
    };
    return cap(this.templates.review(view));
  }

  /** The direct message telling the requester the outcome. */
  requester(s: RequestSnapshot, status: Status, resolveReason?: string): string {
    return cap(this.templates.requester(this.base(s, status, resolveReason)));
  }
}

/** Keeps a post under Mattermost's limit (16383 runes) whatever a template does. */
function cap(text: string): string {
  const out = text.replace(/\n{3,}/g, '\n\n').trimEnd();
  const chars = Array.from(out);
  return chars.length > MAX_MESSAGE_RUNES ? `${chars.slice(0, MAX_MESSAGE_RUNES).join('')}\n(truncated)` : out;
}
