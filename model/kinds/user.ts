/** `kind: user` (v2): roles and traits; Terraform's teleport_user takes the same names. */
import { nameProblem } from '../names';
import { UserResource } from '../resources';
import { schemaProblems } from '../schema-check';
import { KindModel, Problem } from './kind';
import { metadataSchema } from './metadata';
import { userToTerraform } from './terraform-shape';
import { metadataProblems, withoutNulls } from './metadata-rules';
import { USER_SERVER_SET_FIELDS, USER_SPEC_FIELDS } from './role-fields';

const stringList = { type: 'array', items: { type: 'string' } };
/** ExternalIdentity (types.proto): connector_id and username, plus fields newer servers print. */
const identities = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    properties: { connector_id: { type: 'string' }, username: { type: 'string' }, user_id: { type: 'string' }, samlSingleLogoutUrl: { type: 'string' } },
  },
};
const IDENTITY_FIELDS = ['oidc_identities', 'saml_identities', 'github_identities'] as const;

/** ExternalIdentity.Check, which UserV2.CheckAndSetDefaults runs for the OIDC identities only (SAML and GitHub ones are not checked). */
function identityProblems(user: UserResource): Problem[] {
  const out: Problem[] = [];
  for (const f of ['oidc_identities'] as const) {
    const list = user.spec?.[f];
    if (!Array.isArray(list)) continue;
    list.forEach((id: { connector_id?: unknown; username?: unknown }, i) => {
      if (!id?.connector_id) out.push({ field: `spec.${f}[${i}].connector_id`, message: 'missing value: name the auth connector (connector_id)' });
      if (!id?.username) out.push({ field: `spec.${f}[${i}].username`, message: 'missing username: give the identity\'s user name at the provider' });
    });
  }
  return out;
}

export function userSchema(): Record<string, unknown> {
  const typed: Record<string, unknown> = {
    roles: stringList,
    traits: { type: 'object', additionalProperties: stringList },
    ...Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, identities])),
  };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'version', 'metadata', 'spec'],
    properties: {
      kind: { const: 'user' },
      version: { const: 'v2' },
      metadata: metadataSchema(),
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
  problems(input: UserResource): Problem[] {
    const user = withoutNulls(input);
    const out: Problem[] = [];
    const np = nameProblem(user.metadata?.name, 'user');
    if (np) out.push({ field: 'metadata.name', message: np });
    out.push(...metadataProblems(user.metadata));
    const shape = schemaProblems('user/v2', userSchema, user);
    out.push(...shape);
    if (shape.length === 0) out.push(...identityProblems(user));
    return out;
  },
  withServerDefaults(user: UserResource): UserResource {
    return { ...(JSON.parse(JSON.stringify(user)) as UserResource), version: 'v2' };
  },
  // server bookkeeping that `tctl get users` prints (local_auth only with --with-secrets)
  serverSpecFields: [...USER_SERVER_SET_FIELDS, 'trusted_device_ids', 'local_auth'],
  // YAML nulls are absent for Terraform too (the provider has no null list or map values to take)
  toTerraform: (r: UserResource) => userToTerraform(withoutNulls(r)),
};
