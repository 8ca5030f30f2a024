/**
 * The difference between two privilege views, as sentences a reviewer reads at a glance:
 * "bob@example.com can now request dbadmin with 1 approval (was 2)".
 */
import { PrivilegeView, RequestPath, UserPrivileges } from '../model/rules/privileges';

export type ChangeKind = 'people' | 'user' | 'holds' | 'request' | 'review' | 'impersonate' | 'login' | 'node-labels';

export interface PrivilegeChange {
  user: string;
  kind: ChangeKind;
  /** True when the change widens what someone can do (listed first). */
  widens: boolean;
  /** True when it concerns a privileged role (listed before other changes of the same direction). */
  privileged: boolean;
  /** The role, login, user or label the change is about. */
  subject: string;
  /** The sentence with `{user}` where the user's name goes; equal templates group several users. */
  template: string;
  text: string;
}

export interface DiffContext {
  /** Whether a role is privileged in the head (for "(privileged)" notes). */
  isPrivileged?(role: string): boolean;
}

const KIND_ORDER: ChangeKind[] = ['people', 'user', 'holds', 'request', 'review', 'impersonate', 'login', 'node-labels'];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function approvalsText(n: number | null): string {
  return n === null ? 'no approval path (no threshold can approve)' : plural(n, 'approval');
}

function denialsText(n: number | null): string {
  return n === null ? 'no denial possible' : plural(n, 'denial');
}

const EMPTY: Omit<UserPrivileges, 'user'> = { roles: [], requestable: [], reviewable: [], impersonateUsers: [], impersonateRoles: [], logins: [], nodeLabels: [] };

function added<T>(head: readonly T[], base: readonly T[]): T[] {
  const b = new Set(base);
  return head.filter((x) => !b.has(x));
}

