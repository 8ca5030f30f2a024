/** A path in one sentence: "bob@example.com can obtain dbadmin alone: role-editor allows update on role devops, ...". */
import { AccessPath } from './types';

export function pathInWords(p: AccessPath): string {
  const who = p.principalKind === 'group' ? `members of ${p.principal}` : p.principal;
  const n = p.people === 1 ? 'alone' : `with ${p.people - 1} other ${p.people === 2 ? 'person' : 'people'} (${p.people} in all)`;
  return `${who} can obtain ${p.role} ${n}: ${p.steps.map((s) => s.text).join('; then ')}`;
}
