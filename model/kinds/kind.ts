import { SchemaProblem } from '../schema-check';
import { TeleportResource } from '../resources';
import { TeleportVersion } from '../versions';

export type Problem = SchemaProblem;

/**
 * Everything the project knows about one Teleport resource kind. Adding a kind = one file like role.ts plus
 * one line in ./index.ts; drift, review and the simulator find it here. Members after `toTerraform` are
 * optional so a new kind can start small.
 */
export interface KindModel<R extends TeleportResource = TeleportResource> {
  kind: R['kind'];
  /** Versions of this kind that exist, oldest first. */
  versions: readonly string[];
  /** Structure (ajv schema, closed) and Teleport's own validity rules for one resource on a target cluster. */
  problems(resource: R, teleport?: TeleportVersion): Problem[];
  /**
   * The resource as a server stores and prints it back: Teleport's CheckAndSetDefaults for that version (and,
   * when given, that server major). The input is not modified.
   */
  withServerDefaults(resource: R, teleport?: TeleportVersion): R;
  /** Terraform resource type of Teleport's provider, and the resource's attributes in that schema. */
  terraformType: string;
  toTerraform(resource: R): Record<string, unknown>;
  /**
   * One spelling for values Teleport reads as the same (durations in Go's form, YAML 1.1 booleans, an
   * unset plain bool as false ...), so two resources compare equal exactly when Teleport treats them alike.
   * Applied after withServerDefaults. Default: the resource unchanged.
   */
  canonicalValues?(resource: R): R;
  /** Spec fields the server sets (`tctl get` prints them, a repository never declares them). */
  serverSpecFields?: readonly string[];
  /** Lists whose order means something to Teleport (by field name); all other lists compare as sets. */
  orderedLists?: readonly string[];
}
