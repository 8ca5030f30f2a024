import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { TerraformProvider, TerraformVariable } from './cdktf';
import { DualAuthStack } from './dual-auth-stack';
import { IDENTITY_DIR, pluginPod, Resources, TOKEN_DIR } from './access-plugin-pod';
import { ConfigMapV1, DeploymentV1, NamespaceV1, PodDisruptionBudgetV1, SecretV1, ServiceAccountV1, type DeploymentV1SpecTemplateSpecAffinity } from './k8s-bindings';
import { podSecurityContext, securityContextProblems, type ContainerSecurityContext, type PodSecurityContext } from './pod-security';
import { kubernetesProvider, KubernetesProviderSettings } from './kubernetes-provider';
import { channelRecipients, goPluginRecipientProblem, httpUrlProblem, recipientProblem } from './mattermost-names';
import { hostPortProblem } from '../model/host-port';
import { PLUGIN_TOML_FILE, renderPluginToml } from './plugin-config';
import { imageReferenceProblem, literalSecretProblems, resourceProblems, tbotTokenProblem } from './deployment-input-checks';
import { secretKind } from '../model/secret-scrub';
import { didYouMean } from '../model/did-you-mean';
import { renderTbotConfig, TBOT_CONFIG_FILE, TBOT_IDENTITY_FILE } from './tbot-config';
import { terraformLiteral as lit, terraformLiteralMap as litMap } from './terraform-strings';

/** The dualauth relay image (reads the same TOML as Teleport's Go plugin). */
export const DEFAULT_RELAY_IMAGE = 'ghcr.io/dualauth/dualauth-relay:0.1.0';
/** Teleport's Go plugin image; its tag is the Teleport version, e.g. ":15.4.22". */
export const TELEPORT_PLUGIN_IMAGE_REPOSITORY = 'public.ecr.aws/gravitational/teleport-plugin-mattermost';
/** Key of the identity in an existing Secret by default: Teleport's Helm chart's identitySecretPath. */
export const CHART_IDENTITY_KEY = 'auth_id';
/** metadata.annotations when there are any (values verbatim, not Terraform templates). */
const annotationsOf = (a: Record<string, string> | undefined) => (a && Object.keys(a).length ? { annotations: litMap(a) } : {});
/** uid/gid of distroless "nonroot" images. */
export const DEFAULT_UID = 65532;

const LOG_SEVERITIES = ['debug', 'info', 'warn', 'warning', 'err', 'error'];

/** Where a secret value comes from. Give exactly one of `existingSecret` and `variable`. */
export interface SecretSource {
  /** Name of a Secret that already exists in the namespace (created outside this stack, e.g. with kubectl). */
  readonly existingSecret?: string;
  /**
   * Name of a Terraform variable (sensitive, no default) whose value this stack stores in a new Secret;
   * set it when deploying with `TF_VAR_<name>`. Never written to cdk.tf.json.
   */
  readonly variable?: string;
  /**
   * Key of the value inside the Secret. Defaults: the identity "auth_id" in an existing Secret (as Teleport's
   * Helm chart, identitySecretPath) and "identity" in one created here; the token "mattermostToken".
   */
  readonly key?: string;
}

/** Annotations per object, as the Helm chart's `annotations` value. */
export interface PluginAnnotations {
  readonly deployment?: Record<string, string>;
  readonly pod?: Record<string, string>;
  readonly config?: Record<string, string>;
  /** On the Secrets this construct creates (none for existing Secrets). */
  readonly secret?: Record<string, string>;
}

