// AccessPluginDeployment: golden Kubernetes resources, the restricted security defaults, directory
// mounts, PodDisruptionBudget, the config checksum, Machine ID, and the Go plugin runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parse as parseToml } from 'smol-toml';
import { Testing } from '../../constructs/cdktf';
import { AccessPluginDeploymentProps } from '../../constructs/access-plugin-deployment';
import { parseRelayConfig } from '../../relay/config/load';
import { expectGolden, only, synthDeployment, TerraformJson } from './helpers';

const K8S_TYPES = ['kubernetes_namespace_v1', 'kubernetes_service_account_v1', 'kubernetes_secret_v1', 'kubernetes_config_map_v1', 'kubernetes_deployment_v1', 'kubernetes_pod_disruption_budget_v1'];

/** The Kubernetes part of the synthesized JSON, pretty-printed with sorted keys (Testing.synth sorts them). */
function kubernetesPart(tf: TerraformJson): string {
  const resource: Record<string, unknown> = {};
  for (const t of K8S_TYPES) if (tf.resource[t]) resource[t] = tf.resource[t];
  return `${JSON.stringify({ provider: tf.provider, resource, variable: tf.variable ?? {} }, null, 2)}\n`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podSpec = (tf: TerraformJson): any => only(tf, 'kubernetes_deployment_v1').spec.template.spec;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const configToml = (tf: TerraformJson): any => JSON.parse(JSON.stringify(parseToml(only(tf, 'kubernetes_config_map_v1').data['teleport-mattermost.toml'])));

const TBOT: Partial<AccessPluginDeploymentProps> = {
  identity: { tbot: { image: 'public.ecr.aws/gravitational/tbot-distroless:15.4.22', clusterName: 'teleport.example.com', token: 'mattermost-plugin-bot', credentialTtl: '1h', renewalInterval: '20m', diagnostics: true } },
  mattermostToken: { existingSecret: 'mattermost-bot-token', key: 'token' },
};

test('golden: secrets from variables, two replicas, scheduling constraints', () => {
  const { tf } = synthDeployment({
    replicas: 2,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'plugins', effect: 'NoSchedule', tolerationSeconds: 60 }],
    imagePullSecrets: ['registry'],
    logSeverity: 'debug',
  });
  expectGolden('deployment-variables.golden.json', kubernetesPart(tf));
});

test('golden: Machine ID (tbot) renews the identity; the token from an existing Secret', () => {
  const { tf } = synthDeployment(TBOT);
  expectGolden('deployment-tbot.golden.json', kubernetesPart(tf));
});

test('restricted Pod Security Standard defaults on the pod and every container', () => {
  for (const props of [{}, TBOT]) {
    const { tf, json } = synthDeployment(props);
    const spec = podSpec(tf);
    assert.equal(spec.automount_service_account_token, false);
    assert.equal(spec.enable_service_links, false);
    assert.deepEqual(spec.security_context, { run_as_non_root: true, run_as_user: '65532', run_as_group: '65532', fs_group: '65532', seccomp_profile: { type: 'RuntimeDefault' } });
    const containers = [...spec.container, ...(spec.init_container ?? [])];
    assert.ok(containers.length >= 1);
    for (const c of containers) {
      assert.deepEqual(c.security_context, {
        allow_privilege_escalation: false,
        privileged: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        run_as_user: '65532',
        run_as_group: '65532',
        capabilities: { drop: ['ALL'] },
        seccomp_profile: { type: 'RuntimeDefault' },
      }, c.name);
      assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory, `${c.name} has requests and limits`);
    }
    assert.ok(Testing.toHaveResourceWithProperties(json, 'kubernetes_service_account_v1', { automount_service_account_token: false }));
    assert.ok(Testing.toHaveResourceWithProperties(json, 'kubernetes_namespace_v1', { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }));
  }
});

