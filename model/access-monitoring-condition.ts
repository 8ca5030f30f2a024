/**
 * Access monitoring rule conditions: the subset of Teleport's "typical" expression language that
 * rules for access-request notifications use (lib/expression DefaultParserSpec plus the variables of
 * integrations/access/accessmonitoring request_mapping.go), evaluated against one request.
 *
 *   variables  access_request.spec.roles, .suggested_reviewers (sets), .system_annotations (map of
 *              sets), .user, .request_reason (strings), user.traits (map of sets), plugin.spec.name
 *   functions  set(...), union(...), ifelse(c, a, b), strings.upper/lower(x), email.local(set),
 *              contains_any(a, b), contains_all(a, b), is_empty(x)
 *   methods    s.contains(x), s.contains_any(set), s.contains_all(set), s.add(...), s.remove(...)
 *   operators  && || ! == !=, map["key"]
 *
 * Anything else is an error, and Teleport's rule then does not match (EvaluateRules logs and skips
 * it); the caller does the same.
 */
import jsep from 'jsep';

export interface AmrEnv {
  roles: string[];
  suggestedReviewers: string[];
  annotations: Record<string, string[]>;
  user: string;
  requestReason: string;
  userTraits: Record<string, string[]>;
  pluginName: string;
}

type Value = string | boolean | Set<string> | Map<string, Set<string>>;

export class ConditionError extends Error {}

function dotted(node: jsep.Expression): string | undefined {
  if (node.type === 'Identifier') return String(node.name);
  if (node.type === 'MemberExpression' && !node.computed) {
    const left = dotted(node.object as jsep.Expression);
    return left === undefined ? undefined : `${left}.${String((node.property as jsep.Identifier).name)}`;
  }
  return undefined;
}

function toSet(v: Value, what: string): Set<string> {
  if (typeof v === 'string') return new Set([v]);
  if (v instanceof Set) return v;
  throw new ConditionError(`${what}: expected a set or string`);
}

function toBool(v: Value, what: string): boolean {
  if (typeof v !== 'boolean') throw new ConditionError(`${what}: expected a boolean`);
  return v;
}

function toStr(v: Value, what: string): string {
  if (typeof v !== 'string') throw new ConditionError(`${what}: expected a string`);
  return v;
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  return false;
}

function variables(env: AmrEnv): Record<string, Value> {
  const dict = (m: Record<string, string[]>) => new Map(Object.entries(m).map(([k, v]) => [k, new Set(v)]));
  return {
    true: true,
    false: false,
    'access_request.spec.roles': new Set(env.roles),
    'access_request.spec.suggested_reviewers': new Set(env.suggestedReviewers),
    'access_request.spec.system_annotations': dict(env.annotations),
    'access_request.spec.user': env.user,
    'access_request.spec.request_reason': env.requestReason,
    'user.traits': dict(env.userTraits),
    'plugin.spec.name': env.pluginName,
  };
}

function evaluate(node: jsep.Expression, vars: Record<string, Value>): Value {
  switch (node.type) {
    case 'Literal': {
      const v = (node as jsep.Literal).value;
      if (typeof v === 'string' || typeof v === 'boolean') return v;
      throw new ConditionError(`unsupported literal ${String((node as jsep.Literal).raw)}`);
    }
    case 'Identifier':
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      if (node.type === 'MemberExpression' && m.computed) {
        const obj = evaluate(m.object, vars);
        const key = toStr(evaluate(m.property, vars), 'map index');
        if (!(obj instanceof Map)) throw new ConditionError('indexing a value that is not a map');
        return obj.get(key) ?? new Set();
      }
      const name = dotted(node);
      if (name === undefined || !(name in vars)) throw new ConditionError(`unknown variable ${name ?? '?'}`);
      return vars[name];
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (u.operator !== '!') throw new ConditionError(`unsupported operator ${u.operator}`);
      return !toBool(evaluate(u.argument, vars), '!');
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      if (b.operator === '&&') return toBool(evaluate(b.left, vars), '&&') && toBool(evaluate(b.right, vars), '&&');
      if (b.operator === '||') return toBool(evaluate(b.left, vars), '||') || toBool(evaluate(b.right, vars), '||');
      if (b.operator === '==') return equal(evaluate(b.left, vars), evaluate(b.right, vars));
      if (b.operator === '!=') return !equal(evaluate(b.left, vars), evaluate(b.right, vars));
      throw new ConditionError(`unsupported operator ${b.operator}`);
    }
    case 'CallExpression':
      return call(node as jsep.CallExpression, vars);
    default:
      throw new ConditionError(`unsupported expression (${node.type})`);
  }
}

