/**
 * Security contexts of the access plugin's pod and containers: Kubernetes' "restricted" Pod Security
 * Standard by default, with the overrides Teleport's Helm chart offers (`podSecurityContext`,
 * `securityContext`) merged over it field by field. An override that leaves the restricted profile is
 * allowed (the cluster's admission decides), but privileged containers are refused.
 */
export interface PodSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  readonly supplementalGroups?: number[];
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; readonly localhostProfile?: string };
}

export interface ContainerSecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly capabilities?: { readonly add?: string[]; readonly drop?: string[] };
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; readonly localhostProfile?: string };
}

const str = (n: number | undefined) => (n === undefined ? undefined : String(n));

/** The pod's security context: restricted defaults for `uid`, then the override. */
export function podSecurityContext(uid: string, o: PodSecurityContext = {}) {
  return {
    runAsNonRoot: o.runAsNonRoot ?? true,
    runAsUser: str(o.runAsUser) ?? uid,
    runAsGroup: str(o.runAsGroup) ?? uid,
    fsGroup: str(o.fsGroup) ?? uid,
    ...(o.fsGroupChangePolicy ? { fsGroupChangePolicy: o.fsGroupChangePolicy } : {}),
    ...(o.supplementalGroups ? { supplementalGroups: [...o.supplementalGroups] } : {}),
    seccompProfile: o.seccompProfile ?? { type: 'RuntimeDefault' },
  };
}

/** One container's security context: the restricted profile for `uid`, then the override. */
export function containerSecurityContext(uid: string, o: ContainerSecurityContext = {}) {
  return {
    allowPrivilegeEscalation: o.allowPrivilegeEscalation ?? false,
    privileged: false,
    readOnlyRootFilesystem: o.readOnlyRootFilesystem ?? true,
    runAsNonRoot: o.runAsNonRoot ?? true,
    runAsUser: str(o.runAsUser) ?? uid,
    runAsGroup: str(o.runAsGroup) ?? uid,
    capabilities: { drop: o.capabilities?.drop ?? ['ALL'], ...(o.capabilities?.add?.length ? { add: o.capabilities.add } : {}) },
    seccompProfile: o.seccompProfile ?? { type: 'RuntimeDefault' },
  };
}

/** Problems of the overrides, as `prop.field: message` pairs. */
export function securityContextProblems(pod: PodSecurityContext | undefined, container: ContainerSecurityContext | undefined): [string, string][] {
  const out: [string, string][] = [];
  if ((container as { privileged?: unknown } | undefined)?.privileged) out.push(['securityContext.privileged', 'privileged containers are refused: the plugin needs no host access; remove it']);
  for (const [prop, v] of [['podSecurityContext', pod], ['securityContext', container]] as const) {
    for (const f of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      const n = (v as Record<string, unknown> | undefined)?.[f];
      if (n !== undefined && (!Number.isInteger(n) || (n as number) < 0)) out.push([`${prop}.${f}`, `${JSON.stringify(n)} is not a numeric id: give e.g. 65532`]);
    }
    if (v?.runAsUser === 0 && v.runAsNonRoot !== false) out.push([`${prop}.runAsUser`, '0 is root, which runAsNonRoot refuses: give a non-root uid such as 65532']);
  }
  return out;
}
