/**
 * Live resources the repository does not declare. Teleport's own (preset roles, bot and system users) are
 * ignored by default; --ignore adds patterns. A pattern is NAME or KIND/NAME, with * and ? wildcards:
 * "editor" (any kind), "role/okta-*", "user/ci-*".
 */

/** Teleport presets and system identities: not drift when the repository leaves them out. */
export const DEFAULT_IGNORES: readonly string[] = [
  'role/editor',
  'role/access',
  'role/auditor',
  // Machine ID: each bot gets a user and a role named bot-<name>.
  'bot-*',
  // Teleport's internal users and roles (e.g. @teleport-access-approval-bot).
  '@teleport-*',
];

/** Label Teleport puts on preset resources: teleport.dev/origin = defaults. */
const ORIGIN_LABEL = 'teleport.dev/origin';
const PRESET_ORIGIN = 'defaults';

export interface IgnoreMatcher {
  /** The pattern that matches, or undefined. */
  match(kind: string, name: string, labels?: Record<string, string>): string | undefined;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Throws on a malformed pattern, naming it (the CLI reports it against --ignore). */
export function parseIgnorePattern(p: string): { kind?: string; name: RegExp; text: string } {
  const text = p.trim();
  if (text === '') throw new Error('empty --ignore pattern: give NAME or KIND/NAME, e.g. role/okta-*');
  const slash = text.indexOf('/');
  if (slash === -1) return { name: globToRegExp(text), text };
  const kind = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (!/^[a-z_]+$/.test(kind) || name === '' || name.includes('/')) {
    throw new Error(`--ignore ${JSON.stringify(text)}: expected NAME or KIND/NAME such as role/okta-* or user/ci-*`);
  }
  return { kind, name: globToRegExp(name), text };
}

export function ignoreMatcher(patterns: readonly string[], opts: { defaults?: boolean } = {}): IgnoreMatcher {
  const useDefaults = opts.defaults ?? true;
  const parsed = [...(useDefaults ? DEFAULT_IGNORES : []), ...patterns].map(parseIgnorePattern);
  return {
    match(kind, name, labels) {
      for (const p of parsed) if ((p.kind === undefined || p.kind === kind) && p.name.test(name)) return p.text;
      if (useDefaults && labels?.[ORIGIN_LABEL] === PRESET_ORIGIN) return `${ORIGIN_LABEL}=${PRESET_ORIGIN}`;
      return undefined;
    },
  };
}
