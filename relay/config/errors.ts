/**
 * A configuration problem, named by its TOML key ("mattermost.url", "teleport.identity") so the
 * operator knows exactly which line to change, with the fix when there is an obvious one.
 */
export class ConfigError extends Error {
  constructor(
    /** Dotted TOML key, e.g. "teleport.identity"; "config" for the file itself. */
    readonly key: string,
    readonly problem: string,
    readonly fix?: string,
  ) {
    super(`${key}: ${problem}${fix ? ` (${fix})` : ''}`);
    this.name = 'ConfigError';
  }
}

/** Several problems found at once; each is reported. */
export class ConfigErrors extends Error {
  constructor(
    readonly source: string,
    readonly errors: ConfigError[],
  ) {
    super(`invalid relay configuration ${source}:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`);
    this.name = 'ConfigErrors';
  }
}
