/** Compiles and caches ajv validators; turns ajv errors into `field: problem` lines. */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { didYouMean } from './did-you-mean';

/** ' (did you mean "x"?)' for an unknown field, from the fields its schema object declares. */
function fieldSuggestion(e: ErrorObject): string {
  const extra = (e.params as { additionalProperty: string }).additionalProperty;
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? didYouMean(extra, Object.keys(props)) : '';
}

// verbose: errors carry their parent schema, so an unknown field can be matched against the known ones
const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;
const ajv = new Ajv(AJV_OPTIONS);
const compiled = new Map<string, ValidateFunction>();

/** Export name of a validator in the precompiled module (`role/v5` -> `role_v5`). */
const exportName = (key: string) => key.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * Validators compiled at build time (cli/build.mjs writes schema-validators.js beside this file in
 * dist/): compiling the role schemas is most of a CLI run's start-up. Run from source, there is none.
 */
let precompiled: Record<string, ValidateFunction> | undefined;
function precompiledValidator(key: string): ValidateFunction | undefined {
  if (precompiled === undefined) {
    try {
      precompiled = require('./schema-validators.js') as Record<string, ValidateFunction>;
    } catch {
      precompiled = {};
    }
  }
  return precompiled[exportName(key)];
}

/** CommonJS source of standalone validators for `schemas` (by key), for the build to write. */
export function standaloneValidators(schemas: Record<string, object>): string {
  const builder = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const names: Record<string, string> = {};
  for (const [key, schema] of Object.entries(schemas)) {
    builder.addSchema(schema, key);
    names[exportName(key)] = key;
  }
  return standaloneCode(builder, names);
}

function fieldPath(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return base ? `${base}.${extra}` : extra;
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return base ? `${base}.${missing}` : missing;
  }
  return base || '(document)';
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `is not a field Teleport knows here${fieldSuggestion(e)}: check the spelling and nesting, or remove it`;
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'const') return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  if (e.keyword === 'enum') return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? 'is invalid';
}

export interface SchemaProblem {
  field: string;
  message: string;
}

function compiledValidator(key: string, schema: () => object): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = precompiledValidator(key) ?? ajv.compile(schema());
    compiled.set(key, validate);
  }
  return validate;
}

export function schemaProblems(key: string, schema: () => Record<string, unknown>, value: unknown): SchemaProblem[] {
  const validate = compiledValidator(key, schema);
  if (validate(value)) return [];
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of validate.errors ?? []) {
    const p = { field: fieldPath(e), message: describe(e) };
    const k = `${p.field}\u0000${p.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  return out;
}

/**
 * Problems as `at: message` lines, for documents of our own (suppression files, review configuration)
 * rather than Teleport resources; `hints` gives a message per ajv pattern failure by field-name ending.
 */
export function documentProblems(key: string, schema: object, value: unknown, hints: Record<string, string> = {}): string[] {
  const validate = compiledValidator(key, () => schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => {
    const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    if (e.keyword === 'additionalProperties') return `${at}: unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}${fieldSuggestion(e)}`;
    if (e.keyword === 'required') return `${at}: missing ${JSON.stringify((e.params as { missingProperty: string }).missingProperty)}`;
    if (e.keyword === 'pattern') {
      const hint = Object.entries(hints).find(([ending]) => at.endsWith(ending));
      if (hint) return `${at}: ${hint[1]}`;
    }
    return `${at}: ${e.message ?? 'is invalid'}`;
  });
}
