/**
 * The access plugin's pod: containers, mounts and volumes, restricted by default. Every file is mounted
 * read-only (mode 0440) as a directory, never with subPath, so rotated Secrets arrive in running pods.
 */
import type {
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerVolumeMount,
  DeploymentV1SpecTemplateSpecVolume,
} from './k8s-bindings';
import { PLUGIN_TOML_FILE } from './plugin-config';
import { containerSecurityContext, type ContainerSecurityContext } from './pod-security';
import { TBOT_CONFIG_FILE } from './tbot-config';
import { terraformLiteral as lit } from './terraform-strings';

export const CONFIG_DIR = '/etc/teleport-mattermost';
export const IDENTITY_DIR = '/var/lib/teleport/plugins/mattermost/teleport-identity';
export const TOKEN_DIR = '/var/lib/teleport/plugins/mattermost/mattermost-token';
const TBOT_CONFIG_DIR = '/etc/tbot';
const JOIN_TOKEN_DIR = '/var/run/secrets/tokens';
const JOIN_TOKEN_FILE = 'join-sa-token';
const TBOT_DIAG_PORT = 3001;
/** Secret and ConfigMap files: owner and group (fsGroup) may read, nobody writes. */
export const FILE_MODE = '0440';

export interface Resources {
  readonly requests: Record<string, string>;
  readonly limits: Record<string, string>;
}

/** A Secret file the plugin reads: Secret name and key. */
export interface SecretFile {
  readonly secretName: string;
  readonly key: string;
}

export interface PluginPodOptions {
  readonly runtime: 'relay' | 'teleport-plugin';
  readonly image: string;
  /** Arguments of the relay image (runtime "relay"). */
  readonly args?: string[];
  readonly imagePullPolicy: string;
  /** The relay's health port (the TOML's [relay] listen_addr). */
  readonly healthPort: number;
  readonly resources: Resources;
  /** uid and gid of every container. */
  readonly uid: string;
  /** Overrides of the restricted container security context (every container). */
  readonly securityContext?: ContainerSecurityContext;
  /** The ConfigMap holding the plugin TOML (and tbot.yaml with tbot). */
  readonly configMapName: string;
  readonly token: SecretFile;
  /** The identity Secret; undefined when tbot writes the identity. */
  readonly identity?: SecretFile;
  readonly tbot?: {
    readonly image: string;
    /** Audience of the projected service-account token (the Teleport cluster name). */
    readonly clusterName: string;
    readonly diagnostics: boolean;
    readonly resources: Resources;
  };
}

export interface PluginPod {
  readonly volumes: DeploymentV1SpecTemplateSpecVolume[];
  readonly containers: DeploymentV1SpecTemplateSpecContainer[];
  readonly initContainers: DeploymentV1SpecTemplateSpecContainer[];
}


export const PLUGIN_CONFIG_FILE = `${CONFIG_DIR}/${PLUGIN_TOML_FILE}`;

const secretVolume = (name: string, s: SecretFile): DeploymentV1SpecTemplateSpecVolume => ({
  name,
  secret: { secretName: s.secretName, defaultMode: FILE_MODE, items: [{ key: s.key, path: s.key }] },
});

function pluginContainer(o: PluginPodOptions): DeploymentV1SpecTemplateSpecContainer {
  const mounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [
    { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
    { name: 'teleport-identity', mountPath: IDENTITY_DIR, readOnly: true },
    { name: 'mattermost-token', mountPath: TOKEN_DIR, readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  const common = { name: 'plugin', image: lit(o.image), imagePullPolicy: o.imagePullPolicy, resources: o.resources, securityContext: containerSecurityContext(o.uid, o.securityContext), volumeMount: mounts };
  const failFast = { name: 'TELEPORT_PLUGIN_FAIL_FAST', value: 'true' };
  if (o.runtime === 'teleport-plugin') {
    // Teleport's plugin has no health endpoint: it exits on a lost connection (fail fast) and is restarted
    return { ...common, command: ['/usr/local/bin/teleport-plugin', 'start', '--config', PLUGIN_CONFIG_FILE], env: [failFast] };
  }
  return {
    ...common,
    args: (o.args ?? ['relay', 'start', '--config', PLUGIN_CONFIG_FILE]).map(lit),
    env: [failFast],
    port: [{ name: 'health', containerPort: o.healthPort, protocol: 'TCP' }],
    livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
    readinessProbe: { httpGet: { path: '/readyz', port: 'health' }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
  };
}

/** tbot once as an init container (the first identity exists before the plugin starts), then as a renewing sidecar. */
function tbotContainers(o: PluginPodOptions, tbot: NonNullable<PluginPodOptions['tbot']>): { init: DeploymentV1SpecTemplateSpecContainer; sidecar: DeploymentV1SpecTemplateSpecContainer } {
  const base = {
    image: lit(tbot.image),
    imagePullPolicy: o.imagePullPolicy,
    env: [{ name: 'KUBERNETES_TOKEN_PATH', value: `${JOIN_TOKEN_DIR}/${JOIN_TOKEN_FILE}` }],
    resources: tbot.resources,
    securityContext: containerSecurityContext(o.uid, o.securityContext),
    volumeMount: [
      { name: 'tbot-config', mountPath: TBOT_CONFIG_DIR, readOnly: true },
      { name: 'join-token', mountPath: JOIN_TOKEN_DIR, readOnly: true },
      { name: 'teleport-identity', mountPath: IDENTITY_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  const args = ['start', '-c', `${TBOT_CONFIG_DIR}/${TBOT_CONFIG_FILE}`, '--log-format', 'json'];
  const diagnostics = tbot.diagnostics
    ? {
        args: [...args, '--diag-addr', `0.0.0.0:${TBOT_DIAG_PORT}`],
        port: [{ name: 'tbot-diag', containerPort: TBOT_DIAG_PORT, protocol: 'TCP' }],
        livenessProbe: { httpGet: { path: '/livez', port: 'tbot-diag' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 6 },
        readinessProbe: { httpGet: { path: '/readyz', port: 'tbot-diag' }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
      }
    : { args };
  return { init: { ...base, name: 'tbot-init', args: [...args, '--oneshot'] }, sidecar: { ...base, name: 'tbot', ...diagnostics } };
}

export function pluginPod(o: PluginPodOptions): PluginPod {
  const volumes: DeploymentV1SpecTemplateSpecVolume[] = [
    { name: 'config', configMap: { name: o.configMapName, defaultMode: FILE_MODE, items: [{ key: PLUGIN_TOML_FILE, path: PLUGIN_TOML_FILE }] } },
    secretVolume('mattermost-token', o.token),
    o.identity ? secretVolume('teleport-identity', o.identity) : { name: 'teleport-identity', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
  ];
  const containers = [pluginContainer(o)];
  const initContainers: DeploymentV1SpecTemplateSpecContainer[] = [];
  if (o.tbot) {
    volumes.push(
      { name: 'tbot-config', configMap: { name: o.configMapName, defaultMode: FILE_MODE, items: [{ key: TBOT_CONFIG_FILE, path: TBOT_CONFIG_FILE }] } },
      // the kubernetes join method presents a short-lived token of the pod's service account, audience = cluster
      { name: 'join-token', projected: [{ defaultMode: FILE_MODE, sources: [{ serviceAccountToken: { path: JOIN_TOKEN_FILE, audience: o.tbot.clusterName, expirationSeconds: 600 } }] }] },
    );
    const { init, sidecar } = tbotContainers(o, o.tbot);
    initContainers.push(init);
    containers.push(sidecar);
  }
  return { volumes, containers, initContainers };
}
