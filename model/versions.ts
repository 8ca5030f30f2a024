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

/**
 * Parses durations as Teleport reads them from YAML (api/types/duration.go parseDuration): Go's syntax ("8h",
 * "30h0m0s", "1.5h", "-1h", "0") plus the units d, mo (30 days) and y (365 days), and "never" (= 0).
 */
export function parseDurationMs(text: string): number | undefined {
  if (text === 'never') return 0;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, mo: 2.592e9, y: 3.1536e10 };
  const sign = /^[-+]/.test(text) ? text[0] : '';
  const body = sign ? text.slice(1) : text;
  if (body === '0') return 0;
  const part = '(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|μs|ms|mo|s|m|h|d|y)';
  if (!new RegExp(`^(${part})+$`).test(body)) return undefined;
  let total = 0;
  for (const m of body.matchAll(new RegExp(part, 'g'))) total += Number(m[1]) * (unit[m[2] as string] as number);
  return sign === '-' ? -total : total;
}
