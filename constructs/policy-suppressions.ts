/**
 * Suppressions declared on constructs (cdk-nag's NagSuppressions in spirit): they apply to the
 * construct's Teleport resource and every one below it, and synthesis writes them to
 * policy-suppressions.json for `dualauth review`.
 */
import type { IConstruct } from 'constructs';
import { validateSuppression, type ConstructSuppression, type Suppression } from '../model/suppression';

export type { ConstructSuppression } from '../model/suppression';

export const SUPPRESSIONS_METADATA = 'dualauth:suppressions';

/** Attaches suppressions to a construct; they apply to its Teleport resource and every one below it. */
export function addPolicySuppressions(construct: IConstruct, suppressions: readonly ConstructSuppression[]): void {
  if (!Array.isArray(suppressions)) throw new Error(`addPolicySuppressions(${construct.node.path}): expected a list of suppressions`);
  suppressions.forEach((s, i) => {
    const problems = validateSuppression(s);
    if (problems.length > 0) {
      throw new Error(`addPolicySuppressions(${construct.node.path || '<root>'}): suppression ${i} (${JSON.stringify((s as { rule?: unknown })?.rule)}) is invalid: ${problems.join('; ')}`);
    }
  });
  construct.node.addMetadata(SUPPRESSIONS_METADATA, suppressions.map((s) => ({ ...s })));
}

/**
 * Every suppression declared under `scope`, one entry per covered resource (`resourceKeyOf` gives a
 * construct's `kind/name`, or undefined for constructs that are not Teleport resources). A suppression on
 * `scope` itself with no resource below applies to the rule as a whole.
 */
export function collectPolicySuppressions(scope: IConstruct, resourceKeyOf: (c: IConstruct) => string | undefined): Suppression[] {
  const out: Suppression[] = [];
  const seen = new Set<string>();
  for (const c of scope.node.findAll()) {
    const declared = c.node.metadata.filter((m) => m.type === SUPPRESSIONS_METADATA).flatMap((m) => m.data as ConstructSuppression[]);
    if (declared.length === 0) continue;
    const keys = [...new Set(c.node.findAll().map(resourceKeyOf).filter((k): k is string => typeof k === 'string'))].sort();
    if (keys.length === 0 && c !== scope) {
      throw new Error(`policy suppressions on ${c.node.path} cover no Teleport resource: put them on the resource's construct or a parent of it`);
    }
    for (const s of declared) {
      for (const resource of keys.length ? keys : [undefined]) {
        const entry: Suppression = { rule: s.rule, ...(resource ? { resource } : {}), reason: s.reason };
        if (s.owner !== undefined) entry.owner = s.owner;
        if (s.expires !== undefined) entry.expires = s.expires;
        entry.construct = c.node.path;
        const id = JSON.stringify(entry);
        if (!seen.has(id)) {
          seen.add(id);
          out.push(entry);
        }
      }
    }
  }
  return out.sort((a, b) => (a.rule + (a.resource ?? '')).localeCompare(b.rule + (b.resource ?? '')));
}

