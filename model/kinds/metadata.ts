/**
 * `metadata` of every Teleport resource (types.Metadata): one schema for all kinds, and the fields the
 * server sets itself (revision, id, namespace) that synthesis never emits and drift never compares.
 */

type Schema = Record<string, unknown>;

/** Metadata fields the Auth server sets or rewrites on every write. */
export const SERVER_METADATA_FIELDS: readonly string[] = ['revision', 'id', 'namespace'];

/** Labels under this prefix are Teleport's own bookkeeping (teleport.dev/origin, ...). */
export const SYSTEM_LABEL_PREFIX = 'teleport.dev/';

/** ajv schema of types.Metadata as `tctl get` prints it (closed: a misspelt field is caught). */
export function metadataSchema(): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      expires: { type: 'string' },
      revision: { type: 'string' },
      id: { type: 'integer' },
      namespace: { type: 'string' },
    },
  };
}
