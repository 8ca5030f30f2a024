/**
 * What a change does to the two-person numbers: "bob@example.com: people needed for dbadmin 3 -> 1,
 * via role-editor". One change per principal and privileged role whose cheapest path needs a different
 * number of people in the head than in the base.
 */
import { AccessAnalysis, AccessPath } from '../model/access-paths';
import { decisiveStep } from '../model/rules';
import { PrivilegeChange } from './privilege-diff';

function via(p: AccessPath): string {
  const s = decisiveStep(p);
  return s.resource.slice(s.resource.indexOf('/') + 1);
}

export function diffPeople(base: AccessAnalysis, head: AccessAnalysis): PrivilegeChange[] {
  const out: PrivilegeChange[] = [];
  const roles = new Set([...base.roles.keys(), ...head.roles.keys()]);
  for (const role of [...roles].sort()) {
    const before = new Map((base.roles.get(role)?.paths ?? []).map((p) => [p.principal, p]));
    const after = new Map((head.roles.get(role)?.paths ?? []).map((p) => [p.principal, p]));
    for (const who of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(who);
      const h = after.get(who);
      if (b?.people === h?.people) continue;
      const widens = h !== undefined && (b === undefined || h.people < b.people);
      const n = (p?: AccessPath) => (p ? String(p.people) : 'no path');
      const how = !h ? '' : h.steps.length === 1 && h.steps[0]!.kind === 'holds' ? `, holds ${role}` : `, via ${via(h)}`;
      const alone = h && h.people < 2 ? ' (one person alone)' : '';
      out.push({ user: who, kind: 'people', widens, privileged: true, subject: role, template: `{user}: people needed for ${role} ${n(b)} -> ${n(h)}${how}${alone}`, text: `${who}: people needed for ${role} ${n(b)} -> ${n(h)}${how}${alone}` });
    }
  }
  return out.sort((a, b) => Number(b.widens) - Number(a.widens) || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0) || (a.user < b.user ? -1 : 1));
}
