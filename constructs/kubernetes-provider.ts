import { IConstruct } from 'constructs';
import { TerraformStack } from './cdktf';
import { KubernetesProvider } from './k8s-bindings';

/** Where Terraform finds the cluster. Nothing secret: credentials stay in the kubeconfig of the deploy machine. */
export interface KubernetesProviderSettings {
  /**
   * Kubeconfig path on the machine that runs Terraform. Unset: the provider reads KUBE_CONFIG_PATH (and
   * KUBE_CTX), or the in-cluster service account when Terraform runs in a pod.
   */
  readonly configPath?: string;
  /** Kubeconfig context to use (unset: the kubeconfig's current context, or KUBE_CTX). */
  readonly configContext?: string;
}

const providers = new WeakMap<TerraformStack, { provider: KubernetesProvider; key: string }>();

/** The stack's one kubernetes provider, created on first use and shared by every later caller. */
export function kubernetesProvider(scope: IConstruct, settings: KubernetesProviderSettings = {}): KubernetesProvider {
  const stack = TerraformStack.of(scope);
  const key = JSON.stringify({ configPath: settings.configPath, configContext: settings.configContext });
  const known = providers.get(stack);
  if (known) {
    if (known.key !== key) throw new Error(`${scope.node.path}: kubeconfig settings ${key} differ from ${known.key} of the stack's kubernetes provider: give every construct of a stack the same settings`);
    return known.provider;
  }
  const provider = new KubernetesProvider(stack, 'kubernetes', { configPath: settings.configPath, configContext: settings.configContext });
  providers.set(stack, { provider, key });
  return provider;
}
