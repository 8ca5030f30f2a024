import { inspect } from 'node:util';

/**
 * Holds a secret (the Mattermost token) so that printing, logging or JSON-encoding the config that
 * carries it never shows the value; only reveal() does.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  toString(): string {
    return '[REDACTED]';
  }

  [inspect.custom](): string {
    return 'Secret([REDACTED])';
  }
}
