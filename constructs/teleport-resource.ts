import { Construct, IConstruct } from 'constructs';
import { isRole, modelFor, nameProblem, resourceKey, TeleportResource, thresholdDecisionProblems } from '../model';
import { DualAuthStack } from './dual-auth-stack';


const RESOURCE_SYMBOL = Symbol.for('dualauth.TeleportResource');

/**
 * Base of the L2 Teleport constructs: one Teleport resource, validated against the model at synth,
 * rendered to teleport.yaml and (optionally) to a resource of Teleport's Terraform provider.
 */
export abstract class TeleportResourceConstruct extends Construct {
  static isTeleportResource(x: IConstruct): x is TeleportResourceConstruct {
    return (x as unknown as Record<symbol, unknown>)[RESOURCE_SYMBOL] === true;
  }

  /** Teleport resource name (metadata.name), distinct from the construct id. */
  readonly teleportName: string;
  readonly kind: TeleportResource['kind'];
  private readonly overrides: { path: string[]; value: unknown }[] = [];
  private cached?: TeleportResource;

  protected constructor(scope: Construct, id: string, kind: TeleportResource['kind'], teleportName: string) {
    super(scope, id);
    Object.defineProperty(this, RESOURCE_SYMBOL, { value: true });
    this.kind = kind;
    this.teleportName = teleportName;
    const stack = DualAuthStack.of(this);
    stack.registerTeleportResource(this);
    this.node.addValidation({ validate: () => this.problems(stack) });
    if (stack.terraformEnabled) {
      const model = modelFor({ kind } as TeleportResource);
      this.terraformAddress = stack.teleportResourceSet.add({
        terraformType: model.terraformType,
        teleportName,
        constructPath: this.node.path,
        attributes: () => this.terraformAttributes(model.toTerraform(this.toResource())),
        dependsOn: () => this.terraformDependsOn(stack),
      });
    }
  }

  /** Address in cdk.tf.json, e.g. `teleport_role.dbadmin` (undefined when the stack emits no Terraform). */
  readonly terraformAddress?: string;
  private readonly tfOverrides: { path: string[]; value: unknown }[] = [];

  /**
   * Escape hatch for the Terraform side only, e.g. `addTerraformOverride('lifecycle.prevent_destroy', true)`.
   */
  addTerraformOverride(path: string, value: unknown): void {
    this.tfOverrides.push({ path: path.split('.'), value });
  }

  /** Terraform addresses this resource must be created after (users after their roles). */
  protected terraformDependsOn(_stack: DualAuthStack): string[] {
    return [];
  }

  private terraformAttributes(attrs: Record<string, unknown>): Record<string, unknown> {
    for (const o of this.tfOverrides) setPath(attrs, o.path, o.value);
    return attrs;
  }

  get resourceKey(): string {
    return `${this.kind}/${this.teleportName}`;
  }

  /** The resource as declared, before escape-hatch overrides. */
  protected abstract render(): TeleportResource;

  /** Call after any change to props so the next render sees it. */
  protected invalidate(): void {
    this.cached = undefined;
  }

  /**
   * Escape hatch for Teleport fields the typed props do not cover, e.g.
   * `role.addOverride('spec.allow.kubernetes_groups', ['viewers'])`. The field is checked against the
   * role version's schema at synth, so a misspelt path fails instead of being dropped. `undefined` deletes.
   */
  addOverride(path: string, value: unknown): void {
    this.overrides.push({ path: path.split('.'), value });
    this.invalidate();
  }

  /** The Teleport resource this construct declares, as `tctl create -f` reads it. */
  toResource(): TeleportResource {
    if (!this.cached) {
      const r = this.render() as unknown as Record<string, unknown>;
      for (const o of this.overrides) setPath(r, o.path, o.value);
      this.cached = r as unknown as TeleportResource;
    }
    return this.cached;
  }

  private problems(stack: DualAuthStack): string[] {
    const np = nameProblem(this.teleportName, this.kind);
    if (np) return [`${this.resourceKey} (teleport.yaml) metadata.name: ${np}`];
    const r = this.toResource();
    // Teleport accepts a threshold that can never approve or deny; the constructs promise both counts >= 1
    const own = isRole(r) ? thresholdDecisionProblems(r) : [];
    return [...modelFor(r).problems(r, stack.teleport), ...own].map((p) => `${resourceKey(r)} (teleport.yaml) ${p.field}: ${p.message}`);
  }
}

/** Sets (or, for undefined, deletes) a nested field, creating objects on the way. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let at = target;
  for (const k of path.slice(0, -1)) {
    if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete at[last];
  else at[last] = value;
}
