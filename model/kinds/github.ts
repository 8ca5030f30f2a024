/** `kind: github` (v3) connector: teams_to_roles (and legacy teams_to_logins, whose logins are roles). Secrets pass unread. */
import { GithubConnectorResource } from '../access-resources';
import { closed, open, plainTerraform, simpleKind, stringList } from './simple-kind';

const team = closed({ organization: { type: 'string' }, team: { type: 'string' }, roles: stringList, logins: stringList, kubernetes_groups: stringList, kubernetes_users: stringList });

export const githubKind = simpleKind<GithubConnectorResource>({
  kind: 'github',
  versions: ['v3'],
  terraformType: 'teleport_github_connector',
  spec: () => open({ teams_to_roles: { type: 'array', items: team }, teams_to_logins: { type: 'array', items: team } }),
  toTerraform: plainTerraform,
});
