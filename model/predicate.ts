/**
 * Teleport's access predicates: `review_requests.where` and `request.thresholds[].filter`
 * (lib/services/access_request.go, the review-permission and threshold-filter parsers).
 * Functions: equals, contains, regexp.match; operators &&, ||, ! (and == / != on strings, as the docs show);
 * maps indexed as `m["key"]` or `m.key`. Types are checked as Teleport's typed parser (lib/utils/typical) does:
 * `!` and `&&` need booleans, `==` compares strings, the whole expression must be a boolean.
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

/** Types of Teleport's typed predicate parser (lib/utils/typical): what each variable and function takes and gives. */
type PType = 'bool' | 'string' | 'int' | 'list' | 'map';

const VARIABLE_TYPES: Record<string, PType> = {
  'reviewer.roles': 'list',
  'reviewer.traits': 'map',
  'request.roles': 'list',
  'request.reason': 'string',
  'request.system_annotations': 'map',
  'review.reason': 'string',
  'review.annotations': 'map',
};

/** A dotted name as the grammar resolves it: a variable, or `map.key` (typical's getIdentifier allows it). */
function resolveName(path: string, grammar: PredicateGrammar): { variable: string; key?: string } | undefined {
  if (VARIABLES[grammar].includes(path)) return { variable: path };
  const dot = path.lastIndexOf('.');
  const base = path.slice(0, dot);
  if (dot > 0 && VARIABLES[grammar].includes(base) && MAP_VARIABLES.has(base)) return { variable: base, key: path.slice(dot + 1) };
  return undefined;
}

/** `list` accepts a string too: typical coerces a string (or string expression) to a one-element list. */
function fits(actual: PType | undefined, wanted: PType): boolean {
  return actual === undefined || actual === wanted || (wanted === 'list' && actual === 'string');
}

const FUNCTION_ARGS: Record<string, readonly (PType | 'any')[]> = {
  contains: ['list', 'string'],
  'regexp.match': ['list', 'string'],
  equals: ['any', 'any'],
};

/**
 * Checks the tree the way Teleport's typed parser does (known functions and variables for the grammar, argument and
 * operator types) and returns the expression's type; undefined when a problem was already reported below.
 */
function check(node: Node, grammar: PredicateGrammar, problems: string[]): PType | undefined {
  const known = (): string => `known variables are ${VARIABLES[grammar].join(', ')}`;
  switch (node.type) {
    case 'Literal':
      // Teleport parses predicates with Go's parser, where 'x' is a rune literal, not a string
      if (typeof node.value === 'string' && String(node.raw).startsWith("'")) {
        problems.push(`${String(node.raw)} is single-quoted: Teleport's predicates take double-quoted (or backquoted) strings`);
        return 'string';
      }
      if (typeof node.value === 'string') return 'string';
      if (typeof node.value === 'boolean') return 'bool';
      if (typeof node.value === 'number' && Number.isInteger(node.value)) return 'int';
      problems.push(`unsupported literal ${String(node.raw)}: use a quoted string`);
      return undefined;
    case 'UnaryExpression': {
      if (node.operator !== '!') {
        problems.push(`unsupported operator ${String(node.operator)}: use !`);
        return undefined;
      }
      const t = check(node.argument as Node, grammar, problems);
      if (t !== undefined && t !== 'bool') problems.push(`operator ! needs a boolean, got ${t} (for example !contains(...) or !equals(...))`);
      return 'bool';
    }
    case 'BinaryExpression': {
      const op = String(node.operator);
      if (!['&&', '||', '==', '!='].includes(op)) {
        problems.push(`unsupported operator ${op}: use &&, || or !`);
        return undefined;
      }
      const l = check(node.left as Node, grammar, problems);
      const r = check(node.right as Node, grammar, problems);
      if (op === '&&' || op === '||') {
        for (const t of [l, r]) if (t !== undefined && t !== 'bool') problems.push(`operator ${op} needs booleans on both sides, got ${t}`);
      } else if (l !== undefined && r !== undefined) {
        if (l !== 'string' && l !== 'int') problems.push(`operator ${op} is not supported for a ${l}: compare strings, or use contains(...) for a list`);
        else if (r !== l) problems.push(`operator ${op} compares a ${l} with a ${r}: both sides must have the same type`);
      }
      return 'bool';
    }
    case 'CallExpression': {
      const fn = variablePath(node.callee as Node);
      const args = node.arguments as Node[];
      const types = args.map((a) => check(a, grammar, problems));
      const spec = fn === undefined ? undefined : FUNCTION_ARGS[fn];
      if (!spec) {
        problems.push(`unknown function ${fn ?? '(expression)'}: use equals, contains or regexp.match`);
        return undefined;
      }
      if (args.length !== spec.length) {
        problems.push(`${fn} takes ${spec.length} arguments`);
        return 'bool';
      }
      spec.forEach((want, i) => {
        if (want !== 'any' && !fits(types[i], want)) problems.push(`argument ${i + 1} of ${fn} must be a ${want === 'list' ? 'list or string' : want}, got ${types[i]}`);
      });
      return 'bool';
    }
    case 'MemberExpression': {
      if (node.computed) {
        const base = variablePath(node.object as Node);
        if (base === undefined || !MAP_VARIABLES.has(base) || !VARIABLES[grammar].includes(base)) {
          problems.push(`unknown variable ${base ?? '(expression)'}[...]: ${known()}`);
          return undefined;
        }
        const key = check(node.property as Node, grammar, problems);
        if (key !== undefined && key !== 'string') problems.push(`index of ${base} must be a string, got ${key}`);
        return 'list';
      }
      const path = variablePath(node);
      const name = path === undefined ? undefined : resolveName(path, grammar);
      if (!name) {
        problems.push(`unknown variable ${path ?? '(expression)'}: ${known()}`);
        return undefined;
      }
      return name.key !== undefined ? 'list' : VARIABLE_TYPES[name.variable];
    }
    case 'Identifier':
      problems.push(`unknown variable ${String(node.name)}: ${known()}`);
      return undefined;
    default:
      problems.push(`unsupported expression ${node.type}`);
      return undefined;
  }
}

function lookup(path: string, ctx: PredicateContext): Value {
  const [scope, field, ...rest] = path.split('.') as [keyof PredicateContext, string, ...string[]];
  const obj = ctx[scope] as Record<string, unknown> | undefined;
  const v = obj?.[field];
  const base = `${scope}.${field}`;
  if (rest.length > 0) return ((v as Record<string, string[]> | undefined)?.[rest.join('.')] ?? []) as Value; // map.key
  if (v === undefined) return MAP_VARIABLES.has(base) ? [] : '';
  return v as Value;
}

function evalNode(node: Node, ctx: PredicateContext): Value {
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'number' ? String(node.value) : (node.value as string | boolean);
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
      // contains(list, value): a string first argument is a one-element list, as in Teleport's typed parser
      if (fn === 'contains') return (Array.isArray(a) ? a : [String(a)]).includes(String(b));
      // regexp.match: true when any value matches (Go's RE2 and JS agree on the subset used in practice)
      const re = new RegExp(String(b));
      return (Array.isArray(a) ? a : [String(a)]).some((s) => re.test(s));
    }
    case 'MemberExpression': {
      if (node.computed) {
        const map = lookup(variablePath(node.object as Node) as string, ctx) as unknown as Record<string, string[]>;
        return map[String(evalNode(node.property as Node, ctx))] ?? [];
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
  const type = check(tree, grammar, problems);
  if (problems.length === 0 && type !== 'bool') problems.push(`the expression is a ${type}, not a boolean: Teleport needs a condition such as contains(...) or equals(...)`);
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
