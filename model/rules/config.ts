/**
 * What the review treats as privileged and how strict it is. Defaults follow the dual-authorization guide:
 * a role is privileged when it grants login `root`, carries the label `privileged: "true"`, or is named.
 */
import { RoleResource, parseDurationMs } from '../index';

export interface PrivilegedSelector {
  /** Role names that are privileged whatever they grant. */
  names: string[];
  /** Role metadata labels that mark a role privileged (any one matching label suffices). */
  labels: Record<string, string>;
  /** Logins that make a role privileged when it allows any of them. */
  logins: string[];
}

export interface PolicyConfig {
  privileged: PrivilegedSelector;
  /** Upper bound for options.max_session_ttl of privileged roles (Go duration). */
  maxSessionTtl: string;
  /** Minimum approvals and denials of every threshold on a path to a privileged role. */
  minApprovals: number;
  minDenials: number;
  /** Roles of access plugins (besides any role with rules on access_plugin_data). */
  pluginRoles: string[];
  /** Roles that exist on the cluster without being declared (Teleport presets); not dangling references. */
  externalRoles: string[];
}

export const DEFAULT_CONFIG: Readonly<PolicyConfig> = Object.freeze({
  privileged: { names: [], labels: { privileged: 'true' }, logins: ['root'] },
  maxSessionTtl: '8h',
  minApprovals: 2,
  minDenials: 1,
  pluginRoles: ['access-plugin'],
  externalRoles: ['access', 'editor', 'auditor', 'requester', 'reviewer'],
});

export type PolicyConfigInput = Partial<Omit<PolicyConfig, 'privileged'>> & { privileged?: Partial<PrivilegedSelector> };

/** Merges a partial configuration over the defaults and checks the values that need it. */
export function resolveConfig(input: PolicyConfigInput = {}): PolicyConfig {
  const cfg: PolicyConfig = {
    privileged: {
      names: input.privileged?.names ?? [...DEFAULT_CONFIG.privileged.names],
      labels: input.privileged?.labels ?? { ...DEFAULT_CONFIG.privileged.labels },
      logins: input.privileged?.logins ?? [...DEFAULT_CONFIG.privileged.logins],
    },
    maxSessionTtl: input.maxSessionTtl ?? DEFAULT_CONFIG.maxSessionTtl,
    minApprovals: input.minApprovals ?? DEFAULT_CONFIG.minApprovals,
    minDenials: input.minDenials ?? DEFAULT_CONFIG.minDenials,
    pluginRoles: input.pluginRoles ?? [...DEFAULT_CONFIG.pluginRoles],
    externalRoles: input.externalRoles ?? [...DEFAULT_CONFIG.externalRoles],
  };
  if (parseDurationMs(cfg.maxSessionTtl) === undefined) {
    throw new Error(`maxSessionTtl ${JSON.stringify(cfg.maxSessionTtl)} is not a duration such as "8h" or "30m"`);
  }
  if (!(cfg.minApprovals >= 1) || !(cfg.minDenials >= 1)) throw new Error('minApprovals and minDenials must be at least 1');
  return cfg;
}

/** Why a role is privileged under the configuration, or undefined when it is not. */
export function privilegeReason(role: RoleResource, cfg: PolicyConfig): string | undefined {
  const name = role.metadata.name;
  if (cfg.privileged.names.includes(name)) return 'named as privileged in the review configuration';
  for (const [k, v] of Object.entries(cfg.privileged.labels)) {
    if (role.metadata.labels?.[k] === v) return `labelled ${k}=${v}`;
  }
  const logins = role.spec?.allow?.logins ?? [];
  const hit = logins.find((l) => cfg.privileged.logins.includes(l));
  if (hit !== undefined) return `allows login ${hit}`;
  return undefined;
}

export function isPrivileged(role: RoleResource, cfg: PolicyConfig): boolean {
  return privilegeReason(role, cfg) !== undefined;
}
