import { Construct } from 'constructs';
import { AccessPluginIdentity, DualAuthorization, DualAuthStack } from '../constructs';
import { GuideSettings } from './settings';

/**
 * The Teleport "Dual Authorization" guide as code: the access plugin's role, user and impersonator
 * role; dbadmin (root on prod db nodes) assumable by devops (bob) after 2 approvals from dbreviewer
 * (alice, ivan), 1 denial rejects.
 */
export class GuideStack extends DualAuthStack {
  readonly plugin: AccessPluginIdentity;
  readonly dbadmin: DualAuthorization;

  constructor(scope: Construct, id: string, settings: GuideSettings) {
    super(scope, id, {
      teleportVersion: settings.teleportVersion,
      teleportAddr: settings.teleportAddr,
      terraformProvider: settings.terraformProvider,
      backend: settings.backend,
      resourceFiles: true,
    });
    this.plugin = new AccessPluginIdentity(this, 'AccessPlugin', { impersonator: settings.operatorUser });
    this.dbadmin = new DualAuthorization(this, 'DbAdmin', {
      privilegedRole: { name: 'dbadmin', logins: ['root'], nodeLabels: { env: 'prod', type: 'db' } },
      requesterRoleName: 'devops',
      reviewerRoleName: 'dbreviewer',
      requesters: ['bob@example.com'],
      reviewers: ['alice@example.com', 'ivan@example.com'],
      approve: 2,
      deny: 1,
    });
  }
}
