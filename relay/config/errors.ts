import type { RelayConfig } from './load';

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

/**
 * Several problems found at once; each is reported, and so are the warnings (a misspelt key explains
 * many an error: `identitty` is why "no credentials configured"). `partial` is what could be read, so
 * check-config can go on checking the files the config names and report everything in one go.
 */
export class ConfigErrors extends Error {
  constructor(
    readonly source: string,
    readonly errors: ConfigError[],
    readonly warnings: readonly string[] = [],
    readonly partial?: RelayConfig,
  ) {
    super(
      `invalid relay configuration ${source}:\n${errors.map((e) => `  - ${e.message}`).join('\n')}` +
        warnings.map((w) => `\n  warning: ${w}`).join(''),
    );
    this.name = 'ConfigErrors';
  }
}
