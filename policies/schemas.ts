/**
 * ajv schemas for what the review reads besides Teleport's own structure (the model's kind schemas check
 * that): suppression files, the review configuration, and the field types the rules rely on.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false });
const stringList = { type: 'array', items: { type: 'string' } };
const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}([Tt ][0-9:.]+([Zz]|[+-]\\d{2}:?\\d{2})?)?$';

export const suppressionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rule', 'reason'],
  properties: {
    rule: { type: 'string', pattern: '^[A-Z]+-\\d{3}$' },
    resource: { type: 'string', minLength: 1 },
    reason: { type: 'string', pattern: '\\S' },
    owner: { type: 'string', minLength: 1 },
    expires: { type: 'string', pattern: ISO_DATE },
    construct: { type: 'string' },
  },
};

const suppressionFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['suppressions'],
  properties: { suppressions: { type: 'array', items: suppressionSchema } },
};

const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    privileged: {
      type: 'object',
      additionalProperties: false,
      properties: { names: stringList, logins: stringList, labels: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    maxSessionTtl: { type: 'string' },
    minApprovals: { type: 'integer', minimum: 1 },
    minDenials: { type: 'integer', minimum: 1 },
    pluginRoles: stringList,
    externalRoles: stringList,
  },
};

// Open schemas: only the fields the rules and the model's decision functions read, with the types they
// assume. A resource failing these is reported (DA-010) and left out of the meaning checks.
const labels = { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, stringList] } };
const claims = { type: 'array', items: { type: 'object', properties: { roles: stringList, claim: { type: 'string' }, value: { type: 'string' } } } };
const conditions = {
  type: 'object',
  properties: {
    logins: stringList,
    node_labels: labels,
    rules: { type: 'array', items: { type: 'object', properties: { resources: stringList, verbs: stringList } } },
    request: {
      type: 'object',
      properties: {
        roles: stringList,
        search_as_roles: stringList,
        claims_to_roles: claims,
        suggested_reviewers: stringList,
        thresholds: {
          type: 'array',
          items: { type: 'object', properties: { approve: { type: 'number' }, deny: { type: 'number' }, filter: { type: 'string' }, name: { type: 'string' } } },
        },
      },
    },
    review_requests: { type: 'object', properties: { roles: stringList, claims_to_roles: claims, where: { type: 'string' }, preview_as_roles: stringList } },
    impersonate: { type: 'object', properties: { users: stringList, roles: stringList, where: { type: 'string' } } },
  },
  patternProperties: { '_labels$': labels },
};
const metadata = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 }, labels: { type: 'object', additionalProperties: { type: 'string' } } },
};

const roleShape = {
  type: 'object',
  required: ['metadata', 'spec'],
  properties: {
    metadata,
    spec: {
      type: 'object',
      properties: { options: { type: 'object', properties: { max_session_ttl: { type: 'string' } } }, allow: conditions, deny: conditions },
    },
  },
};

const userShape = {
  type: 'object',
  required: ['metadata', 'spec'],
  properties: {
    metadata,
    spec: { type: 'object', properties: { roles: stringList, traits: { type: 'object', additionalProperties: stringList } } },
  },
};

const compiled = new Map<string, ValidateFunction>();
function validator(key: string, schema: object): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    if (e.keyword === 'additionalProperties') return `${at}: unknown field ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
    if (e.keyword === 'required') return `${at}: missing ${JSON.stringify((e.params as { missingProperty: string }).missingProperty)}`;
    if (e.keyword === 'pattern' && at.endsWith('reason')) return `${at}: a suppression needs a non-empty reason`;
    if (e.keyword === 'pattern' && at.endsWith('expires')) return `${at}: must be an ISO date such as 2027-01-31`;
    if (e.keyword === 'pattern' && at.endsWith('rule')) return `${at}: must be a rule id such as DA-001`;
    return `${at}: ${e.message ?? 'is invalid'}`;
  });
}

/** Problems with a suppressions document ({suppressions: [...]}); empty when valid. */
export function suppressionFileProblems(value: unknown): string[] {
  const v = validator('suppression-file', suppressionFileSchema);
  return v(value) ? [] : describe(v.errors);
}

export function suppressionProblems(value: unknown): string[] {
  const v = validator('suppression', suppressionSchema);
  return v(value) ? [] : describe(v.errors);
}

export function configProblems(value: unknown): string[] {
  const v = validator('config', configSchema);
  return v(value) ? [] : describe(v.errors);
}

/** Problems that make a resource unsafe to evaluate (wrong field types); empty when the rules can read it. */
export function shapeProblems(kind: string, value: unknown): string[] {
  const v = kind === 'role' ? validator('role-shape', roleShape) : kind === 'user' ? validator('user-shape', userShape) : undefined;
  if (!v) return [];
  return v(value) ? [] : describe(v.errors);
}