/** Machine ID renews the identity: a tbot sidecar writes it into a volume shared with the plugin. */
export interface TbotOptions {
  /** tbot image, e.g. "public.ecr.aws/gravitational/tbot-distroless:15.4.22" (match your cluster's version). */
  readonly image: string;
  /** Teleport cluster name: the audience of the service-account token the kubernetes join method presents. */
  readonly clusterName: string;
  /** Name of the Teleport provision token (join method `kubernetes`) that admits this namespace's service account. */
  readonly token: string;
  /** Proxy address tbot joins through (default: the deployment's teleportAddress). */
  readonly proxyServer?: string;
  /** Auth address instead of a Proxy (then proxyServer is not used). */
  readonly authServer?: string;
  /** Join method (default "kubernetes"). */
  readonly joinMethod?: string;
  /** Certificate lifetime, e.g. "1h" (tbot's default when unset). */
  readonly credentialTtl?: string;
  /** Renewal period, e.g. "20m" (tbot's default when unset). */
  readonly renewalInterval?: string;
  /**
   * Serve tbot's diagnostics on port 3001 and probe its /livez and /readyz (default false: only recent tbot
   * releases serve them).
   */
  readonly diagnostics?: boolean;
  /** Requests and limits of the tbot containers (defaults: 25m/64Mi requested, 250m/128Mi limit). */
  readonly resources?: ResourceRequirements;
}

/** The Teleport identity: an existing Secret, a variable, or Machine ID. Give exactly one. */
export interface IdentitySource extends SecretSource {
  readonly tbot?: TbotOptions;
}

