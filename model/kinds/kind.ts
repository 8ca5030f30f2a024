import { SchemaProblem } from '../schema-check';
import { TeleportResource } from '../resources';
import { TeleportVersion } from '../versions';

export type Problem = SchemaProblem;

/** Everything the project knows about one Teleport resource kind. Adding a kind = one file like role.ts. */
export interface KindModel<R extends { kind: string; metadata: { name: string } } = TeleportResource> {
  kind: R['kind'];
  /** Versions of this kind that exist, oldest first. */
  versions: readonly string[];
  /** Structure (ajv schema, closed) and Teleport's own validity rules for one resource on a target cluster. */
  problems(resource: R, teleport?: TeleportVersion): Problem[];
  /** The resource as the server returns it: Teleport's defaults for that version filled in. */
  withServerDefaults(resource: R): R;
  /** Terraform resource type of Teleport's provider, and the resource's attributes in that schema. */
  terraformType: string;
  toTerraform(resource: R): Record<string, unknown>;
}
