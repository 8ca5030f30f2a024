import { Construct, IConstruct } from 'constructs';
import { consistencyProblems, parseTeleportVersion, resourcesToYaml, resourceToYaml, TeleportVersion } from '../model';
import { MODEL_RULES, modelRuleContext, PolicyConfigInput, resolveConfig, runRules } from '../model/rules';
import { isSuppressionExpired, suppressionCovers, SUPPRESSIONS_JSON } from '../model/suppression';
import { isArtifactProvider, StackArtifact } from './artifacts';
import { addBackend, BackendConfig } from './backend';
import { TerraformStack } from './cdktf';
import { collectPolicySuppressions } from './policy-suppressions';
import { DualAuthStackSynthesizer } from './stack-synthesizer';
import { TeleportProvider } from './teleport-provider';
import { TeleportResourceSet } from './teleport-terraform';
import type { TeleportResourceConstruct } from './teleport-resource';

export interface DualAuthStackProps {
  /** Target Teleport version, e.g. "15.4" (the guide's cluster). Decides role versions and fields. */
  readonly teleportVersion: string;
  /** Teleport Proxy or Auth address for the Terraform provider, e.g. "teleport.example.com:443". */
  readonly teleportAddr?: string;
  /** Emit Teleport resources as teleport_role / teleport_user in cdk.tf.json (default true). Off for tctl-only teams. */
  readonly terraformProvider?: boolean;
  /** Terraform state backend (default: local file next to cdk.tf.json). */
  readonly backend?: BackendConfig;
  /** Allow '*' or regex patterns in request and impersonate roles (default false). */
  readonly allowWildcards?: boolean;
  /** Roles that exist on the cluster but are not declared here and may be referenced (e.g. "editor"). */
  readonly externalRoles?: string[];
  /** Also write one YAML file per resource under teleport/ (default false: large stacks write thousands). */
  readonly resourceFiles?: boolean;
  /**
   * What the shared error rules (model/rules, the same `dualauth review` runs) treat as privileged and how
   * strict they are; default as the review's defaults. Give the review the same configuration.
   */
  readonly policy?: PolicyConfigInput;
}

const STACK_SYMBOL = Symbol.for('dualauth.DualAuthStack');

/** The multi-document YAML of every Teleport resource, beside cdk.tf.json. */
export const TELEPORT_YAML = 'teleport.yaml';
/** Folder of the one-file-per-resource YAML (stack option resourceFiles). */
export const TELEPORT_DIR = 'teleport';

