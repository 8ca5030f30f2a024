/**
 * Applying suppressions to review findings: an expired suppression no longer hides its finding, and
 * every suppression is reported with how often it matched. The format itself is model/suppression.ts.
 */
import { isSuppressionExpired, suppressionCovers, type Suppression } from '../model/suppression';
import type { Finding, SuppressionStatus } from './types';

export const isExpired = isSuppressionExpired;
const covers = suppressionCovers;

/** Marks findings suppressed (or counted again when the suppression expired); returns each suppression's use. */
export function applySuppressions(findings: Finding[], suppressions: readonly Suppression[], now: Date): SuppressionStatus[] {
  const status = suppressions.map((suppression) => ({ suppression, expired: isExpired(suppression, now), matched: 0 }));
  const byRule = new Map<string, typeof status>();
  for (const st of status) {
    const list = byRule.get(st.suppression.rule);
    if (list) list.push(st);
    else byRule.set(st.suppression.rule, [st]);
  }
  for (const f of findings) {
    const hits = (byRule.get(f.ruleId) ?? []).filter((st) => covers(st.suppression, f));
    for (const h of hits) h.matched++;
    const active = hits.find((h) => !h.expired);
    if (active) f.suppressed = active.suppression;
    else if (hits[0]) f.expiredSuppression = hits[0].suppression;
  }
  return status;
}
