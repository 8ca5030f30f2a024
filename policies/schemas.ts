/**
 * ajv schemas for what the review reads besides Teleport's own structure (the model's kind schemas check
 * that): suppression files, the review configuration, and the field types the rules rely on.
 */
import { documentProblems } from '../model/schema-check';

const stringList = { type: 'array', items: { type: 'string' } };

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

export function configProblems(value: unknown): string[] {
  return documentProblems('config', configSchema, value);
}

/** Problems that make a resource unsafe to evaluate (wrong field types); empty when the rules can read it. */
export function shapeProblems(kind: string, value: unknown): string[] {
  const schema = kind === 'role' ? roleShape : kind === 'user' ? userShape : undefined;
  return schema ? documentProblems(`${kind}-shape`, schema, value) : [];
}
