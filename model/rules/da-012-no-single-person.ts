import { pathInWords, AccessPath, Step } from '../access-paths';
import { ModelRule, RawFinding } from './types';

/** The step a finding points at: the one that makes the path possible (a write, an impersonation...). */
export function decisiveStep(p: AccessPath): Step {
  return [...p.steps].reverse().find((s) => s.kind !== 'request') ?? p.steps[0]!;
}

/** No single person can obtain a privileged role, by any path Teleport allows. */
export const noSinglePerson: ModelRule = {
  id: 'DA-012',
  name: 'no-single-person-obtains-privileged-role',
  severity: 'error',
  control: 'AC-5',
  description: 'No single person (or bot, or external group) can obtain a privileged role alone: by holding it through a bot, access list or SSO connector, by impersonation, by changing roles, users, bots, tokens, access lists, access monitoring rules or connectors, or by setting a request\'s state.',
  fix: 'Remove the path the finding names: the write rule, the impersonation, the access-list grant, the connector mapping or the bot role. A user holding the role directly is reported by DA-004.',
  check({ access }) {
    const out: RawFinding[] = [];
    for (const ra of access().roles.values()) {
      for (const p of ra.paths) {
        if (p.people >= 2) break; // paths are sorted, fewest people first
        if (p.steps.length === 1 && p.steps[0]!.kind === 'holds') continue; // DA-004
        const s = decisiveStep(p);
        out.push({ resource: s.resource, ...(s.field ? { field: s.field } : {}), key: `${ra.role}:${p.principal}`, message: pathInWords(p) });
      }
    }
    return out;
  },
};
