/**
 * Write permissions granted by `rules` (lib/services/role.go RoleSet.CheckAccessToRule): a verb on a
 * resource kind is allowed when some allow rule names the kind (or `*`) and the verb (or `*`), and no
 * deny rule does. A `where` condition restricts which resources: we read the forms that name resources
 * (`resource.metadata.name == "x"`, `equals(resource.metadata.name, "x")`, joined with `||`); any other
 * `where` on an allow rule is assumed to match (a path we cannot rule out counts), and a deny rule with
 * a `where` is assumed not to block.
 */
import { RoleResource, Rule } from '../resources';

export interface WriteGrant {
  /** The role whose allow rule grants it. */
  role: string;
  verb: string;
  /** Resource names the grant is limited to (undefined: any). */
  names?: string[];
  /** The where condition we could not read, if any (assumed to match). */
  unreadWhere?: string;
  field: string;
}

const NAME_EQ = /^\s*(?:resource\.metadata\.name\s*==\s*"([^"]*)"|equals\(\s*resource\.metadata\.name\s*,\s*"([^"]*)"\s*\))\s*$/;

/** Names a where condition limits resources to, or undefined when it is not of a form we read. */
export function whereNames(where: string): string[] | undefined {
  const out: string[] = [];
  for (const part of where.split('||')) {
    const m = NAME_EQ.exec(part.replace(/^\s*\(|\)\s*$/g, ''));
    if (!m) return undefined;
    out.push((m[1] ?? m[2]) as string);
  }
  return out;
}

const covers = (list: readonly string[] | undefined, x: string) => !!list && (list.includes(x) || list.includes('*'));

/** Allow grants for `verb` on `kind` across a role set, minus what a where-less deny rule forbids. */
export function writeGrants(roles: readonly RoleResource[], kind: string, verbs: readonly string[]): WriteGrant[] {
  const denied = (verb: string) => roles.some((r) => (r.spec.deny?.rules ?? []).some((d: Rule) => !d.where && covers(d.resources, kind) && covers(d.verbs, verb)));
  const out: WriteGrant[] = [];
  for (const verb of verbs) {
    if (denied(verb)) continue;
    for (const r of roles) {
      (r.spec.allow?.rules ?? []).forEach((rule, i) => {
        if (!covers(rule.resources, kind) || !covers(rule.verbs, verb)) return;
        const names = rule.where ? whereNames(rule.where) : undefined;
        out.push({ role: r.metadata.name, verb, ...(names ? { names } : {}), ...(rule.where && !names ? { unreadWhere: rule.where } : {}), field: `spec.allow.rules[${i}]` });
      });
    }
  }
  return out;
}

/** The first grant that reaches a resource named `name` (any name when `name` is undefined). */
export function grantFor(grants: readonly WriteGrant[], name?: string): WriteGrant | undefined {
  return grants.find((g) => !g.names || (name !== undefined && g.names.includes(name)));
}

export function grantText(g: WriteGrant, kind: string, name?: string): string {
  const target = name !== undefined ? `${kind} ${name}` : kind;
  return `${g.role} allows ${g.verb} on ${target}${g.unreadWhere ? ` (its where condition ${JSON.stringify(g.unreadWhere)} is assumed to match)` : ''}`;
}
