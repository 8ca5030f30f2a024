// Parity with Teleport's Helm chart for the Mattermost plugin (examples/chart/access/mattermost): its
// annotations, podSecurityContext / securityContext overrides over our restricted default, affinity, the
// chart's default identity key (auth_id), and args refused for Teleport's Go plugin runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { AccessPluginDeployment, AccessPluginDeploymentProps } from '../../constructs/access-plugin-deployment';
import { BASE, only, synthDeployment } from './helpers';
import { createDualAuthApp, DualAuthStack, TeleportRole } from '../../constructs';
import { tempDir } from '../constructs/helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podSpec = (tf: any): any => only(tf, 'kubernetes_deployment_v1').spec.template.spec;

test('annotations reach the Deployment, pod template, ConfigMap and created Secrets (chart: annotations.*)', () => {
  const { tf } = synthDeployment({
    annotations: { deployment: { 'team/owner': 'platform' }, pod: { 'prometheus.io/scrape': 'false' }, config: { 'config/rev': '3' }, secret: { 'vault.io/managed': 'no' } },
    podAnnotations: { 'prometheus.io/scrape': 'true', legacy: 'kept' },
  });
  const dep = only(tf, 'kubernetes_deployment_v1');
  assert.deepEqual(dep.metadata.annotations, { 'team/owner': 'platform' });
  const pod = dep.spec.template.metadata.annotations;
  assert.equal(pod['prometheus.io/scrape'], 'false', 'annotations.pod wins over podAnnotations');
  assert.equal(pod.legacy, 'kept');
  assert.ok(pod['checksum/config']);
  assert.deepEqual(only(tf, 'kubernetes_config_map_v1').metadata.annotations, { 'config/rev': '3' });
  const secrets = Object.values(tf.resource.kubernetes_secret_v1) as { metadata: { annotations?: unknown } }[];
  assert.ok(secrets.length > 0);
  for (const s of secrets) assert.deepEqual(s.metadata.annotations, { 'vault.io/managed': 'no' });
});

test('without overrides the pod and every container keep the restricted profile; overrides merge field by field', () => {
  const plain = podSpec(synthDeployment({}).tf);
  assert.deepEqual(plain.security_context, { fs_group: '65532', run_as_group: '65532', run_as_non_root: true, run_as_user: '65532', seccomp_profile: { type: 'RuntimeDefault' } });
  const { tf } = synthDeployment({
    podSecurityContext: { fsGroup: 2000, fsGroupChangePolicy: 'OnRootMismatch' },
    securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
  });
  const spec = podSpec(tf);
  assert.equal(spec.security_context.fs_group, '2000');
  assert.equal(spec.security_context.fs_group_change_policy, 'OnRootMismatch');
  assert.equal(spec.security_context.run_as_user, '65532');
  for (const c of spec.container) {
    const sc = c.security_context;
    assert.equal(sc.run_as_user, '1000');
    assert.equal(sc.read_only_root_filesystem, true, 'untouched fields stay restricted');
    assert.equal(sc.allow_privilege_escalation, false);
    assert.deepEqual(sc.capabilities, { add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
  }
});

test('affinity passes through in the provider\'s form (chart: affinity)', () => {
  const { tf } = synthDeployment({
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: [{ matchLabels: { app: 'mattermost-plugin' } }] } }] } },
  });
  const a = podSpec(tf).affinity;
  assert.equal(a.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution[0].pod_affinity_term.topology_key, 'kubernetes.io/hostname');
});

test('an existing identity Secret is read at key auth_id by default, as the chart\'s identitySecretPath', () => {
  const { tf } = synthDeployment({ identity: { existingSecret: 'teleport-plugin-identity' } });
  const vol = podSpec(tf).volume.find((v: { name: string }) => v.name === 'teleport-identity');
  assert.deepEqual(vol.secret.items, [{ key: 'auth_id', path: 'auth_id' }]);
  assert.match(only(tf, 'kubernetes_config_map_v1').data['teleport-mattermost.toml'], /identity = ".*\/auth_id"/);
});

function failure(props: Partial<AccessPluginDeploymentProps>): string {
  const outdir = path.join(tempDir(), 'cdktf.out');
  const da = createDualAuthApp({ outdir });
  const stack = new DualAuthStack(da.app, 'test', { teleportVersion: '15.4', terraformProvider: false });
  new TeleportRole(stack, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
  new AccessPluginDeployment(stack, 'Plugin', { ...BASE, ...props });
  try {
    da.synth();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('synth should fail');
}

test('args with the Go plugin runtime, privileged or root containers are refused with the fix', () => {
  assert.match(failure({ runtime: 'teleport-plugin', image: 'public.ecr.aws/gravitational/teleport-plugin-mattermost:15.4.22', args: ['--debug'] }), /\[test\/Plugin\] args: runtime "teleport-plugin" runs Teleport's fixed command .*remove args/);
  assert.match(failure({ securityContext: { privileged: true } as never }), /\[test\/Plugin\] securityContext\.privileged: privileged containers are refused/);
  assert.match(failure({ podSecurityContext: { runAsUser: 0 } }), /\[test\/Plugin\] podSecurityContext\.runAsUser: 0 is root/);
});
