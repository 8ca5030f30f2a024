/**
 * `kubernetes_resources` and `request.kubernetes_resources` as Teleport validates them per role version
 * (api/types/role.go validateKubeResources / validateRequestKubeResources; kinds and verbs from api/types/constants.go).
 */
import { RoleVersion } from '../resources';
import { Problem } from './kind';

/** KubernetesResourcesKinds: the singular kinds of role v7, with the API group each stands for (KubernetesResourcesV7KindGroups). */
export const V7_KUBE_KINDS: Readonly<Record<string, string>> = {
  pod: '', secret: '', configmap: '', namespace: '', service: '', serviceaccount: '', kube_node: '',
  persistentvolume: '', persistentvolumeclaim: '', deployment: 'apps', replicaset: 'apps', statefulset: 'apps',
  daemonset: 'apps', clusterrole: 'rbac.authorization.k8s.io', kube_role: 'rbac.authorization.k8s.io',
  clusterrolebinding: 'rbac.authorization.k8s.io', rolebinding: 'rbac.authorization.k8s.io', cronjob: 'batch',
  job: 'batch', certificatesigningrequest: 'certificates.k8s.io', ingress: 'networking.k8s.io',
};

/** KubernetesClusterWideResourceKinds: v7 kinds that need no namespace. */
const V7_CLUSTER_WIDE = ['namespace', 'kube_node', 'persistentvolume', 'clusterrole', 'clusterrolebinding', 'certificatesigningrequest'];

/** KubernetesVerbs. A verb holding a `{{` template is accepted too. */
export const KUBE_VERBS: readonly string[] = ['*', 'get', 'create', 'update', 'patch', 'delete', 'list', 'watch', 'deletecollection', 'exec', 'portforward'];

/** Kinds of the core API group (""), for which v8 accepts an empty api_group (KubernetesCoreResourceKinds). */
const CORE_KINDS = new Set([
  '*', 'pods', 'secrets', 'configmaps', 'namespaces', 'services', 'serviceaccounts', 'nodes', 'persistentvolumes',
  'persistentvolumeclaims', 'endpoints', 'events', 'limitranges', 'podtemplates', 'replicationcontrollers',
  'resourcequotas', 'bindings', 'componentstatuses',
]);

/** v8 kinds that need a namespace, as `kind` or `kind.group` (best effort, like Teleport's kubernetesNamespacedResourceKinds). */
const V8_NAMESPACED = new Set([
  'bindings', 'configmaps', 'controllerrevisions.apps', 'cronjobs.batch', 'csistoragecapacities.storage.k8s.io',
  'daemonsets.apps', 'deployments.apps', 'endpoints', 'endpointslices.discovery.k8s.io', 'events.events.k8s.io', 'events',
  'horizontalpodautoscalers.autoscaling', 'ingresses.networking.k8s.io', 'jobs.batch', 'leases.coordination.k8s.io',
  'limitranges', 'localsubjectaccessreviews.authorization.k8s.io', 'networkpolicies.networking.k8s.io',
  'persistentvolumeclaims', 'poddisruptionbudgets.policy', 'pods', 'podtemplates', 'replicasets.apps',
  'replicationcontrollers', 'resourcequotas', 'rolebindings.rbac.authorization.k8s.io', 'roles.rbac.authorization.k8s.io',
  'secrets', 'serviceaccounts', 'services', 'statefulsets.apps',
]);

const OLD_VERSIONS: readonly string[] = ['v3', 'v4', 'v5', 'v6'];

interface KubeResource {
  kind?: string;
  api_group?: string;
  namespace?: string;
  name?: string;
  verbs?: string[];
}

function pluralOf(kind: string): string {
  const bare = kind.replace(/^kube_/, '');
  return bare.endsWith('s') ? `${bare}es` : `${bare}s`;
}

function v8KindProblem(kind: string | undefined, group: string | undefined, what: string): string | undefined {
  if (!kind) return `kind is required in role version v8: give the Kubernetes plural name (pods, deployments...) or '*'`;
  if (kind in V7_KUBE_KINDS && (group === '*' || group === V7_KUBE_KINDS[kind])) {
    return `${what} kind ${JSON.stringify(kind)} is a role v7 name: role v8 uses the plural Kubernetes name (for example ${JSON.stringify(pluralOf(kind))})`;
  }
  if (!group && !CORE_KINDS.has(kind)) return `api_group is required for ${JSON.stringify(kind)} in role version v8 (use '*' for any group)`;
  return undefined;
}

