import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { TerraformElement, TerraformProvider } from './cdktf';

/** One Teleport resource as Teleport's Terraform provider takes it. */
export interface TeleportTerraformEntry {
  /** `teleport_role`, `teleport_user`, ... */
  readonly terraformType: string;
  /** Teleport name; the Terraform address is derived from it, not from the construct path. */
  readonly teleportName: string;
  /** Construct path, recorded in the resource's "//" metadata as cdktf does. */
  readonly constructPath: string;
  /** Attributes in the provider's schema, rendered at synth. */
  attributes(): Record<string, unknown>;
  /** Terraform addresses this resource depends on (e.g. a user on its roles). */
  dependsOn(): string[];
}

/**
 * Terraform resource name for a Teleport name: readable, and unique per kind because Teleport names are.
 * Names needing sanitising get a short hash of the exact name so "bob@x.io" and "bob_x_io" stay apart.
 */
export function terraformNameFor(teleportName: string): string {
  const clean = teleportName.replace(/[^A-Za-z0-9_-]/g, '_');
  const safe = /^[A-Za-z_]/.test(clean) ? clean : `_${clean}`;
  if (safe === teleportName) return safe;
  return `${safe}_${createHash('sha256').update(teleportName).digest('hex').slice(0, 8)}`;
}

/**
 * All Teleport resources of a stack as one Terraform element. One element instead of one cdktf
 * TerraformResource per Teleport resource keeps synthesis close to plain serialization for stacks of
 * tens of thousands of users (cdktf resolves and deep-merges every element separately). Addresses are
 * `teleport_role.<name>`, stable when constructs move in the tree.
 */
export class TeleportResourceSet extends TerraformElement {
  private readonly entries: TeleportTerraformEntry[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly provider: TerraformProvider,
  ) {
    super(scope, id);
  }

  add(entry: TeleportTerraformEntry): string {
    this.entries.push(entry);
    return `${entry.terraformType}.${terraformNameFor(entry.teleportName)}`;
  }

  toMetadata(): Record<string, unknown> {
    return {};
  }

  /**
   * cdktf resolves every element's output three times per synth; ours holds no tokens, so the stack
   * merges `render()` in after resolution (DualAuthStack.toTerraform) and this returns nothing.
   */
  toTerraform(): Record<string, unknown> {
    return {};
  }

  /** The resources in cdk.tf.json form. Attributes come from plain model data: no tokens to resolve. */
  render(): Record<string, Record<string, unknown>> {
    const resource: Record<string, Record<string, unknown>> = {};
    const providerRef = this.provider.alias ? `teleport.${this.provider.alias}` : 'teleport';
    for (const e of this.entries) {
      const name = terraformNameFor(e.teleportName);
      const deps = e.dependsOn();
      (resource[e.terraformType] ??= {})[name] = {
        ...e.attributes(),
        ...(deps.length > 0 ? { depends_on: deps } : {}),
        provider: providerRef,
        '//': { metadata: { path: e.constructPath, uniqueId: name } },
      };
    }
    return resource;
  }
}
