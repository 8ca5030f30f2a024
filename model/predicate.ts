/**
 * Teleport's access predicates: `review_requests.where` and `request.thresholds[].filter`
 * (lib/services/access_request.go, the review-permission and threshold-filter parsers).
 * Functions: equals, contains, regexp.match; operators &&, ||, ! (and == / != as the docs show).
 * Parsing uses jsep; Go-style backtick strings are rewritten to quoted strings first.
 */
import jsep from 'jsep';

export type PredicateGrammar = 'review-where' | 'threshold-filter';

const VARIABLES: Record<PredicateGrammar, readonly string[]> = {
  'review-where': ['reviewer.roles', 'reviewer.traits', 'request.roles', 'request.reason', 'request.system_annotations'],
  'threshold-filter': [
    'reviewer.roles',
    'reviewer.traits',
    'request.roles',
    'request.reason',
    'request.system_annotations',
    'review.reason',
    'review.annotations',
  ],
};

/** Variables that are maps and must be indexed (`reviewer.traits["team"]`). */
const MAP_VARIABLES = new Set(['reviewer.traits', 'request.system_annotations', 'review.annotations']);

export interface PredicateContext {
  reviewer?: { roles: string[]; traits: Record<string, string[]> };
  request?: { roles: string[]; reason: string; system_annotations: Record<string, string[]> };
  review?: { reason: string; annotations: Record<string, string[]> };
}

type Value = string | string[] | boolean;
type Node = jsep.Expression;

export class PredicateError extends Error {}

export interface ParsedPredicate {
  source: string;
  evaluate(ctx: PredicateContext): boolean;
}

