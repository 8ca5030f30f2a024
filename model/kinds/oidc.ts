/** `kind: oidc` (v3; v2 read) connector: claims_to_roles. The client secret passes unread. */
import { OidcConnectorResource } from '../access-resources';
import { closed, open, plainTerraform, simpleKind, stringList } from './simple-kind';

export const oidcKind = simpleKind<OidcConnectorResource>({
  kind: 'oidc',
  versions: ['v2', 'v3'],
  terraformType: 'teleport_oidc_connector',
  spec: () => open({ claims_to_roles: { type: 'array', items: closed({ claim: { type: 'string' }, value: { type: 'string' }, roles: stringList }, ['claim', 'value']) } }),
  toTerraform: plainTerraform,
});
