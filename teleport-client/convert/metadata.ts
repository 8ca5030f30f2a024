/** types.Metadata <-> the model's Metadata. */
import type { Metadata } from '../../model/resources';
import { PbTimestamp, isoToTimestamp, timestampToIso } from '../values';
import { Pb, compact, obj, str } from './pb';

export function metadataFromPb(pb: unknown): Metadata {
  const m = obj(pb) ?? {};
  const labels = obj(m.Labels) as Record<string, string> | undefined;
  return {
    name: str(m.Name),
    ...compact({
    description: str(m.Description) || undefined,
    labels: labels && Object.keys(labels).length > 0 ? { ...labels } : undefined,
    expires: timestampToIso(m.Expires as PbTimestamp | null),
    revision: str(m.Revision) || undefined,
    }),
  };
}

export function metadataToPb(m: Metadata): Pb {
  return {
    Name: m.name,
    Namespace: 'default',
    Description: m.description ?? '',
    Labels: { ...(m.labels ?? {}) },
    ...(m.expires ? { Expires: isoToTimestamp(m.expires) } : {}),
    Revision: m.revision ?? '',
  };
}
