/**
 * Role-name matchers as Teleport's parse.NewMatcher reads `request.roles` and `review_requests.roles`:
 * a value wrapped in ^...$ is a regular expression; otherwise `*` is a glob wildcard and the rest literal.
 */
const cache = new Map<string, RegExp>();

export function matcherRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re =
      pattern.startsWith('^') && pattern.endsWith('$')
        ? new RegExp(pattern)
        : new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    cache.set(pattern, re);
  }
  return re;
}

export function matchesAny(patterns: readonly string[] | undefined, value: string): boolean {
  return (patterns ?? []).some((p) => matcherRegExp(p).test(value));
}

/** True when a pattern can match more than one name (glob or regex). */
export function isWildcardPattern(pattern: string): boolean {
  return pattern.includes('*') || (pattern.startsWith('^') && pattern.endsWith('$'));
}
