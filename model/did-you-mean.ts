/**
 * "Did you mean" suggestions for misspelt keys, fields, roles and users: the known name at the smallest
 * edit distance (Levenshtein, via fastest-levenshtein), when it is close enough to be a typo.
 */
import { distance } from 'fastest-levenshtein';

/** "gsc" for "gcs": one swap of neighbours, the commonest typo, counts as one edit (as in Damerau's distance). */
function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** The closest candidate, or undefined when none is within about a third of the word's length. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    // Cheap bound first: lengths alone already exceed the limit.
    if (Math.abs(c.length - w.length) > limit) continue;
    const lc = c.toLowerCase();
    const d = isAdjacentSwap(w, lc) ? 1 : distance(w, lc);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}

/** " (did you mean \"x\"?)" or "" — ready to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}
