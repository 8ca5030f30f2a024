/**
 * The resources the analysis reads, indexed once: roles, users, bots, access lists with their members
 * and owners, access monitoring rules, SSO connectors; and per principal the roles they hold and how.
 *
 * Holding a role (each is a standing grant, one person alone):
 * - user spec.roles;
 * - bot spec.roles: the bot's certificates carry them (lib/auth/machineid: the bot role impersonates them);
 * - access lists: members (access_list_member, nested lists with membership_kind LIST, transitively)
 *   who meet membership_requires.roles get spec.grants.roles; owners get spec.owner_grants.roles
 *   (lib/accesslists, user login state); an owner may add members, themselves included;
 * - SSO connectors map external groups to roles (github teams_to_roles / teams_to_logins, saml
 *   attributes_to_roles, oidc claims_to_roles): whoever the identity provider puts in the group.
 */
import { AccessListMemberResource, AccessListResource, AccessMonitoringRuleResource, BotResource, ConnectorMapping, ConnectorResource, connectorMappings, CONNECTOR_KINDS } from '../access-resources';
import { RoleResource, TeleportResource, UserResource } from '../resources';
import { Step } from './types';

export interface Holding {
  role: string;
  steps: Step[];
}

const isListKind = (k: unknown) => k === 2 || k === 'MEMBERSHIP_KIND_LIST' || k === 'list' || k === 'LIST';

export class AccessWorld {
  readonly roles = new Map<string, RoleResource>();
  readonly users = new Map<string, UserResource>();
  readonly bots: BotResource[] = [];
  readonly lists = new Map<string, AccessListResource>();
  readonly amrs: AccessMonitoringRuleResource[] = [];
  readonly connectors: ConnectorResource[] = [];
  private readonly members: AccessListMemberResource[] = [];
  /** user -> roles held, each with the first way found. */
  private readonly held = new Map<string, Map<string, Step[]>>();
  /** role -> users holding it (any way). */
  private readonly holdersByRole = new Map<string, string[]>();

  constructor(resources: Iterable<TeleportResource>) {
    for (const r of resources) {
      if (r.kind === 'role') this.roles.set(r.metadata.name, r);
      else if (r.kind === 'user') this.users.set(r.metadata.name, r);
      else if (r.kind === 'bot') this.bots.push(r);
      else if (r.kind === 'access_list') this.lists.set(r.metadata.name, r);
      else if (r.kind === 'access_list_member') this.members.push(r);
      else if (r.kind === 'access_monitoring_rule') this.amrs.push(r);
      else if (CONNECTOR_KINDS.includes(r.kind)) this.connectors.push(r as ConnectorResource);
    }
    for (const u of this.users.values()) {
      const m = new Map<string, Step[]>();
      for (const role of u.spec.roles ?? []) {
        if (!m.has(role)) m.set(role, [{ kind: 'holds', text: `${u.metadata.name} holds ${role}`, resource: `user/${u.metadata.name}`, field: 'spec.roles' }]);
      }
      this.held.set(u.metadata.name, m);
    }
    if (this.lists.size > 0) this.addListGrants();
    for (const [user, m] of this.held) {
      for (const role of m.keys()) {
        const l = this.holdersByRole.get(role);
        if (l) l.push(user);
        else this.holdersByRole.set(role, [user]);
      }
    }
  }

  /** Roles a user holds (static and through access lists), each with how. */
  heldBy(user: string): Map<string, Step[]> {
    return this.held.get(user) ?? new Map();
  }

  holdersOf(role: string): string[] {
    return this.holdersByRole.get(role) ?? [];
  }

  rolesOf(names: Iterable<string>): RoleResource[] {
    const out: RoleResource[] = [];
    for (const n of names) {
      const r = this.roles.get(n);
      if (r) out.push(r);
    }
    return out;
  }

  connectorMappings(): ConnectorMapping[] {
    return this.connectors.flatMap((c) => connectorMappings(c));
  }

  /** Users who are members of a list, directly or through nested lists, with the chain of lists. */
  private listMembers(list: string, seen = new Set<string>()): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (seen.has(list)) return out;
    seen.add(list);
    for (const m of this.members) {
      if (m.spec.access_list !== list) continue;
      if (isListKind(m.spec.membership_kind)) {
        for (const [u, chain] of this.listMembers(m.spec.name, seen)) if (!out.has(u)) out.set(u, [...chain, list]);
      } else if (!out.has(m.spec.name)) out.set(m.spec.name, [list]);
    }
    return out;
  }

  private addListGrants(): void {
    for (const [name, list] of this.lists) {
      const requires = list.spec.membership_requires?.roles ?? [];
      const grant = (user: string, role: string, step: Step) => {
        const m = this.held.get(user);
        if (m && !m.has(role)) m.set(role, [step]);
      };
      for (const [user, chain] of this.listMembers(name)) {
        const u = this.users.get(user);
        if (!u || !requires.every((r) => (u.spec.roles ?? []).includes(r))) continue; // ineligible: Teleport grants nothing
        const via = chain.length > 1 ? ` (through nested list ${chain.slice(0, -1).join(' -> ')})` : '';
        for (const role of list.spec.grants?.roles ?? []) {
          grant(user, role, { kind: 'access-list-member', text: `${user} is a member of access list ${name}${via}, which grants ${role} to its members`, resource: `access_list/${name}`, field: 'spec.grants.roles' });
        }
      }
      for (const owner of list.spec.owners ?? []) {
        const owners = isListKind(owner.membership_kind) ? [...this.listMembers(owner.name).keys()] : [owner.name];
        for (const user of owners) {
          for (const role of list.spec.owner_grants?.roles ?? []) {
            grant(user, role, { kind: 'access-list-owner', text: `${user} owns access list ${name}, which grants ${role} to its owners`, resource: `access_list/${name}`, field: 'spec.owner_grants.roles' });
          }
          // owners manage membership: an owner can add themselves and receive the members' grants
          const u = this.users.get(user);
          if (!u || !requires.every((r) => (u.spec.roles ?? []).includes(r))) continue;
          for (const role of list.spec.grants?.roles ?? []) {
            grant(user, role, { kind: 'access-list-owner', text: `${user} owns access list ${name} and can add themselves as a member; it grants ${role} to its members`, resource: `access_list/${name}`, field: 'spec.owners' });
          }
        }
      }
    }
  }
}