/** A stack of Teleport resources: knows its target Teleport version and checks resources across each other. */
export class DualAuthStack extends TerraformStack {
  static of(c: IConstruct): DualAuthStack {
    for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
      if ((s as unknown as Record<symbol, unknown>)[STACK_SYMBOL]) return s as DualAuthStack;
    }
    throw new Error(`${c.node.path}: Teleport constructs must be created inside a DualAuthStack`);
  }

  readonly teleport: TeleportVersion;
  readonly props: DualAuthStackProps;
  private provider?: TeleportProvider;
  private resourceSet?: TeleportResourceSet;

  constructor(scope: Construct, id: string, props: DualAuthStackProps) {
    super(scope, id);
    Object.defineProperty(this, STACK_SYMBOL, { value: true });
    this.props = props;
    this.teleport = parseTeleportVersion(props.teleportVersion);
    addBackend(this, id, props.backend);
    this.node.addValidation({ validate: () => this.crossResourceProblems() });
    // our files are written by the stack's own synthesizer, so every cdktf App (a plain one too) gets them
    this.synthesizer = new DualAuthStackSynthesizer(this, this.synthesizer, () => this.stackArtifacts());
  }

  /** The files this stack writes beside cdk.tf.json (Teleport YAML and construct artifacts), sorted by path. */
  stackArtifacts(): StackArtifact[] {
    const resources = this.resources.map((c) => c.toResource());
    const out: StackArtifact[] = [{ path: TELEPORT_YAML, content: resourcesToYaml(resources) }];
    if (this.props.resourceFiles) for (const r of resources) out.push({ path: `${TELEPORT_DIR}/${r.kind}-${r.metadata.name}.yaml`, content: resourceToYaml(r) });
    for (const c of this.node.findAll()) if (isArtifactProvider(c)) out.push(...c.stackArtifacts());
    // suppressions added with addPolicySuppressions(construct, ...) travel to `dualauth review` in this file
    const keys = new Map<IConstruct, string>(this.resources.map((c) => [c, c.resourceKey]));
    const suppressions = collectPolicySuppressions(this, (c) => keys.get(c));
    if (suppressions.length > 0) out.push({ path: SUPPRESSIONS_JSON, content: `${JSON.stringify({ suppressions }, null, 2)}\n` });
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  get terraformEnabled(): boolean {
    return this.props.terraformProvider !== false;
  }

  /** The Teleport provider, created on first use so a tctl-only stack has none. */
  get teleportProvider(): TeleportProvider {
    if (!this.provider) {
      this.provider = new TeleportProvider(this, 'teleport', {
        addr: this.props.teleportAddr ?? 'teleport.example.com:443',
        version: `~> ${this.teleport.major}.0`,
      });
    }
    return this.provider;
  }

  /** Terraform JSON of the stack: cdktf's, plus the Teleport resources merged in unresolved (they hold no tokens). */
  toTerraform(): Record<string, unknown> {
    const tf = super.toTerraform() as Record<string, unknown>;
    if (this.resourceSet) {
      const resource = (tf.resource ??= {}) as Record<string, Record<string, unknown>>;
      for (const [type, byName] of Object.entries(this.resourceSet.render())) resource[type] = { ...(resource[type] ?? {}), ...byName };
    }
    return tf;
  }

  /** The Terraform element holding every Teleport resource of the stack, created on first use. */
  get teleportResourceSet(): TeleportResourceSet {
    if (!this.resourceSet) this.resourceSet = new TeleportResourceSet(this, 'teleport-resources', this.teleportProvider);
    return this.resourceSet;
  }

  /** Teleport resource constructs in creation order, and the first one per `kind/name`. */
  private readonly resources: TeleportResourceConstruct[] = [];
  private readonly byKey = new Map<string, TeleportResourceConstruct>();

  /** Called by every Teleport resource construct as it is created (an index instead of tree walks). */
  registerTeleportResource(c: TeleportResourceConstruct): void {
    this.resources.push(c);
    if (!this.byKey.has(c.resourceKey)) this.byKey.set(c.resourceKey, c);
  }

  /** The Teleport resource construct declaring `kind/name`, if any (the first, when declared twice). */
  teleportResource(resourceKey: string): TeleportResourceConstruct | undefined {
    return this.byKey.get(resourceKey);
  }

  /** Terraform address of a declared resource (`role/dbadmin` -> `teleport_role.dbadmin`). */
  terraformAddressOf(resourceKey: string): string | undefined {
    return this.byKey.get(resourceKey)?.terraformAddress;
  }

  /** Every Teleport resource construct in this stack, in creation order. */
  teleportResources(): TeleportResourceConstruct[] {
    return [...this.resources];
  }

  private crossResourceProblems(): string[] {
    const constructs = this.teleportResources();
    const byKey = new Map(constructs.map((c) => [c.resourceKey, c]));
    const problems = consistencyProblems(
      constructs.map((c) => c.toResource()),
      { allowWildcards: this.props.allowWildcards, externalRoles: this.props.externalRoles },
    );
    const out = problems.map((p) => {
      const at = byKey.get(p.resource);
      return `${at ? at.node.path : p.resource} (${p.resource} in teleport.yaml) ${p.field}: ${p.message}`;
    });
    return [...out, ...this.sharedRuleProblems(constructs.map((c) => c.toResource()), byKey)];
  }

  /**
   * The error-level rules `dualauth review` runs, through the same runner (model/rules), so synthesis and
   * review never disagree on an error. A suppression declared on a construct (with its reason) holds here
   * as in the review, until it expires.
   */
  private sharedRuleProblems(resources: ReturnType<TeleportResourceConstruct['toResource']>[], byKey: Map<string, TeleportResourceConstruct>): string[] {
    const config = resolveConfig(this.props.policy);
    const findings = runRules(MODEL_RULES.filter((r) => r.severity === 'error'), modelRuleContext(resources, config));
    if (findings.length === 0) return [];
    // the Teleport resource constructs are the ones registered here (no import of the class: it imports us)
    const keyOf = (c: IConstruct): string | undefined => {
      const k = (c as { resourceKey?: unknown }).resourceKey;
      return typeof k === 'string' && byKey.get(k) === c ? k : undefined;
    };
    const suppressions = collectPolicySuppressions(this, keyOf);
    const now = new Date();
    return findings
      .filter((f) => !suppressions.some((s) => suppressionCovers(s, f) && !isSuppressionExpired(s, now)))
      .map((f) => {
        const at = f.resource ? byKey.get(f.resource) : undefined;
        return `${at ? at.node.path : (f.resource ?? this.node.path)} (${f.resource ?? 'stack'} in teleport.yaml)${f.field ? ` ${f.field}` : ''}: [${f.ruleId}] ${f.message}`;
      });
  }
}
