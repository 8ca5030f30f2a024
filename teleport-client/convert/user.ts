/** UserV2 <-> UserResource. */
import type { UserResource, UserSpec } from '../../model/resources';
import { PbLabelValues, PbTimestamp, isoToTimestamp, pbToTraits, timestampToIso, traitsToPb } from '../values';
import { metadataFromPb, metadataToPb } from './metadata';
import { Pb, compact, list, nonEmpty, obj, pbList, str } from './pb';

interface ExternalIdentityYaml {
  connector_id?: string;
  username?: string;
  samlSingleLogoutUrl?: string;
  user_id?: string;
}

const identitiesToPb = (v: unknown): Pb[] =>
  pbList<ExternalIdentityYaml>(v).map((i) => ({ ConnectorID: i.connector_id ?? '', Username: i.username ?? '', SAMLSingleLogoutURL: i.samlSingleLogoutUrl ?? '', UserID: i.user_id ?? '' }));

const identitiesFromPb = (v: unknown): ExternalIdentityYaml[] | undefined =>
  nonEmpty(pbList<Pb>(v).map((i) => compact({ connector_id: str(i.ConnectorID), username: str(i.Username), samlSingleLogoutUrl: str(i.SAMLSingleLogoutURL), user_id: str(i.UserID) })));

export function userToPb(user: UserResource): Pb {
  const s: UserSpec = user.spec ?? {};
  const known = new Set(['roles', 'traits', 'oidc_identities', 'saml_identities', 'github_identities', 'expires', 'created_by', 'trusted_device_ids', 'status']);
  for (const k of Object.keys(s)) if (!known.has(k)) throw new TypeError(`user ${JSON.stringify(user.metadata.name)}: spec.${k} is not a user field this client can send`);
  const createdBy = obj(s.created_by);
  return {
    Kind: 'user',
    SubKind: '',
    Version: user.version ?? 'v2',
    Metadata: metadataToPb(user.metadata),
    Spec: {
      OIDCIdentities: identitiesToPb(s.oidc_identities),
      SAMLIdentities: identitiesToPb(s.saml_identities),
      GithubIdentities: identitiesToPb(s.github_identities),
      Roles: [...(s.roles ?? [])],
      Traits: traitsToPb(s.traits) ?? { Values: {} },
      ...(typeof s.expires === 'string' ? { Expires: isoToTimestamp(s.expires) } : {}),
      ...(createdBy
        ? {
            CreatedBy: {
              ...(typeof createdBy.time === 'string' ? { Time: isoToTimestamp(createdBy.time) } : {}),
              User: { Name: str(obj(createdBy.user)?.name) },
            },
          }
        : {}),
      TrustedDeviceIDs: list(s.trusted_device_ids),
    },
  };
}

export function userFromPb(pb: unknown): UserResource {
  const u = obj(pb) ?? {};
  const s = obj(u.Spec) ?? {};
  const cb = obj(s.CreatedBy);
  const createdBy = cb
    ? compact({ time: timestampToIso(cb.Time as PbTimestamp), user: str(obj(cb.User)?.Name) ? { name: str(obj(cb.User)?.Name) } : undefined })
    : undefined;
  const status = obj(s.Status);
  return {
    kind: 'user',
    version: 'v2',
    metadata: metadataFromPb(u.Metadata),
    spec: compact({
      roles: nonEmpty(list(s.Roles)),
      traits: pbToTraits(s.Traits as PbLabelValues),
      oidc_identities: identitiesFromPb(s.OIDCIdentities),
      saml_identities: identitiesFromPb(s.SAMLIdentities),
      github_identities: identitiesFromPb(s.GithubIdentities),
      expires: timestampToIso(s.Expires as PbTimestamp),
      created_by: createdBy,
      trusted_device_ids: nonEmpty(list(s.TrustedDeviceIDs)),
      status: status?.IsLocked ? compact({ is_locked: true, locked_message: str(status.LockedMessage) }) : undefined,
    }) as UserSpec,
  };
}
