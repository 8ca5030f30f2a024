/** Where Terraform keeps the stack's state: local by default, or a shared backend from configuration. */
import { Construct } from 'constructs';
import { CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, RemoteBackend, S3Backend, TerraformBackend, TerraformRemoteState } from './cdktf';

export type BackendConfig =
  | { type: 'local'; path?: string }
  | { type: 's3'; bucket: string; key: string; region: string; encrypt?: boolean; dynamodbTable?: string }
  | { type: 'gcs'; bucket: string; prefix?: string }
  | { type: 'remote'; hostname?: string; organization: string; workspace: string }
  | { type: 'cloud'; hostname?: string; organization: string; workspace: string }
  | { type: 'kubernetes'; secretSuffix: string; namespace?: string; inClusterConfig?: boolean };

/** cdktf 0.21 has no class for Terraform's `kubernetes` backend (state in a Secret); this is one. */
class KubernetesBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly attrs: Record<string, unknown>,
  ) {
    super(scope, 'backend', 'kubernetes');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { ...this.attrs };
  }

  getRemoteStateDataSource(scope: Construct, name: string): TerraformRemoteState {
    return new KubernetesRemoteState(scope, name, this.attrs);
  }
}

class KubernetesRemoteState extends TerraformRemoteState {
  constructor(scope: Construct, id: string, config: Record<string, unknown>) {
    super(scope, id, 'kubernetes', config);
  }
}

export const BACKEND_TYPES = ['local', 's3', 'gcs', 'remote', 'cloud', 'kubernetes'] as const;

/**
 * Adds the backend to a stack. The local default uses a path relative to the stack directory:
 * cdktf's own default is absolute and would make cdk.tf.json differ between machines.
 */
export function addBackend(stack: Construct, stackName: string, config: BackendConfig | undefined): void {
  const c = config ?? { type: 'local' };
  switch (c.type) {
    case 'local':
      new LocalBackend(stack, { path: c.path ?? `terraform.${stackName}.tfstate` });
      return;
    case 's3':
      new S3Backend(stack, { bucket: c.bucket, key: c.key, region: c.region, encrypt: c.encrypt ?? true, dynamodbTable: c.dynamodbTable });
      return;
    case 'gcs':
      new GcsBackend(stack, { bucket: c.bucket, prefix: c.prefix });
      return;
    case 'remote':
      new RemoteBackend(stack, { hostname: c.hostname, organization: c.organization, workspaces: { name: c.workspace } });
      return;
    case 'cloud':
      new CloudBackend(stack, { hostname: c.hostname, organization: c.organization, workspaces: new NamedCloudWorkspace(c.workspace) });
      return;
    case 'kubernetes':
      new KubernetesBackend(stack, { secret_suffix: c.secretSuffix, namespace: c.namespace ?? 'default', in_cluster_config: c.inClusterConfig ?? false });
      return;
    default:
      throw new Error(`backend type ${JSON.stringify((c as { type: unknown }).type)} is not one of ${BACKEND_TYPES.join(', ')}: fix the "backend" context value`);
  }
}
