/** Where Terraform keeps the stack's state: local by default, or a shared backend from configuration. */
import { Construct } from 'constructs';
import { didYouMean } from '../model/did-you-mean';
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

/** Fields of each backend type: required ones, then optional ones (as BackendConfig above). */
const BACKEND_FIELDS: Record<(typeof BACKEND_TYPES)[number], { required: string[]; optional: string[]; example: string }> = {
  local: { required: [], optional: ['path'], example: '{"type":"local","path":"terraform.tfstate"}' },
  s3: { required: ['bucket', 'key', 'region'], optional: ['encrypt', 'dynamodbTable'], example: '{"type":"s3","bucket":"tf-state","key":"teleport/dual-auth.tfstate","region":"eu-west-1"}' },
  gcs: { required: ['bucket'], optional: ['prefix'], example: '{"type":"gcs","bucket":"tf-state","prefix":"teleport"}' },
  remote: { required: ['organization', 'workspace'], optional: ['hostname'], example: '{"type":"remote","organization":"acme","workspace":"teleport"}' },
  cloud: { required: ['organization', 'workspace'], optional: ['hostname'], example: '{"type":"cloud","organization":"acme","workspace":"teleport"}' },
  kubernetes: { required: ['secretSuffix'], optional: ['namespace', 'inClusterConfig'], example: '{"type":"kubernetes","secretSuffix":"dualauth","namespace":"teleport"}' },
};
const BOOLEAN_FIELDS = new Set(['encrypt', 'inClusterConfig']);

/**
 * Every problem of a backend configuration (unknown type, missing or misspelt fields, wrong types),
 * each naming the field and the fix; [] when it is good. Unknown keys are errors, never dropped silently.
 */
export function backendProblems(config: unknown): string[] {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return [`must be an object with "type", e.g. ${BACKEND_FIELDS.s3.example}`];
  const c = config as Record<string, unknown>;
  const type = c.type;
  if (typeof type !== 'string' || !(BACKEND_TYPES as readonly string[]).includes(type)) {
    return [`"type" must be one of ${BACKEND_TYPES.join(', ')}, got ${JSON.stringify(type)}${typeof type === 'string' ? didYouMean(type, BACKEND_TYPES) : ''}`];
  }
  const f = BACKEND_FIELDS[type as (typeof BACKEND_TYPES)[number]];
  const known = ['type', ...f.required, ...f.optional];
  const out: string[] = [];
  for (const k of Object.keys(c)) {
    if (!known.includes(k)) out.push(`"${k}" is not a field of the ${type} backend${didYouMean(k, known)}: use ${known.filter((x) => x !== 'type').join(', ') || 'no other field'}`);
  }
  for (const k of f.required) {
    const v = c[k];
    if (v === undefined || (typeof v === 'string' && v.trim() === '')) out.push(`the ${type} backend needs "${k}" (${f.required.join(', ')} are required), e.g. ${f.example}`);
  }
  for (const k of [...f.required, ...f.optional]) {
    const v = c[k];
    if (v === undefined) continue;
    if (BOOLEAN_FIELDS.has(k) ? typeof v !== 'boolean' : typeof v !== 'string') out.push(`"${k}" must be ${BOOLEAN_FIELDS.has(k) ? 'true or false' : 'a string'}, got ${JSON.stringify(v)}`);
  }
  return out;
}

/**
 * Adds the backend to a stack. The local default uses a path relative to the stack directory:
 * cdktf's own default is absolute and would make cdk.tf.json differ between machines.
 */
export function addBackend(stack: Construct, stackName: string, config: BackendConfig | undefined): void {
  const c = config ?? { type: 'local' };
  const problems = backendProblems(c);
  if (problems.length > 0) throw new Error(`[${stack.node.path}] backend: ${problems.join('; ')}`);
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
