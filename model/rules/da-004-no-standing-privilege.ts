import { resourceKey } from '../index';
import { ModelRule, RawFinding } from './types';

/** `{{internal.logins}}` / `{{external.logins}}`: a login filled in from the user's traits. */
const TRAIT_TEMPLATE = /^\{\{\s*(?:internal|external)\.([A-Za-z0-9_]+)\s*\}\}$/;

/** No person holds a privileged role permanently: it is obtained through a reviewed access request. */
export const noStandingPrivilege: ModelRule = {
  id: 'DA-004',
  name: 'no-standing-privileged-assignment',
  severity: 'error',
  control: 'AC-6',
  description: 'No user holds a privileged role as a standing assignment (spec.roles), directly or through a privileged login filled in from their traits; privileged access is requested and approved each time.',
  fix: 'Remove the privileged role from the user\'s spec.roles and give the user a requester role that can request it with dual approval; suppress with a reason and expiry for a break-glass account.',
  check({ index, config }) {
    const out: RawFinding[] = [];
    for (const u of index.users()) {
      // logins from traits ({{internal.logins}}): a standing role that expands to a privileged login
      for (const role of index.dir.rolesOf(u)) {
        for (const login of role.spec.allow?.logins ?? []) {
          const m = TRAIT_TEMPLATE.exec(login);
          const trait = m?.[1];
          if (!trait) continue;
          const hits = (u.spec.traits?.[trait] ?? []).filter((v) => config.privileged.logins.includes(v));
          if (hits.length === 0 || index.isPrivileged(role.metadata.name)) continue;
          out.push({
            resource: resourceKey(u),
            field: `spec.traits.${trait}`,
            key: `trait:${role.metadata.name}:${trait}`,
            message: `${u.metadata.name} holds role ${role.metadata.name}, whose login ${login} expands to privileged login ${hits.join(', ')} from the user's traits`,
          });
        }
      }
      (u.spec.roles ?? []).forEach((role, i) => {
        const why = index.privilegeReason(role);
        if (!why) return;
        out.push({
          resource: resourceKey(u),
          field: `spec.roles[${i}]`,
          key: role,
          message: `${u.metadata.name} holds privileged role ${role} (${why}) permanently instead of requesting it`,
        });
      });
    }
    return out;
  },
};
