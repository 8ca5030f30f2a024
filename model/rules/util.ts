/** Small helpers shared by rules. */
import { matchesAny } from '../index';

/** Runs a model decision; a malformed pattern or predicate (reported by DA-010) counts as "no". */
export function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

export function safeMatches(patterns: readonly string[] | undefined, value: string): boolean {
  return safe(() => matchesAny(patterns, value));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