test('config and secrets are read-only directory mounts with mode 0440; never subPath', () => {
  for (const props of [{}, TBOT, { identity: { existingSecret: 'plugin-identity' }, mattermostToken: { existingSecret: 'mm' } }]) {
    const { tf, json } = synthDeployment(props);
    assert.doesNotMatch(json, /sub_?path/i, 'no subPath anywhere: Kubernetes never updates subPath mounts');
    const spec = podSpec(tf);
    const plugin = spec.container.find((c: { name: string }) => c.name === 'plugin');
    for (const m of plugin.volume_mount) {
      if (m.name === 'tmp') continue;
      assert.equal(m.read_only, true, `${m.name} is read-only in the plugin`);
    }
    for (const v of spec.volume) {
      const src = v.secret ?? v.config_map ?? v.projected?.[0];
      if (src) assert.equal(src.default_mode, '0440', v.name);
    }
    // the identity path in the TOML lies in the mounted identity directory
    const identityMount = plugin.volume_mount.find((m: { name: string }) => m.name === 'teleport-identity').mount_path;
    const toml = configToml(tf);
    assert.ok(toml.teleport.identity.startsWith(`${identityMount}/`), toml.teleport.identity);
    assert.equal(toml.teleport.refresh_identity, true);
    const tokenMount = plugin.volume_mount.find((m: { name: string }) => m.name === 'mattermost-token').mount_path;
    assert.ok(toml.mattermost.token.startsWith(`${tokenMount}/`), 'the token setting is the mounted file');
  }
});

test('existing Secrets are referenced by name and key; nothing is created for them', () => {
  const { tf } = synthDeployment({ identity: { existingSecret: 'plugin-identity', key: 'auth_id' }, mattermostToken: { existingSecret: 'mm', key: 'token' } });
  assert.equal(tf.resource.kubernetes_secret_v1, undefined);
  assert.equal(tf.variable, undefined);
  assert.deepEqual(Object.keys(only(tf, 'kubernetes_deployment_v1').spec.template.metadata.annotations), ['checksum/config']);
  const volumes = podSpec(tf).volume;
  assert.deepEqual(volumes.find((v: { name: string }) => v.name === 'teleport-identity').secret, { secret_name: 'plugin-identity', default_mode: '0440', items: [{ key: 'auth_id', path: 'auth_id' }] });
  assert.deepEqual(volumes.find((v: { name: string }) => v.name === 'mattermost-token').secret, { secret_name: 'mm', default_mode: '0440', items: [{ key: 'token', path: 'token' }] });
  const toml = configToml(tf);
  assert.equal(toml.teleport.identity, '/var/lib/teleport/plugins/mattermost/teleport-identity/auth_id');
  assert.equal(toml.mattermost.token, '/var/lib/teleport/plugins/mattermost/mattermost-token/token');
});

