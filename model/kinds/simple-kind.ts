/**
 * Builds the KindModel of a kind the analysis reads (access lists, access monitoring rules, bots, SSO
 * connectors): a closed top level and a spec whose deciding fields are typed, per version; no server
 * defaults beyond what the kind file adds; Terraform shape from the kind file.
 */
import { nameProblem } from '../names';
import { schemaProblems } from '../schema-check';
import { TeleportResource } from '../resources';
import { KindModel, Problem } from './kind';
import { metadataSchema } from './metadata';

type Schema = Record<string, unknown>;

export const stringList: Schema = { type: 'array', items: { type: 'string' } };
export const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required, additionalProperties: false });
/** An object whose listed fields are typed and whose other fields pass (fields we never read, e.g. secrets). */
export const open = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required });
export const traitList: Schema = { type: 'array', items: open({ key: { type: 'string' }, name: { type: 'string' }, values: stringList }) };

// The one metadata schema every kind shares (model/kinds/metadata.ts).
const metadata: Schema = metadataSchema();

export interface SimpleKindSpec<R> {
  kind: string;
  versions: readonly string[];
  terraformType: string;
  /** JSON schema of `spec` for one version. */
  spec(version: string): Schema;
  /** Teleport's own checks beyond structure. */
  rules?(resource: R): Problem[];
  toTerraform(resource: R): Record<string, unknown>;
}

export function simpleKind<R extends TeleportResource>(s: SimpleKindSpec<R>): KindModel<R> {
  const schema = (version: string) => (): Schema =>
    closed({ kind: { const: s.kind }, version: { const: version }, sub_kind: { type: 'string' }, metadata, spec: s.spec(version), status: {} }, ['kind', 'version', 'metadata', 'spec']);
  return {
    kind: s.kind as R['kind'],
    versions: s.versions,
    terraformType: s.terraformType,
    problems(resource: R): Problem[] {
      if (!s.versions.includes(resource.version)) return [{ field: 'version', message: `${s.kind} version ${JSON.stringify(resource.version)} is not one of ${s.versions.join(', ')}` }];
      const out: Problem[] = [];
      const np = nameProblem(resource.metadata?.name, s.kind);
      if (np) out.push({ field: 'metadata.name', message: np });
      out.push(...schemaProblems(`${s.kind}/${resource.version}`, schema(resource.version), resource));
      if (out.length === 0 && s.rules) out.push(...s.rules(resource));
      return out;
    },
    withServerDefaults: (r: R) => r,
    toTerraform: s.toTerraform,
  };
}

/** `{version, metadata, spec}` as most of Teleport's Terraform resources take it. */
export function plainTerraform(r: { version: string; metadata: { name: string; description?: string; labels?: Record<string, string> }; spec: unknown }): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: r.metadata.name };
  if (r.metadata.description !== undefined) metadata.description = r.metadata.description;
  if (r.metadata.labels !== undefined) metadata.labels = r.metadata.labels;
  return { version: r.version, metadata, spec: r.spec };
}
