/**
 * Changing the rules (write verbs on the kinds that decide who holds what), as the principal or as a
 * user they impersonate: the first one-person path found, in the order role, user, access list, access
 * list member, connector, bot + token, token for an existing bot, SetAccessRequestState.
 */
import { Capabilities } from './capabilities';
import { grantFor, grantText } from './rule-writes';
import { Step } from './types';
import { AccessWorld } from './world';

/** Someone the principal acts as: themselves, or a user they impersonate (with the step that does it). */
export interface Identity {
  who: string;
  caps: Capabilities;
  prefix: Step[];
}

export function findWritePath(world: AccessWorld, heldNames: (u: string) => string[], u: string, p: string, ids: Identity[], own: Capabilities): Step[] | undefined {
  for (const id of ids) {
    const w = id.caps.writes;
    const step = (text: string, role: string, field: string): Step[] => [...id.prefix, { kind: 'write', text, resource: `role/${role}`, field }];
    const rg = w.get('role');
    if (rg) {
      const candidates = [...new Set([...heldNames(u), ...heldNames(id.who)])];
      const requesterRoles = candidates.filter((c) => own.requests.get(p) && world.roles.get(c)?.spec.allow?.request);
      for (const x of [...requesterRoles, ...candidates]) {
        const g = grantFor(rg, x);
        if (g) return step(`${grantText(g, 'role', x)}, which ${heldNames(u).includes(x) ? u : id.who} holds: it can be given ${p}'s permissions or a request path without approvals`, g.role, g.field);
      }
    }
    const ug = w.get('user') && grantFor(w.get('user')!, u);
    if (ug) return step(`${grantText(ug, 'user', u)}: ${u} can add ${p} to their own roles`, ug.role, ug.field);
    const lg = w.get('access_list') && grantFor(w.get('access_list')!);
    if (lg) return step(`${grantText(lg, 'access_list')}: ${u} can make an access list that grants ${p} to its owners and own it`, lg.role, lg.field);
    const mg = w.get('access_list_member') && grantFor(w.get('access_list_member')!);
    const list = mg && [...world.lists.values()].find((l) => (l.spec.grants?.roles ?? []).includes(p));
    if (mg && list) return step(`${grantText(mg, 'access_list_member')}: ${u} can add themselves to access list ${list.metadata.name}, which grants ${p}`, mg.role, mg.field);
    for (const k of ['github', 'saml', 'oidc'] as const) {
      const cg = w.get(k) && grantFor(w.get(k)!);
      if (cg) return step(`${grantText(cg, `${k} connector`)}: ${u} can map a group they belong to to ${p}`, cg.role, cg.field);
    }
    const tg = w.get('token') && grantFor(w.get('token')!);
    const bg = w.get('bot') && grantFor(w.get('bot')!);
    if (tg && bg) return step(`${grantText(bg, 'bot')} and ${tg.role} allows ${tg.verb} on token: ${u} can create a bot with ${p} and a join token for it`, bg.role, bg.field);
    const bot = tg && world.bots.find((b) => (b.spec.roles ?? []).includes(p));
    if (tg && bot) return step(`${grantText(tg, 'token')}: ${u} can create a join token for bot ${bot.metadata.name}, which holds ${p}`, tg.role, tg.field);
    if (own.requests.has(p) && id.caps.setState.length > 0) {
      const g = id.caps.setState[0]!;
      return step(`${u} can request ${p}, and ${grantText(g, 'access_request')}: the request can be set to APPROVED directly (SetAccessRequestState)`, g.role, g.field);
    }
  }
  return undefined;
}