test('Secrets from variables are write-only (data_wo) from ephemeral sensitive variables without defaults', () => {
  const { tf, json } = synthDeployment();
  for (const name of ['teleport_identity', 'mattermost_token']) {
    const v = tf.variable?.[name];
    assert.deepEqual({ sensitive: v.sensitive, ephemeral: v.ephemeral, nullable: v.nullable, hasDefault: 'default' in v }, { sensitive: true, ephemeral: true, nullable: false, hasDefault: false }, name);
    assert.equal(tf.variable?.[`${name}_revision`].default, 1);
  }
  assert.ok(Testing.toHaveResourceWithProperties(json, 'kubernetes_secret_v1', { data_wo: { identity: '${var.teleport_identity}' }, data_wo_revision: '${var.teleport_identity_revision}' }));
  assert.ok(Testing.toHaveResourceWithProperties(json, 'kubernetes_secret_v1', { data_wo: { mattermostToken: '${var.mattermost_token}' } }));
  assert.doesNotMatch(json, /"data":\s*\{\s*"(identity|mattermostToken)"/);
  // the plugin reads its token once: a bumped revision rolls the pods
  assert.equal(only(tf, 'kubernetes_deployment_v1').spec.template.metadata.annotations['dualauth.dev/mattermost-token-revision'], '${var.mattermost_token_revision}');

  const inState = synthDeployment({ writeOnlySecrets: false });
  assert.ok(Testing.toHaveResourceWithProperties(inState.json, 'kubernetes_secret_v1', { data: { identity: '${var.teleport_identity}' } }));
  assert.equal(inState.tf.variable?.teleport_identity.ephemeral, undefined, 'an ephemeral variable cannot feed a stored attribute');
  assert.equal(inState.tf.variable?.teleport_identity.sensitive, true);
});

test('relay probes /healthz and /readyz on the health port', () => {
  const { tf } = synthDeployment({ healthPort: 9090 });
  const plugin = podSpec(tf).container[0];
  assert.deepEqual(plugin.port, [{ name: 'health', container_port: 9090, protocol: 'TCP' }]);
  assert.equal(plugin.liveness_probe.http_get.path, '/healthz');
  assert.equal(plugin.readiness_probe.http_get.path, '/readyz');
  assert.equal(plugin.liveness_probe.http_get.port, 'health');
  assert.deepEqual(plugin.args, ['relay', 'start', '--config', '/etc/teleport-mattermost/teleport-mattermost.toml']);
  assert.equal(configToml(tf).relay.listen_addr, '0.0.0.0:9090', 'the relay listens where the probes look');
});

test('a PodDisruptionBudget only with more than one replica', () => {
  assert.equal(synthDeployment({ replicas: 1 }).tf.resource.kubernetes_pod_disruption_budget_v1, undefined);
  const { tf } = synthDeployment({ replicas: 3 });
  const pdb = only(tf, 'kubernetes_pod_disruption_budget_v1');
  const deployment = only(tf, 'kubernetes_deployment_v1');
  assert.equal(deployment.spec.replicas, '3');
  assert.equal(pdb.spec.max_unavailable, '1');
  assert.deepEqual(pdb.spec.selector.match_labels, deployment.spec.selector.match_labels);
});

test('checksum/config is the sha256 of the rendered TOML and changes with the config', () => {
  const checksum = (props: Partial<AccessPluginDeploymentProps>): { annotation: string; toml: string } => {
    const { tf } = synthDeployment(props);
    return { annotation: only(tf, 'kubernetes_deployment_v1').spec.template.metadata.annotations['checksum/config'], toml: only(tf, 'kubernetes_config_map_v1').data['teleport-mattermost.toml'] };
  };
  const a = checksum({});
  assert.equal(a.annotation, createHash('sha256').update(a.toml).digest('hex'));
  assert.equal(checksum({}).annotation, a.annotation, 'stable for the same config');
  assert.notEqual(checksum({ roleToRecipients: { dbadmin: ['ivan@example.com'] } }).annotation, a.annotation);
  assert.notEqual(checksum({ logSeverity: 'debug' }).annotation, a.annotation);
  // a change that is not in the TOML (replicas) leaves it alone
  assert.equal(checksum({ replicas: 2 }).annotation, a.annotation);
});

test('tbot: config, init container for the first identity, renewing sidecar, projected join token', () => {
  const { tf } = synthDeployment(TBOT);
  const cm = only(tf, 'kubernetes_config_map_v1');
  const tbotYaml = cm.data['tbot.yaml'];
  assert.match(tbotYaml, /^version: v2\nproxy_server: teleport\.example\.com:443\nonboarding:\n {2}join_method: kubernetes\n {2}token: mattermost-plugin-bot\n/);
  assert.match(tbotYaml, /outputs:\n {2}- type: identity\n {4}destination:\n {6}type: directory\n {6}path: \/var\/lib\/teleport\/plugins\/mattermost\/teleport-identity\n/);
  const spec = podSpec(tf);
  assert.deepEqual(spec.init_container.map((c: { name: string; args: string[] }) => [c.name, c.args.at(-1)]), [['tbot-init', '--oneshot']]);
  assert.deepEqual(spec.container.map((c: { name: string }) => c.name), ['plugin', 'tbot']);
  const identityVolume = spec.volume.find((v: { name: string }) => v.name === 'teleport-identity');
  assert.deepEqual(identityVolume.empty_dir, { medium: 'Memory', size_limit: '1Mi' });
  const join = spec.volume.find((v: { name: string }) => v.name === 'join-token').projected[0].sources[0].service_account_token;
  assert.deepEqual(join, { audience: 'teleport.example.com', expiration_seconds: 600, path: 'join-sa-token' });
  const annotations = only(tf, 'kubernetes_deployment_v1').spec.template.metadata.annotations;
  assert.equal(annotations['checksum/tbot-config'], createHash('sha256').update(tbotYaml).digest('hex'));
  assert.equal(configToml(tf).teleport.identity, '/var/lib/teleport/plugins/mattermost/teleport-identity/identity');
  assert.equal(tf.resource.kubernetes_secret_v1, undefined, 'no identity Secret with tbot');
});

test("Teleport's Go plugin image: its command, fail-fast, and no probes it cannot answer", () => {
  const { tf } = synthDeployment({ runtime: 'teleport-plugin', image: 'public.ecr.aws/gravitational/teleport-plugin-mattermost:15.4.22' });
  const plugin = podSpec(tf).container[0];
  assert.deepEqual(plugin.command, ['/usr/local/bin/teleport-plugin', 'start', '--config', '/etc/teleport-mattermost/teleport-mattermost.toml']);
  assert.deepEqual(plugin.env, [{ name: 'TELEPORT_PLUGIN_FAIL_FAST', value: 'true' }]);
  assert.equal(plugin.liveness_probe, undefined);
  assert.equal(plugin.readiness_probe, undefined);
});

test('the kubernetes provider carries no credentials; one provider per stack', () => {
  const { json, tf } = synthDeployment();
  assert.ok(Testing.toHaveProvider(json, 'kubernetes'));
  assert.deepEqual(tf.provider?.kubernetes, [{}]);
  const withPath = synthDeployment({ kubeconfig: { configPath: '~/.kube/config', configContext: 'prod' } });
  assert.deepEqual(withPath.tf.provider?.kubernetes, [{ config_path: '~/.kube/config', config_context: 'prod' }]);
});

test('literal ${...} in settings reaches the ConfigMap verbatim (escaped for Terraform), checksum of the real file', () => {
  const { tf } = synthDeployment({ mattermostUrl: 'https://mattermost.example.com/${x}/%{y}', podAnnotations: { note: '${z}' } });
  const data = only(tf, 'kubernetes_config_map_v1').data['teleport-mattermost.toml'];
  assert.match(data, /url = "https:\/\/mattermost\.example\.com\/\$\$\{x\}\/%%\{y\}"/);
  const real = data.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  const annotations = only(tf, 'kubernetes_deployment_v1').spec.template.metadata.annotations;
  assert.equal(annotations['checksum/config'], createHash('sha256').update(real).digest('hex'));
  assert.equal(annotations.note, '$${z}');
});

test('the ConfigMap TOML loads in the relay without warnings; [relay] listen_addr carries the health port', () => {
  const { tf } = synthDeployment({ healthPort: 9090, roleToRecipients: { dbadmin: ['alice@example.com'], '*': ['myteam/town-square'] } });
  const text = only(tf, 'kubernetes_config_map_v1').data['teleport-mattermost.toml'];
  const { config, warnings } = parseRelayConfig(text, { env: {}, readFile: () => Buffer.from('bot-token\n') });
  assert.deepEqual(warnings, []);
  assert.equal(config.relay.listenAddr, '0.0.0.0:9090');
  assert.equal(config.teleport.addr, 'teleport.example.com:443');
  assert.equal(config.teleport.identity, '/var/lib/teleport/plugins/mattermost/teleport-identity/identity');
  assert.equal(config.teleport.refreshIdentity, true);
  assert.equal(config.mattermost.tokenFile, '/var/lib/teleport/plugins/mattermost/mattermost-token/mattermostToken');
  assert.deepEqual(config.roleToRecipients, { '*': ['myteam/town-square'], dbadmin: ['alice@example.com'] });
  // Teleport's Go plugin has no [relay] table to read
  const go = synthDeployment({ runtime: 'teleport-plugin', image: 'public.ecr.aws/gravitational/teleport-plugin-mattermost:15.4.22' });
  assert.doesNotMatch(only(go.tf, 'kubernetes_config_map_v1').data['teleport-mattermost.toml'], /\[relay\]/);
});