/** allow/deny.kubernetes_resources (verbs default to ['*'] for v3..v6 before validation, as setDefaultKubernetesVerbs does). */
export function kubeResourceProblems(version: RoleVersion, list: unknown, at: string): Problem[] {
  if (!Array.isArray(list)) return [];
  const out: Problem[] = [];
  (list as KubeResource[]).forEach((k, i) => {
    const f = (x: string): string => `${at}[${i}]${x ? `.${x}` : ''}`;
    const verbs = k.verbs && k.verbs.length > 0 ? k.verbs : OLD_VERSIONS.includes(version) ? ['*'] : [];
    for (const v of verbs) {
      if (!KUBE_VERBS.includes(v) && !v.includes('{{')) out.push({ field: f('verbs'), message: `verb ${JSON.stringify(v)} is not one Teleport knows: use ${KUBE_VERBS.join(', ')}` });
      else if (v === '*' && verbs.length > 1) out.push({ field: f('verbs'), message: `'*' cannot be combined with other verbs` });
    }
    if (OLD_VERSIONS.includes(version)) {
      if (k.kind !== 'pod') out.push({ field: f('kind'), message: `kind ${JSON.stringify(k.kind ?? '')} is not supported in role version ${version} (only pod): upgrade the role to v7 or v8` });
      if (verbs.length !== 1 || verbs[0] !== '*') out.push({ field: f('verbs'), message: `role version ${version} supports only the '*' verb: upgrade the role to v7 or v8` });
    }
    if (version !== 'v8') {
      if (k.api_group) out.push({ field: f('api_group'), message: `api_group is not supported in role version ${version}: upgrade the role to v8` });
      if (!OLD_VERSIONS.includes(version) && k.kind !== '*' && !(String(k.kind) in V7_KUBE_KINDS)) {
        out.push({ field: f('kind'), message: `kind ${JSON.stringify(k.kind ?? '')} is not a role ${version} kind: use '*' or one of ${Object.keys(V7_KUBE_KINDS).join(', ')}` });
      }
      if (!k.namespace && !V7_CLUSTER_WIDE.includes(String(k.kind))) out.push({ field: f('namespace'), message: `kind ${JSON.stringify(k.kind ?? '')} needs a namespace (use '*' for any)` });
    } else {
      const kp = v8KindProblem(k.kind, k.api_group, 'kubernetes_resources');
      if (kp) out.push({ field: f(kp.startsWith('api_group') ? 'api_group' : 'kind'), message: kp });
      const key = k.api_group ? `${String(k.kind)}.${k.api_group}` : String(k.kind);
      if (!kp && !k.namespace && V8_NAMESPACED.has(key)) out.push({ field: f('namespace'), message: `${JSON.stringify(k.kind)} is namespaced: give a namespace (use '*' for any)` });
    }
    if (!k.name) out.push({ field: f('name'), message: `name is required (use '*' for any)` });
  });
  return out;
}

/** allow/deny.request.kubernetes_resources: kinds a resource request may ask for (only kind and api_group). */
export function requestKubeResourceProblems(version: RoleVersion, list: unknown, at: string): Problem[] {
  if (!Array.isArray(list)) return [];
  const out: Problem[] = [];
  (list as KubeResource[]).forEach((k, i) => {
    const f = (x: string): string => `${at}[${i}].${x}`;
    if (version === 'v8') {
      const kp = v8KindProblem(k.kind, k.api_group, 'request.kubernetes_resources');
      if (kp) out.push({ field: f(kp.startsWith('api_group') ? 'api_group' : 'kind'), message: kp });
      return;
    }
    if (k.api_group) out.push({ field: f('api_group'), message: `api_group is not supported in role version ${version}: upgrade the role to v8` });
    if (version === 'v7') {
      if (k.kind !== '*' && !(String(k.kind) in V7_KUBE_KINDS)) out.push({ field: f('kind'), message: `kind ${JSON.stringify(k.kind ?? '')} is not a role v7 kind: use '*' or one of ${Object.keys(V7_KUBE_KINDS).join(', ')}` });
    } else if (k.kind !== 'pod') {
      out.push({ field: f('kind'), message: `kind ${JSON.stringify(k.kind ?? '')} is not supported in role version ${version} (only pod): upgrade the role to v7 or v8` });
    }
  });
  return out;
}
