/**
 * Deterministic crash points for the fault suite (test/relay/faults/): when the environment variable
 * DUALAUTH_RELAY_FAULT names a point ("after-claim", or "after-claim@2" for its second passage), the
 * process kills itself with SIGKILL right there, as a real crash at that instant would: no cleanup, no
 * flushing. Unset (always, outside the suite) it costs one comparison.
 */
const spec = process.env.DUALAUTH_RELAY_FAULT ?? '';
const [point, nth] = spec.split('@');
let passes = 0;

export type FaultPoint = 'before-claim' | 'after-claim' | 'between-post-and-record' | 'during-review' | 'during-backfill';

export function faultPoint(name: FaultPoint): void {
  if (!spec || name !== point) return;
  passes++;
  if (passes < Number(nth ?? 1)) return;
  process.stderr.write(`dualauth relay: fault injection: SIGKILL at ${name}\n`);
  process.kill(process.pid, 'SIGKILL');
}
