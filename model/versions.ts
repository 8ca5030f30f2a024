/**
 * What each Teleport release knows about roles. The stack declares its target Teleport version; we
 * emit only role versions and fields that version accepts (Teleport >= 18.8 rejects unknown fields).
 */
import { RoleVersion } from './resources';

export interface TeleportVersion {
  major: number;
  minor: number;
}

/**
 * First Teleport major that accepts each role version (v8 arrived with Teleport 18). v3 and v4 are far older than
 * any major this project targets (15.4 and newer), and Teleport 18 still reads them: 1 stands for "always".
 */
export const ROLE_VERSION_SINCE: Readonly<Record<RoleVersion, number>> = { v3: 1, v4: 1, v5: 8, v6: 12, v7: 14, v8: 18 };

/** Teleport rejects unknown or misspelt resource fields from 18.8 on (PR #66098 / #66360). */
export function rejectsUnknownFields(v: TeleportVersion): boolean {
  return v.major > 18 || (v.major === 18 && v.minor >= 8);
}

export function parseTeleportVersion(text: string): TeleportVersion {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(text.trim());
  if (!m) throw new Error(`Teleport version ${JSON.stringify(text)} is not MAJOR[.MINOR[.PATCH]], e.g. "15.4" or "18.8.1"`);
  return { major: Number(m[1]), minor: Number(m[2] ?? 0) };
}

export function roleVersionSupported(version: RoleVersion, teleport: TeleportVersion): boolean {
  return teleport.major >= ROLE_VERSION_SINCE[version];
}

/** Newest role version the cluster accepts: what Teleport itself fills in when `version` is missing. */
export function newestRoleVersion(teleport: TeleportVersion): RoleVersion {
  const ordered: RoleVersion[] = ['v8', 'v7', 'v6', 'v5'];
  return ordered.find((v) => roleVersionSupported(v, teleport)) ?? 'v5';
}

/** MaxAccessDuration in lib/services/access_request.go. */
export const MAX_ACCESS_DURATION_MS = 14 * 24 * 3600 * 1000;
