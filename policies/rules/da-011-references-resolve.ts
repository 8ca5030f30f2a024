import { referenceProblems } from '../../model';
import { PolicyRule, RawFinding } from '../types';

/** Role and user references name declared (or known preset) identities, and request grants name exact roles. */
export const referencesResolve: PolicyRule = {
  id: 'DA-011',
  name: 'references-resolve',
  severity: 'warning',
  control: 'AC-3',
  description: 'Every role or user a resource names exists (declared, or a configured preset such as access or editor), and request grants name exact roles rather than patterns.',
  fix: 'Fix the name or declare the missing role/user; replace request.roles patterns such as "*" or "db-*" with the exact roles.',
  check({ index, config }) {
    // The model's one reference check; impersonation wildcards are DA-006's finding, not repeated here.
    return referenceProblems(index.dir, { externalRoles: config.externalRoles })
      .filter((p) => !(p.problem === 'wildcard' && p.grant === 'impersonate'))
      .map((p): RawFinding => ({ resource: p.resource, field: p.field, key: p.key, message: `${p.resource} ${p.message}` }));
  },
};