export function diffPrivileges(base: PrivilegeView, head: PrivilegeView, ctx: DiffContext = {}): PrivilegeChange[] {
  const out: PrivilegeChange[] = [];
  const isPriv = (role: string) => !!ctx.isPrivileged?.(role);
  const push = (user: string, kind: ChangeKind, widens: boolean, subject: string, template: string) =>
    out.push({ user, kind, widens, privileged: kind !== 'login' && kind !== 'node-labels' && isPriv(subject), subject, template, text: template.split('{user}').join(user) });
  const priv = (role: string) => (isPriv(role) ? ' (privileged)' : '');

  const names = new Set([...base.users.keys(), ...head.users.keys()]);
  for (const user of names) {
    const b = base.users.get(user);
    const h = head.users.get(user);
    if (!h && b) {
      push(user, 'user', false, user, `{user} was removed${b.roles.length ? ` (held ${b.roles.join(', ')})` : ''}`);
      continue;
    }
    if (!h) continue;
    if (!b) push(user, 'user', true, user, '{user} is a new user');
    const was = b ?? { user, ...EMPTY };

    for (const r of added(h.roles, was.roles)) push(user, 'holds', true, r, `{user} now holds ${r}${priv(r)}`);
    for (const r of added(was.roles, h.roles)) push(user, 'holds', false, r, `{user} no longer holds ${r}`);

    const before = new Map<string, RequestPath>(was.requestable.map((p) => [p.role, p]));
    const after = new Map<string, RequestPath>(h.requestable.map((p) => [p.role, p]));
    for (const [role, p] of after) {
      const q = before.get(role);
      if (!q) {
        push(user, 'request', true, role, `{user} can now request ${role}${priv(role)} with ${approvalsText(p.approvals)}`);
        continue;
      }
      if (p.approvals !== q.approvals) {
        const widens = p.approvals !== null && (q.approvals === null || p.approvals < q.approvals);
        push(user, 'request', widens, role, `{user} can now request ${role} with ${approvalsText(p.approvals)} (was ${q.approvals === null ? 'none possible' : q.approvals})`);
      }
      if (p.denials !== q.denials) {
        const widens = p.denials === null || (q.denials !== null && p.denials > q.denials);
        push(user, 'request', widens, role, `{user}'s requests for ${role} now need ${denialsText(p.denials)} to be rejected (was ${q.denials === null ? 'none possible' : q.denials})`);
      }
    }
    for (const role of before.keys()) if (!after.has(role)) push(user, 'request', false, role, `{user} can no longer request ${role}`);

    for (const r of added(h.reviewable, was.reviewable)) push(user, 'review', true, r, `{user} can now review ${r}`);
    for (const r of added(was.reviewable, h.reviewable)) {
      const left = head.reviewersOf(r).length;
      const need = head.requiredApprovals(r);
      const why = need !== undefined && left < need ? `: ${r} now has ${plural(left, 'eligible reviewer')} for approve ${need}` : '';
      push(user, 'review', false, r, `{user} can no longer review ${r}${why}`);
    }

    for (const x of added(h.impersonateUsers, was.impersonateUsers)) push(user, 'impersonate', true, x, `{user} can now impersonate user ${x}`);
    for (const x of added(was.impersonateUsers, h.impersonateUsers)) push(user, 'impersonate', false, x, `{user} can no longer impersonate user ${x}`);
    for (const x of added(h.impersonateRoles, was.impersonateRoles)) push(user, 'impersonate', true, x, `{user} can now impersonate role ${x}${priv(x)}`);
    for (const x of added(was.impersonateRoles, h.impersonateRoles)) push(user, 'impersonate', false, x, `{user} can no longer impersonate role ${x}`);

    for (const l of added(h.logins, was.logins)) push(user, 'login', true, l, `{user} can now log in as ${l}`);
    for (const l of added(was.logins, h.logins)) push(user, 'login', false, l, `{user} can no longer log in as ${l}`);
    for (const l of added(h.nodeLabels, was.nodeLabels)) push(user, 'node-labels', true, l, `{user} now reaches nodes labelled ${l}`);
    for (const l of added(was.nodeLabels, h.nodeLabels)) push(user, 'node-labels', false, l, `{user} no longer reaches nodes labelled ${l}`);
  }
  return out.sort(
    (a, b) =>
      Number(b.widens) - Number(a.widens) ||
      Number(b.kind === 'user') - Number(a.kind === 'user') ||
      Number(b.privileged) - Number(a.privileged) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.template < b.template ? -1 : a.template > b.template ? 1 : 0) ||
      (a.user < b.user ? -1 : a.user > b.user ? 1 : 0),
  );
}

export interface ChangeGroup {
  widens: boolean;
  kind: ChangeKind;
  users: string[];
  template: string;
  /** The sentence with up to `maxNames` users named and the rest counted. */
  text: string;
}

/** The sentence for several users: verbs agree, and "{user}'s requests" becomes "requests by {user}". */
function pluralTemplate(t: string): string {
  return t
    .replace("{user}'s requests", 'requests by {user}')
    .replace('{user} is a new user', '{user} are new users')
    .replace('{user} was removed', '{user} were removed')
    .replace(/^\{user\} (now|no longer) holds /, '{user} $1 hold ')
    .replace(/^\{user\} (now|no longer) reaches /, '{user} $1 reach ');
}

/** Groups changes that read the same for several users: "alice, bob and 28 more can now request x". */
export function groupChanges(changes: readonly PrivilegeChange[], maxNames = 3): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const c of changes) {
    let g = groups.get(c.template);
    if (!g) {
      g = { widens: c.widens, kind: c.kind, users: [], template: c.template, text: '' };
      groups.set(c.template, g);
    }
    g.users.push(c.user);
  }
  for (const g of groups.values()) {
    const shown = g.users.slice(0, maxNames);
    const rest = g.users.length - shown.length;
    const who = rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.length <= 2 ? shown.join(' and ') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
    const template = g.users.length > 1 ? pluralTemplate(g.template) : g.template;
    g.text = template.split('{user}').join(who);
  }
  return [...groups.values()];
}
