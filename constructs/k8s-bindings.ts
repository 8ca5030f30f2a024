/**
 * The Kubernetes provider bindings we use, imported from their own modules: the package root loads every
 * resource of the provider (about 2 s); these few cost about 0.25 s. Moving to regenerated or cdktn
 * bindings means changing this file.
 */
export { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
export { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
export type {
  DeploymentV1SpecTemplateSpecAffinity,
  DeploymentV1SpecTemplateSpecContainer,
  DeploymentV1SpecTemplateSpecContainerVolumeMount,
  DeploymentV1SpecTemplateSpecToleration,
  DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
export { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
export { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
export { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
export { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
export { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
