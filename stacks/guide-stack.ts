import { Construct } from 'constructs';
import { AccessPluginIdentity, DualAuthorization, DualAuthStack } from '../constructs';
import { AccessPluginDeployment } from '../constructs/access-plugin-deployment';
import { MattermostBot } from '../constructs/mattermost-bot';
import { GuideSettings } from './settings';

/** Terraform variables the default stack reads the plugin's secrets from (TF_VAR_<name>). */
export const IDENTITY_VARIABLE = 'teleport_identity';
export const MATTERMOST_TOKEN_VARIABLE = 'mattermost_token';

/**
 * The Teleport "Dual Authorization" guide as code: the Mattermost bot (Step 1); the access plugin's role,
 * user and impersonator role, and the plugin itself on Kubernetes; dbadmin (root on prod db nodes)
 * assumable by devops (bob) after 2 approvals from dbreviewer (alice, ivan), 1 denial rejects. Requests
 * for dbadmin are announced to its reviewers by direct message, as in the guide.
 */
export class GuideStack extends DualAuthStack {
  readonly plugin: AccessPluginIdentity;
  readonly dbadmin: DualAuthorization;
  readonly bot: MattermostBot;
  readonly pluginDeployment?: AccessPluginDeployment;

  constructor(scope: Construct, id: string, settings: GuideSettings) {
    super(scope, id, {
      teleportVersion: settings.teleportVersion,
      teleportAddr: settings.teleportAddr,
      terraformProvider: settings.terraformProvider,
      backend: settings.backend,
      resourceFiles: true,
    });
    this.plugin = new AccessPluginIdentity(this, 'AccessPlugin', { impersonator: settings.operatorUser });
    const reviewers = ['alice@example.com', 'ivan@example.com'];
    this.dbadmin = new DualAuthorization(this, 'DbAdmin', {
      privilegedRole: { name: 'dbadmin', logins: ['root'], nodeLabels: { env: 'prod', type: 'db' } },
      requesterRoleName: 'devops',
      reviewerRoleName: 'dbreviewer',
      requesters: ['bob@example.com'],
      reviewers,
      approve: 2,
      deny: 1,
    });

    this.bot = new MattermostBot(this, 'MattermostBot', {
      username: settings.botUsername,
      displayName: 'Teleport',
      description: 'Announces Teleport access requests for review',
      // the bot joins the channels of "team/channel" recipients (to update its posts there), so their teams too
      teams: [...new Set([settings.teamName, ...settings.recipients.filter((r) => r.split('/').length === 2).map((r) => r.split('/')[0] as string)])],
      postAll: true,
      apply: settings.applyBot ? { mattermostUrl: settings.mattermostUrl } : undefined,
    });

    if (settings.kubernetes) {
      this.pluginDeployment = new AccessPluginDeployment(this, 'MattermostPlugin', {
        namespace: settings.namespace,
        // existing Secrets live in an existing namespace: creating it again would fail
        createNamespace: !settings.identitySecret && !settings.mattermostTokenSecret,
        teleportAddress: settings.teleportAddr,
        identity: settings.identitySecret ? { existingSecret: settings.identitySecret } : { variable: IDENTITY_VARIABLE },
        mattermostUrl: settings.mattermostUrl,
        mattermostToken: settings.mattermostTokenSecret ? { existingSecret: settings.mattermostTokenSecret } : { variable: MATTERMOST_TOKEN_VARIABLE },
        roleToRecipients: {
          [this.dbadmin.privilegedRole.roleName]: reviewers,
          ...(settings.recipients.length ? { '*': settings.recipients } : {}),
        },
        image: settings.image || undefined,
        runtime: settings.pluginRuntime,
        replicas: settings.replicas,
      });
    }
  }
}
