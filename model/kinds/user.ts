/** `kind: user` (v2): roles and traits; Terraform's teleport_user takes the same names. */
import { nameProblem } from '../names';
import { UserResource } from '../resources';
import { schemaProblems } from '../schema-check';
import { KindModel, Problem } from './kind';
import { USER_SERVER_SET_FIELDS, USER_SPEC_FIELDS } from './role-fields';

const stringList = { type: 'array', items: { type: 'string' } };

export function userSchema(): Record<string, unknown> {
  const typed: Record<string, unknown> = { roles: stringList, traits: { type: 'object', additionalProperties: stringList } };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'version', 'metadata', 'spec'],
    properties: {
      kind: { const: 'user' },
      version: { const: 'v2' },
      metadata: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          expires: { type: 'string' },
          revision: { type: 'string' },
          id: { type: 'integer' },
          namespace: { type: 'string' },
        },
      },
      spec: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries([...USER_SPEC_FIELDS, ...USER_SERVER_SET_FIELDS].map((f) => [f, typed[f] ?? {}])),
      },
      status: {},
    },
  };
}

export const userKind: KindModel<UserResource> = {
  kind: 'user',
  versions: ['v2'],
  terraformType: 'teleport_user',
  problems(user: UserResource): Problem[] {
    const out: Problem[] = [];
    const np = nameProblem(user.metadata?.name, 'user');
    if (np) out.push({ field: 'metadata.name', message: np });
    out.push(...schemaProblems('user/v2', userSchema, user));
    return out;
  },
  withServerDefaults(user: UserResource): UserResource {
    return user;
  },
  toTerraform(user: UserResource): Record<string, unknown> {
    const spec: Record<string, unknown> = {};
    if (user.spec.roles) spec.roles = user.spec.roles;
    if (user.spec.traits) spec.traits = user.spec.traits;
    return { version: 'v2', metadata: { name: user.metadata.name }, spec };
  },
};
