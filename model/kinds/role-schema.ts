/** JSON Schemas (ajv) for `kind: role`, closed like Teleport >= 18.8 so a misspelt field is caught. */
import { RoleVersion } from '../resources';
import { metadataSchema } from './metadata';
import { CONDITION_FIELDS, IMPERSONATE_FIELDS, LABEL_FIELDS, OPTION_FIELDS, REQUEST_FIELDS, REVIEW_FIELDS, STRING_LIST_FIELDS } from './role-fields';

type Schema = Record<string, unknown>;

const stringList: Schema = { type: 'array', items: { type: 'string' } };
const labels: Schema = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, stringList] },
};
const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const open = (fields: readonly string[], typed: Record<string, Schema>): Record<string, Schema> =>
  Object.fromEntries(fields.map((f) => [f, typed[f] ?? {}]));

const claimsToRoles: Schema = { type: 'array', items: closed({ claim: { type: 'string' }, value: { type: 'string' }, roles: stringList }) };

/** api_group exists in every version's proto; which versions may set it is checked in role-kube.ts. */
function kubeResources(): Schema {
  const item: Record<string, Schema> = { kind: { type: 'string' }, api_group: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' }, verbs: stringList };
  return { type: 'array', items: closed(item) };
}

function conditions(version: RoleVersion, allow: boolean): Schema {
  const request: Record<string, Schema> = {
    roles: stringList,
    search_as_roles: stringList,
    suggested_reviewers: stringList,
    claims_to_roles: claimsToRoles,
    max_duration: { type: 'string' },
    annotations: { type: 'object', additionalProperties: stringList },
    kubernetes_resources: { type: 'array', items: closed({ kind: { type: 'string' }, api_group: { type: 'string' } }) },
    thresholds: {
      type: 'array',
      items: closed({ name: { type: 'string' }, filter: { type: 'string' }, approve: { type: 'integer' }, deny: { type: 'integer' } }),
    },
  };
  const typed: Record<string, Schema> = {
    ...Object.fromEntries(LABEL_FIELDS.map((f) => [f, labels])),
    ...Object.fromEntries(STRING_LIST_FIELDS.map((f) => [f, stringList])),
    rules: {
      type: 'array',
      items: closed({ resources: { ...stringList, minItems: 1 }, verbs: { ...stringList, minItems: 1 }, where: { type: 'string' }, actions: stringList }, ['resources', 'verbs']),
    },
    request: closed(open(REQUEST_FIELDS, request)),
    review_requests: closed(open(REVIEW_FIELDS, { roles: stringList, preview_as_roles: stringList, where: { type: 'string' }, claims_to_roles: claimsToRoles })),
    impersonate: closed(open(IMPERSONATE_FIELDS, { users: stringList, roles: stringList, where: { type: 'string' } })),
    kubernetes_resources: kubeResources(),
  };
  // one shape for every version and side (one Go type, RoleV6, serves them all); what a version or the deny side
  // may not set is checked in role.ts / role-kube.ts
  void version;
  void allow;
  return closed(open(CONDITION_FIELDS, typed));
}

export function roleSchema(version: RoleVersion): Schema {
  return closed(
    {
      kind: { const: 'role' },
      version: { const: version },
      metadata: metadataSchema(),
      spec: closed({
        options: closed(open(OPTION_FIELDS, { max_session_ttl: { type: 'string' }, request_access: { enum: ['optional', 'always', 'reason'] }, request_prompt: { type: 'string' }, forward_agent: { type: ['boolean', 'string'] } })),
        allow: conditions(version, true),
        deny: conditions(version, false),
      }),
    },
    ['kind', 'version', 'metadata', 'spec'],
  );
}