function call(c: jsep.CallExpression, vars: Record<string, Value>): Value {
  const args = () => c.arguments.map((a) => evaluate(a, vars));
  const fn = dotted(c.callee);
  switch (fn) {
    case 'set':
      return new Set(args().map((a) => toStr(a, 'set()')));
    case 'union':
      return new Set(args().flatMap((a) => [...toSet(a, 'union()')]));
    case 'ifelse': {
      const [cond, a, b] = args();
      return toBool(cond, 'ifelse()') ? a : b;
    }
    case 'strings.upper':
    case 'strings.lower': {
      const f = fn === 'strings.upper' ? (s: string) => s.toUpperCase() : (s: string) => s.toLowerCase();
      const [v] = args();
      return typeof v === 'string' ? f(v) : new Set([...toSet(v, fn)].map(f));
    }
    case 'email.local':
      return new Set([...toSet(args()[0], 'email.local()')].map((e) => e.split('@')[0]));
    case 'contains_any': {
      const [a, b] = args().map((x) => toSet(x, 'contains_any()'));
      return [...b].some((x) => a.has(x));
    }
    case 'contains_all': {
      const [a, b] = args().map((x) => toSet(x, 'contains_all()'));
      return [...b].every((x) => a.has(x));
    }
    case 'is_empty': {
      const [v] = args();
      return typeof v === 'string' ? v === '' : v instanceof Set || v instanceof Map ? v.size === 0 : false;
    }
  }
  // Methods: <receiver>.<name>(args)
  if (c.callee.type === 'MemberExpression' && !(c.callee as jsep.MemberExpression).computed) {
    const m = c.callee as jsep.MemberExpression;
    const method = String((m.property as jsep.Identifier).name);
    const recv = evaluate(m.object, vars);
    const a = args();
    switch (method) {
      case 'contains':
        return toSet(recv, '.contains()').has(toStr(a[0], '.contains()'));
      case 'contains_any':
        return [...toSet(a[0], '.contains_any()')].some((x) => toSet(recv, '.contains_any()').has(x));
      case 'contains_all':
        return [...toSet(a[0], '.contains_all()')].every((x) => toSet(recv, '.contains_all()').has(x));
      case 'add':
        return new Set([...toSet(recv, '.add()'), ...a.map((x) => toStr(x, '.add()'))]);
      case 'remove': {
        const drop = new Set(a.map((x) => toStr(x, '.remove()')));
        if (recv instanceof Map) return new Map([...recv].filter(([k]) => !drop.has(k)));
        return new Set([...toSet(recv, '.remove()')].filter((x) => !drop.has(x)));
      }
    }
    throw new ConditionError(`unsupported method .${method}()`);
  }
  throw new ConditionError(`unsupported function ${fn ?? '?'}()`);
}

/** True when the condition holds; throws ConditionError when it cannot be evaluated. */
export function evaluateCondition(condition: string, env: AmrEnv): boolean {
  let tree: jsep.Expression;
  try {
    tree = jsep(condition);
  } catch (e) {
    throw new ConditionError(`cannot parse: ${(e as Error).message}`);
  }
  const v = evaluate(tree, variables(env));
  return v === true;
}

/** The parse problem of a condition, or undefined when it parses (evaluation problems show per request). */
export function conditionProblem(condition: string): string | undefined {
  try {
    jsep(condition);
    return undefined;
  } catch (e) {
    return `cannot parse: ${(e as Error).message}`;
  }
}