function rewriteBackticks(src: string): string {
  return src.replace(/`([^`]*)`/g, (_m, body: string) => JSON.stringify(body));
}

function variablePath(node: Node): string | undefined {
  if (node.type === 'Identifier') return String(node.name);
  if (node.type === 'MemberExpression' && !node.computed) {
    const obj = variablePath(node.object as Node);
    const prop = (node.property as Node).name;
    return obj === undefined ? undefined : `${obj}.${String(prop)}`;
  }
  return undefined;
}

/** Checks the tree: known functions, known variables for the grammar, indexed maps. Returns problems. */
function check(node: Node, grammar: PredicateGrammar, problems: string[]): void {
  switch (node.type) {
    case 'Literal':
      if (typeof node.value !== 'string' && typeof node.value !== 'boolean') problems.push(`unsupported literal ${String(node.raw)}: use a quoted string`);
      return;
    case 'UnaryExpression':
      if (node.operator !== '!') problems.push(`unsupported operator ${String(node.operator)}: use !`);
      check(node.argument as Node, grammar, problems);
      return;
    case 'BinaryExpression':
      if (!['&&', '||', '==', '!='].includes(String(node.operator))) problems.push(`unsupported operator ${String(node.operator)}: use &&, || or !`);
      check(node.left as Node, grammar, problems);
      check(node.right as Node, grammar, problems);
      return;
    case 'CallExpression': {
      const fn = variablePath(node.callee as Node);
      if (fn !== 'equals' && fn !== 'contains' && fn !== 'regexp.match') {
        problems.push(`unknown function ${fn ?? '(expression)'}: use equals, contains or regexp.match`);
      } else if ((node.arguments as Node[]).length !== 2) {
        problems.push(`${fn} takes 2 arguments`);
      }
      for (const a of node.arguments as Node[]) check(a, grammar, problems);
      return;
    }
    case 'MemberExpression': {
      if (node.computed) {
        const base = variablePath(node.object as Node);
        if (base === undefined || !MAP_VARIABLES.has(base) || !VARIABLES[grammar].includes(base)) {
          problems.push(`unknown variable ${base ?? '(expression)'}[...]: known variables are ${VARIABLES[grammar].join(', ')}`);
        }
        const key = node.property as Node;
        if (key.type !== 'Literal' || typeof key.value !== 'string') problems.push(`index of ${base} must be a quoted string`);
        return;
      }
      const path = variablePath(node);
      if (path === undefined || !VARIABLES[grammar].includes(path)) {
        problems.push(`unknown variable ${path ?? '(expression)'}: known variables are ${VARIABLES[grammar].join(', ')}`);
      }
      return;
    }
    case 'Identifier':
      problems.push(`unknown variable ${String(node.name)}: known variables are ${VARIABLES[grammar].join(', ')}`);
      return;
    default:
      problems.push(`unsupported expression ${node.type}`);
  }
}

function lookup(path: string, ctx: PredicateContext): Value {
  const [scope, field] = path.split('.') as [keyof PredicateContext, string];
  const obj = ctx[scope] as Record<string, unknown> | undefined;
  const v = obj?.[field];
  if (v === undefined) return MAP_VARIABLES.has(path) ? [] : '';
  return v as Value;
}

function evalNode(node: Node, ctx: PredicateContext): Value {
  switch (node.type) {
    case 'Literal':
      return node.value as string | boolean;
    case 'UnaryExpression':
      return !truthy(evalNode(node.argument as Node, ctx));
    case 'BinaryExpression': {
      const op = node.operator;
      if (op === '&&') return truthy(evalNode(node.left as Node, ctx)) && truthy(evalNode(node.right as Node, ctx));
      if (op === '||') return truthy(evalNode(node.left as Node, ctx)) || truthy(evalNode(node.right as Node, ctx));
      const eq = equalValues(evalNode(node.left as Node, ctx), evalNode(node.right as Node, ctx));
      return op === '==' ? eq : !eq;
    }
    case 'CallExpression': {
      const fn = variablePath(node.callee as Node);
      const [a, b] = (node.arguments as Node[]).map((n) => evalNode(n, ctx));
      if (fn === 'equals') return equalValues(a, b);
      if (fn === 'contains') return Array.isArray(a) ? a.includes(String(b)) : String(a).includes(String(b));
      // regexp.match: true when any value matches (Go's RE2 and JS agree on the subset used in practice)
      const re = new RegExp(String(b));
      return (Array.isArray(a) ? a : [String(a)]).some((s) => re.test(s));
    }
    case 'MemberExpression': {
      if (node.computed) {
        const map = lookup(variablePath(node.object as Node) as string, ctx) as unknown as Record<string, string[]>;
        return map[String((node.property as Node).value)] ?? [];
      }
      return lookup(variablePath(node) as string, ctx);
    }
    default:
      return false;
  }
}

function truthy(v: Value): boolean {
  return v === true;
}

function equalValues(a: Value | undefined, b: Value | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = Array.isArray(a) ? a : [a];
    const y = Array.isArray(b) ? b : [b];
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return a === b;
}

/** Parses and checks a predicate; throws PredicateError listing every problem. */
export function parsePredicate(source: string, grammar: PredicateGrammar): ParsedPredicate {
  let tree: Node;
  try {
    tree = jsep(rewriteBackticks(source));
  } catch (err) {
    throw new PredicateError(`cannot parse ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
  const problems: string[] = [];
  check(tree, grammar, problems);
  if (problems.length > 0) throw new PredicateError(`${JSON.stringify(source)}: ${problems.join('; ')}`);
  return { source, evaluate: (ctx) => truthy(evalNode(tree, ctx)) };
}

/** Returns the problem with a predicate, or undefined when it parses for the grammar. Empty is valid. */
export function predicateProblem(source: string | undefined, grammar: PredicateGrammar): string | undefined {
  if (source === undefined || source.trim() === '') return undefined;
  try {
    parsePredicate(source, grammar);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const cache = new Map<string, ParsedPredicate>();

/** Evaluates a predicate; empty means true. Parsed predicates are cached by grammar and source. */
export function evaluatePredicate(source: string | undefined, grammar: PredicateGrammar, ctx: PredicateContext): boolean {
  if (source === undefined || source.trim() === '') return true;
  const key = `${grammar}\u0000${source}`;
  let p = cache.get(key);
  if (!p) {
    p = parsePredicate(source, grammar);
    cache.set(key, p);
  }
  return p.evaluate(ctx);
}
