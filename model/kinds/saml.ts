/** `kind: saml` (v2) connector: attributes_to_roles. Keys and certificates pass unread. */
import { SamlConnectorResource } from '../access-resources';
import { closed, open, plainTerraform, simpleKind, stringList } from './simple-kind';

export const samlKind = simpleKind<SamlConnectorResource>({
  kind: 'saml',
  versions: ['v2'],
  terraformType: 'teleport_saml_connector',
  spec: () => open({ attributes_to_roles: { type: 'array', items: closed({ name: { type: 'string' }, value: { type: 'string' }, roles: stringList }, ['name', 'value']) } }),
  toTerraform: plainTerraform,
});