export interface ResourceRequirements {
  /** e.g. { cpu: "50m", memory: "96Mi" } */
  readonly requests?: Record<string, string>;
  /** e.g. { cpu: "500m", memory: "256Mi" } */
  readonly limits?: Record<string, string>;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

export interface AccessPluginDeploymentProps {
  /** Name of the Deployment and prefix of the other objects (default "mattermost-access-plugin"). */
  readonly name?: string;
  /** Namespace (default "teleport-plugins"). */
  readonly namespace?: string;
  /** Create the namespace, labelled for the "restricted" Pod Security Standard (default true). */
  readonly createNamespace?: boolean;
  /** Teleport Auth (host:3025) or Proxy (host:443) address, with its port. */
  readonly teleportAddress: string;
  /** The plugin's Teleport identity (the guide's `tctl auth sign --user=access-plugin --out=identity`). */
  readonly identity: IdentitySource;
  /** Mattermost server base URL. */
  readonly mattermostUrl: string;
  /** The bot's access token (default Secret key "mattermostToken", as Teleport's Helm chart). */
  readonly mattermostToken: SecretSource;
  /**
   * Recipients of every request: emails (direct message), "team/channel", usernames or channel ids.
   * Teleport's plugin lets a non-empty list replace all of roleToRecipients, so give one or the other.
   */
  readonly recipients?: string[];
  /** Recipients per requested role; "*" is the fallback for roles without an entry. */
  readonly roleToRecipients?: Record<string, string[]>;
  /** Container image (default the dualauth relay; Teleport's Go plugin works with runtime "teleport-plugin"). */
  readonly image?: string;
  /** Which program the image runs (default "relay"); decides command, probes and health port. */
  readonly runtime?: 'relay' | 'teleport-plugin';
  /**
   * Arguments for the relay image (default ["relay", "start", "--config", <config file>]: `dualauth relay start`).
   * Refused with runtime "teleport-plugin", whose command is fixed (as in Teleport's chart).
   */
  readonly args?: string[];
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  /** Names of Secrets for pulling from a private registry. */
  readonly imagePullSecrets?: string[];
  /** Pods (default 1). Above 1, a PodDisruptionBudget keeps all but one running during node drains. */
  readonly replicas?: number;
  /** Requests and limits of the plugin container (defaults: 50m/96Mi requested, 500m/256Mi limit). */
  readonly resources?: ResourceRequirements;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: Toleration[];
  /** Log severity: debug, info, warn or error (default "info"). */
  readonly logSeverity?: string;
  /** Log output: "stdout", "stderr" or a file path (default "stderr"). */
  readonly logOutput?: string;
  /**
   * Port of the relay's /healthz and /readyz (default 8080), written to the TOML as `[relay] listen_addr`;
   * unused by runtime "teleport-plugin", which has no health endpoint.
   */
  readonly healthPort?: number;
  /** Numeric uid and gid the containers run as (default 65532, distroless "nonroot"). */
  readonly runAsUser?: number;
  /**
   * Secrets created from variables use the provider's write-only `data_wo` (Terraform >= 1.11) and
   * ephemeral variables, so the values stay out of state and plan files (default true). With false they
   * go into `data` and Terraform state (marked sensitive).
   */
  readonly writeOnlySecrets?: boolean;
  /** Extra annotations on the pod template (the chart's deprecated podAnnotations; annotations.pod wins per key). */
  readonly podAnnotations?: Record<string, string>;
  /** Annotations on the Deployment, pod template, ConfigMap and created Secrets (the chart's `annotations`). */
  readonly annotations?: PluginAnnotations;
  /** Overrides of the pod security context, merged over the restricted defaults (the chart's podSecurityContext). */
  readonly podSecurityContext?: PodSecurityContext;
  /** Overrides of every container's security context, merged over the restricted profile (the chart's securityContext). */
  readonly securityContext?: ContainerSecurityContext;
  /** Pod affinity and anti-affinity, in the kubernetes provider's form (the chart's affinity). */
  readonly affinity?: DeploymentV1SpecTemplateSpecAffinity;
  /** Kubernetes provider to use (default: the stack's own, created from `kubeconfig`). */
  readonly provider?: TerraformProvider;
  /** Kubeconfig settings of the stack's provider when `provider` is not given. */
  readonly kubeconfig?: KubernetesProviderSettings;
}

interface ResolvedSecret {
  readonly name: string;
  readonly resource?: SecretV1;
  /** Terraform expression of the revision variable, for write-only Secrets. */
  readonly revision?: string;
}

const DEFAULT_RESOURCES = { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
const DEFAULT_TBOT_RESOURCES = { requests: { cpu: '25m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } };

function mergeResources(defaults: Resources, given?: ResourceRequirements): Resources {
  return { requests: { ...defaults.requests, ...given?.requests }, limits: { ...defaults.limits, ...given?.limits } };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** host:port, [ipv6]:port; no scheme or path (the model's one check), with the fix. */
function addressProblem(addr: string): string | undefined {
  const problem = hostPortProblem(addr);
  return problem && `${problem}: give host:port, e.g. "teleport.example.com:443" (Proxy) or "teleport-auth.teleport.svc:3025" (Auth)`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const TF_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The Mattermost access plugin on Kubernetes, secure by default (Pod Security Standard "restricted"):
 * namespace, service account without API token, Secrets for the identity and the bot token (existing ones,
 * or created from sensitive variables), the plugin TOML in a ConfigMap, the Deployment, and a
 * PodDisruptionBudget when more than one replica runs. Optionally Machine ID (tbot) renews the identity.
 * Longer than most files: its props mirror Teleport's Helm chart values one by one (README table); the
 * pod's containers are in access-plugin-pod.ts, the security contexts in pod-security.ts.
 */
export class AccessPluginDeployment extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** The rendered plugin configuration (no secrets). */
  readonly configToml: string;
  /** sha256 of configToml: the pod annotation `checksum/config`, so a config change rolls the pods. */
  readonly configChecksum: string;
  readonly namespaceResource?: NamespaceV1;
  readonly serviceAccount: ServiceAccountV1;
  readonly configMap: ConfigMapV1;
  readonly identitySecret?: SecretV1;
  readonly tokenSecret?: SecretV1;
  readonly deployment: DeploymentV1;
  readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  private readonly props: AccessPluginDeploymentProps;

  constructor(scope: Construct, id: string, props: AccessPluginDeploymentProps) {
    super(scope, id);
    this.props = props;
    const stack = DualAuthStack.of(this);
    this.node.addValidation({ validate: () => this.problems(stack) });

    this.name = props.name ?? 'mattermost-access-plugin';
    this.namespace = props.namespace ?? 'teleport-plugins';
    const runtime = props.runtime ?? 'relay';
    const uid = String(props.runAsUser ?? DEFAULT_UID);
    const replicas = props.replicas ?? 1;
    const healthPort = props.healthPort ?? 8080;
    const provider = props.provider ?? kubernetesProvider(this, props.kubeconfig);
    const tbot = props.identity.tbot;

    const appName = runtime === 'relay' ? 'dualauth-relay' : 'teleport-plugin-mattermost';
    const selector = { 'app.kubernetes.io/name': appName, 'app.kubernetes.io/instance': this.name };
    const labels = { ...selector, 'app.kubernetes.io/component': 'access-plugin', 'app.kubernetes.io/part-of': 'dualauth', 'app.kubernetes.io/managed-by': 'cdktf' };

    if (props.createNamespace !== false) {
      this.namespaceResource = new NamespaceV1(this, 'Namespace', {
        provider,
        metadata: {
          name: this.namespace,
          labels: {
            'app.kubernetes.io/managed-by': 'cdktf',
            'app.kubernetes.io/part-of': 'dualauth',
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      });
    }
    // referencing the namespace resource orders everything after its creation
    const ns = this.namespaceResource ? this.namespaceResource.metadata.name : this.namespace;

    this.serviceAccount = new ServiceAccountV1(this, 'ServiceAccount', {
      provider,
      metadata: { name: this.name, namespace: ns, labels },
      automountServiceAccountToken: false,
    });

    const writeOnly = props.writeOnlySecrets !== false;
    const secretFrom = (cid: string, source: SecretSource, secretName: string, key: string, what: string): ResolvedSecret => {
      // no source at all: validation reports it, and the name stays empty
      if (source.existingSecret || !source.variable) return { name: source.existingSecret ?? '' };
      const variable = new TerraformVariable(this, `${cid}Variable`, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `${what} for ${this.node.path} (set TF_VAR_${source.variable}; never give it a default)`,
      });
      variable.overrideLogicalId(source.variable);
      if (!writeOnly) {
        const resource = new SecretV1(this, cid, { provider, metadata: { name: secretName, namespace: ns, labels }, type: 'Opaque', data: { [key]: variable.stringValue } });
        return { name: resource.metadata.name, resource };
      }
      // ephemeral (Terraform >= 1.10): kept out of the plan file too; only write-only arguments may read it
      variable.addOverride('ephemeral', true);
      const revision = new TerraformVariable(this, `${cid}Revision`, {
        type: 'number',
        default: 1,
        description: `Bump to push a new value of ${source.variable} into the Secret (write-only values are not compared)`,
      });
      revision.overrideLogicalId(`${source.variable}_revision`);
      const resource = new SecretV1(this, cid, {
        provider,
        metadata: { name: secretName, namespace: ns, labels, ...annotationsOf(props.annotations?.secret) },
        type: 'Opaque',
        dataWo: { [key]: variable.stringValue },
        dataWoRevision: revision.numberValue,
      });
      return { name: resource.metadata.name, resource, revision: revision.stringValue };
    };
    const identityKey = tbot ? TBOT_IDENTITY_FILE : (props.identity.key ?? (props.identity.existingSecret ? CHART_IDENTITY_KEY : 'identity'));
    const tokenKey = props.mattermostToken.key ?? 'mattermostToken';
    const identity = tbot ? undefined : secretFrom('IdentitySecret', props.identity, `${this.name}-identity`, identityKey, 'Teleport identity file of the access plugin');
    const token = secretFrom('TokenSecret', props.mattermostToken, `${this.name}-mattermost-token`, tokenKey, 'Mattermost bot access token');
    this.identitySecret = identity?.resource;
    this.tokenSecret = token.resource;

    const identityFile = `${IDENTITY_DIR}/${identityKey}`;
    const tokenFile = `${TOKEN_DIR}/${tokenKey}`;
    this.configToml = renderPluginToml({
      teleport: { addr: props.teleportAddress, identity: identityFile, refreshIdentity: true },
      mattermost: { url: props.mattermostUrl, token: tokenFile, recipients: props.recipients },
      roleToRecipients: props.roleToRecipients,
      log: { output: props.logOutput ?? 'stderr', severity: props.logSeverity ?? 'info' },
      // the relay serves /healthz and /readyz there; Teleport's plugin has no such endpoint
      relay: runtime === 'relay' ? { listenAddr: `0.0.0.0:${healthPort}` } : undefined,
    });
    this.configChecksum = sha256(this.configToml);
    const tbotYaml = tbot
      ? renderTbotConfig({
          proxyServer: tbot.authServer ? undefined : (tbot.proxyServer ?? props.teleportAddress),
          authServer: tbot.authServer,
          joinMethod: tbot.joinMethod ?? 'kubernetes',
          token: tbot.token,
          outputDir: IDENTITY_DIR,
          credentialTtl: tbot.credentialTtl,
          renewalInterval: tbot.renewalInterval,
        })
      : undefined;

    this.configMap = new ConfigMapV1(this, 'Config', {
      provider,
      metadata: { name: `${this.name}-config`, namespace: ns, labels, ...annotationsOf(props.annotations?.config) },
      // the files verbatim: Terraform must not read ${...} in them as interpolation
      data: { [PLUGIN_TOML_FILE]: lit(this.configToml), ...(tbotYaml ? { [TBOT_CONFIG_FILE]: lit(tbotYaml) } : {}) },
    });

    const pod = pluginPod({
      runtime,
      image: props.image ?? (runtime === 'relay' ? DEFAULT_RELAY_IMAGE : ''),
      args: props.args,
      imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
      healthPort,
      resources: mergeResources(DEFAULT_RESOURCES, props.resources),
      uid,
      securityContext: props.securityContext,
      configMapName: this.configMap.metadata.name,
      token: { secretName: token.name, key: tokenKey },
      identity: identity ? { secretName: identity.name, key: identityKey } : undefined,
      tbot: tbot ? { image: tbot.image, clusterName: tbot.clusterName, diagnostics: tbot.diagnostics === true, resources: mergeResources(DEFAULT_TBOT_RESOURCES, tbot.resources) } : undefined,
    });

    const annotations: Record<string, string> = { ...litMap({ ...props.podAnnotations, ...props.annotations?.pod }), 'checksum/config': this.configChecksum };
    if (tbotYaml) annotations['checksum/tbot-config'] = sha256(tbotYaml);
    // the plugin reads its token only at start: a new token revision rolls the pods (the identity is reloaded live)
    if (token.revision) annotations['dualauth.dev/mattermost-token-revision'] = token.revision;

    this.deployment = new DeploymentV1(this, 'Deployment', {
      provider,
      metadata: { name: this.name, namespace: ns, labels, ...annotationsOf(props.annotations?.deployment) },
      spec: {
        replicas: String(replicas),
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        // never more pods than replicas: a singleton is replaced, not doubled, during a rollout
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0', maxUnavailable: '1' } },
        template: {
          metadata: { labels, annotations },
          spec: {
            serviceAccountName: this.serviceAccount.metadata.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(uid, props.podSecurityContext),
            ...(props.affinity ? { affinity: props.affinity } : {}),
            ...(props.imagePullSecrets?.length ? { imagePullSecrets: props.imagePullSecrets.map((name) => ({ name: lit(name) })) } : {}),
            ...(props.nodeSelector ? { nodeSelector: litMap(props.nodeSelector) } : {}),
            ...(props.tolerations?.length
              ? {
                  toleration: props.tolerations.map((t) => ({
                    effect: t.effect,
                    operator: t.operator,
                    key: t.key === undefined ? undefined : lit(t.key),
                    value: t.value === undefined ? undefined : lit(t.value),
                    tolerationSeconds: t.tolerationSeconds === undefined ? undefined : String(t.tolerationSeconds),
                  })),
                }
              : {}),
            ...(pod.initContainers.length ? { initContainer: pod.initContainers } : {}),
            container: pod.containers,
            volume: pod.volumes,
          },
        },
      },
    });

    if (replicas > 1) {
      this.podDisruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
        provider,
        metadata: { name: this.name, namespace: ns, labels },
        spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
      });
    }
  }

  /** The "team/channel" recipients (of recipients and every roleToRecipients entry): where the bot must be a member. */
  get recipientChannels(): string[] {
    return channelRecipients([...(this.props.recipients ?? []), ...Object.values(this.props.roleToRecipients ?? {}).flat()]);
  }

  private problems(stack: DualAuthStack): string[] {
    const p = this.props;
    const out: string[] = [];
    const goPlugin = (p.runtime ?? 'relay') === 'teleport-plugin';
    const recipientProblems = (r: string): string | undefined => recipientProblem(r) ?? (goPlugin ? goPluginRecipientProblem(r) : undefined);
    const add = (prop: string, message: string): void => {
      out.push(`${prop}: ${message}`);
    };
    const addr = addressProblem(p.teleportAddress);
    if (addr) add('teleportAddress', addr);
    const url = httpUrlProblem(p.mattermostUrl);
    if (url) add('mattermostUrl', url);
    for (const [prop, v] of [['name', this.name], ['namespace', this.namespace]] as const) {
      if (!DNS_LABEL.test(v)) add(prop, `${JSON.stringify(v)} is not a Kubernetes name: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`);
    }

    p.recipients?.forEach((r, i) => {
      const problem = recipientProblems(r);
      if (problem) add(`recipients[${i}]`, problem);
    });
    const roles = new Set([...stack.teleportResources().filter((c) => c.kind === 'role').map((c) => c.teleportName), ...(stack.props.externalRoles ?? [])]);
    for (const [role, list] of Object.entries(p.roleToRecipients ?? {})) {
      if (role !== '*' && !roles.has(role)) {
        add(`roleToRecipients["${role}"]`, `role "${role}" is not declared in this stack${didYouMean(role, roles)}: use a declared role (${[...roles].sort().join(', ') || 'none'}), "*" for all roles, or list it in the stack's externalRoles`);
      }
      if (list.length === 0) add(`roleToRecipients["${role}"]`, 'is empty: give at least one recipient or drop the entry');
      list.forEach((r, i) => {
        const problem = recipientProblems(r);
        if (problem) add(`roleToRecipients["${role}"][${i}]`, problem);
      });
    }
    if (p.recipients?.length && Object.keys(p.roleToRecipients ?? {}).length) {
      add('recipients', 'Teleport\'s plugin lets a non-empty recipients list replace all of roleToRecipients: move these recipients to roleToRecipients["*"]');
    }

    const replicas = p.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) add('replicas', `${replicas} is not a whole number of at least 1: give 1 (or more for high availability)`);
    const port = p.healthPort ?? 8080;
    if (!Number.isInteger(port) || port < 1 || port > 65535) add('healthPort', `${port} is not a port (1-65535): give e.g. 8080`);
    const uid = p.runAsUser ?? DEFAULT_UID;
    if (!Number.isInteger(uid) || uid < 1) add('runAsUser', `${uid} is not a non-root numeric uid: give e.g. ${DEFAULT_UID}`);
    const severity = p.logSeverity ?? 'info';
    if (!LOG_SEVERITIES.includes(severity.toLowerCase())) add('logSeverity', `${JSON.stringify(severity)} is not one of debug, info, warn, error`);
    if ((p.runtime ?? 'relay') === 'teleport-plugin' && !p.image) {
      add('image', `runtime "teleport-plugin" needs Teleport's image with your cluster's version: give e.g. "${TELEPORT_PLUGIN_IMAGE_REPOSITORY}:15.4.22"`);
    }
    if ((p.runtime ?? 'relay') === 'teleport-plugin' && p.args !== undefined) {
      add('args', 'runtime "teleport-plugin" runs Teleport\'s fixed command (/usr/local/bin/teleport-plugin start --config ...), as its Helm chart does: remove args (use logSeverity "debug" for more output)');
    }
    for (const [field, message] of securityContextProblems(p.podSecurityContext, p.securityContext)) add(field, message);
    if (p.image !== undefined && p.image.trim() === '') add('image', 'is empty: leave it out for the relay image, or give an image reference');
    else if (p.image !== undefined) {
      const bad = imageReferenceProblem(p.image);
      if (bad) add('image', bad);
    }
    resourceProblems('resources', p.resources, add);
    literalSecretProblems(p, add);

    const id = p.identity;
    const idSources = [id.existingSecret && 'existingSecret', id.variable && 'variable', id.tbot && 'tbot'].filter(Boolean);
    if (idSources.length !== 1) {
      add(
        'identity',
        `${idSources.length === 0 ? 'no source given' : `${idSources.join(' and ')} given together`}: give exactly one of existingSecret (a Secret you created with kubectl), variable (a sensitive Terraform variable, set with TF_VAR_<name>) or tbot (Machine ID renews it)`,
      );
    }
    this.secretSourceProblems('identity', id, add);
    const tokenSources = [p.mattermostToken.existingSecret && 'existingSecret', p.mattermostToken.variable && 'variable'].filter(Boolean);
    if (tokenSources.length !== 1) {
      add('mattermostToken', `${tokenSources.length === 0 ? 'no source given' : 'existingSecret and variable given together'}: give exactly one of existingSecret or variable (set with TF_VAR_<name>)`);
    }
    this.secretSourceProblems('mattermostToken', p.mattermostToken, add);
    if (id.variable && id.variable === p.mattermostToken.variable) add('mattermostToken.variable', `"${id.variable}" is also the identity variable: give each secret its own variable`);

    for (const other of stack.node.findAll()) {
      if (!(other instanceof AccessPluginDeployment) || other === this) continue;
      const o = other.props;
      if (other.namespace === this.namespace && other.name === this.name) add('name', `"${this.name}" in namespace "${this.namespace}" is also used by ${other.node.path}: give each deployment its own name`);
      if (other.namespace === this.namespace && this.namespaceResource && other.namespaceResource) {
        add('createNamespace', `namespace "${this.namespace}" is also created by ${other.node.path}: set createNamespace: false on all but one`);
      }
      const mine = [id.variable, p.mattermostToken.variable].filter(Boolean);
      for (const v of [o.identity.variable, o.mattermostToken.variable]) {
        if (v && mine.includes(v)) add('variable', `Terraform variable "${v}" is also used by ${other.node.path}: give each Secret its own variable`);
      }
    }

    const tbot = id.tbot;
    if (tbot) {
      if (!tbot.image.trim()) add('identity.tbot.image', 'is empty: give e.g. "public.ecr.aws/gravitational/tbot-distroless:15.4.22"');
      if (!tbot.clusterName.trim()) add('identity.tbot.clusterName', 'is empty: give the cluster name `tctl status` prints');
      if (!tbot.token.trim()) add('identity.tbot.token', 'is empty: give the name of the provision token for this bot (join method kubernetes)');
      else {
        const bad = tbotTokenProblem(tbot.token);
        if (bad) add('identity.tbot.token', bad);
      }
      if (tbot.image.trim()) {
        const bad = imageReferenceProblem(tbot.image);
        if (bad) add('identity.tbot.image', bad);
      }
      resourceProblems('identity.tbot.resources', tbot.resources, add);
      if (tbot.proxyServer && tbot.authServer) add('identity.tbot', 'proxyServer and authServer given together: give one');
      for (const [k, v] of [['proxyServer', tbot.proxyServer], ['authServer', tbot.authServer]] as const) {
        const problem = v === undefined ? undefined : addressProblem(v);
        if (problem) add(`identity.tbot.${k}`, problem);
      }
    }
    return out;
  }

  private secretSourceProblems(prop: string, s: SecretSource, add: (prop: string, message: string) => void): void {
    const pasted = s.existingSecret === undefined ? undefined : secretKind(s.existingSecret);
    if (pasted) {
      add(`${prop}.existingSecret`, `must be the name of a Kubernetes Secret, but the value looks like ${pasted}: create the Secret (kubectl -n ${this.namespace} create secret generic <name> --from-file=...) and give its name here, or use { variable } to create it from a sensitive Terraform variable`);
    } else if (s.existingSecret !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(s.existingSecret)) {
      add(`${prop}.existingSecret`, `${JSON.stringify(s.existingSecret)} is not a Secret name: use lowercase letters, digits, "-" and "."`);
    }
    if (s.variable !== undefined && !TF_NAME.test(s.variable)) add(`${prop}.variable`, `${JSON.stringify(s.variable)} is not a Terraform variable name: use letters, digits and "_", e.g. "teleport_identity"`);
    if (s.key !== undefined && !SECRET_KEY.test(s.key)) add(`${prop}.key`, `${JSON.stringify(s.key)} is not a Secret key: use letters, digits, "-", "_" and "."`);
  }
}
