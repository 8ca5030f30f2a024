/**
 * The one Go duration codec of the project, in nanoseconds (bigint, as Go's int64 time.Duration).
 *
 * Parsing follows Teleport's api/types/duration.go (types.Duration, used by max_session_ttl,
 * client_idle_timeout, request.max_duration, ...): Go's time.ParseDuration grammar
 * (`[-+]?([0-9]*(\.[0-9]*)?unit)+`, or a bare "0") plus the units d (24h), mo (30d) and y (365d), and the
 * word "never" for 0. Both its YAML and JSON unmarshalers take that form, so `tctl create` accepts "7d",
 * "1y" and "never". The 'go' dialect is Go's own time.ParseDuration (no d/mo/y, no "never"), as
 * go-toml and flag parsing in the Go plugins use.
 *
 * Formatting is Go's time.Duration.String(), which is how Teleport prints durations back
 * (`tctl get`, MarshalJSON/MarshalYAML): "30h0m0s", "1m30s", "1.5s", "250ms", "0s".
 */

export type DurationDialect = 'teleport' | 'go';

const NS = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const GO_UNITS: Readonly<Record<string, bigint>> = { ns: NS.ns, us: NS.us, 'µs': NS.us, 'μs': NS.us, ms: NS.ms, s: NS.s, m: NS.m, h: NS.h };
const TELEPORT_UNITS: Readonly<Record<string, bigint>> = { ...GO_UNITS, d: 24n * NS.h, mo: 30n * 24n * NS.h, y: 365n * 24n * NS.h };
const MAX_INT64 = (1n << 63n) - 1n;

/** constants.DurationNever in Teleport's api/constants. */
export const DURATION_NEVER = 'never';

export class DurationSyntaxError extends Error {
  constructor(readonly text: string, reason: string) {
    super(`${JSON.stringify(text)} is not a duration (${reason}): use Go syntax such as "8h", "1h30m" or "7d"`);
    this.name = 'DurationSyntaxError';
  }
}

/** Parses duration text into nanoseconds, exactly as Teleport (or Go) would; throws DurationSyntaxError. */
export function parseDuration(text: string, dialect: DurationDialect = 'teleport'): bigint {
  const units = dialect === 'teleport' ? TELEPORT_UNITS : GO_UNITS;
  if (dialect === 'teleport' && text === DURATION_NEVER) return 0n;
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new DurationSyntaxError(text, 'empty');
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const intPart = m[1] ?? '';
    const fracPart = m[2];
    if (intPart === '' && (fracPart === undefined || fracPart === '')) throw new DurationSyntaxError(text, 'expected a number');
    s = s.slice(m[0].length);
    const u = /^[^\d.]*/.exec(s)![0];
    if (u === '') throw new DurationSyntaxError(text, 'missing unit');
    const unit = units[u];
    if (unit === undefined) throw new DurationSyntaxError(text, `unknown unit ${JSON.stringify(u)}`);
    s = s.slice(u.length);
    let v = BigInt(intPart || '0');
    if (v > MAX_INT64 / unit) throw new DurationSyntaxError(text, 'overflows int64 nanoseconds');
    v *= unit;
    if (fracPart) {
      // Go: v += int64(float64(f) * (float64(unit) / scale)), with at most 18 significant fraction digits
      const digits = fracPart.slice(0, 18);
      v += BigInt(Math.trunc(Number(digits) * (Number(unit) / 10 ** digits.length)));
    }
    total += v;
    if (total > MAX_INT64) throw new DurationSyntaxError(text, 'overflows int64 nanoseconds');
  }
  return neg ? -total : total;
}

/** parseDuration that answers undefined instead of throwing. */
export function tryParseDuration(text: string, dialect: DurationDialect = 'teleport'): bigint | undefined {
  try {
    return parseDuration(text, dialect);
  } catch (err) {
    if (err instanceof DurationSyntaxError) return undefined;
    throw err;
  }
}

function fraction(value: bigint, scale: bigint, digits: number): string {
  const whole = value / scale;
  const rest = value % scale;
  if (rest === 0n) return whole.toString();
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Go's time.Duration.String(): how Teleport prints a duration back. */
export function formatDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  let out: string;
  if (u < NS.us) out = `${u}ns`;
  else if (u < NS.ms) out = `${fraction(u, NS.us, 3)}µs`;
  else if (u < NS.s) out = `${fraction(u, NS.ms, 6)}ms`;
  else {
    const h = u / NS.h;
    const m = (u % NS.h) / NS.m;
    const s = fraction(u % NS.m, NS.s, 9);
    out = h > 0n ? `${h}h${m}m${s}s` : m > 0n ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}

/** Milliseconds of a Teleport duration ("8h", "7d", "never" = 0); undefined when Teleport would reject it. */
export function parseDurationMs(text: string): number | undefined {
  const ns = tryParseDuration(text);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

/** Milliseconds to Go's String() form. */
export function formatDurationMs(ms: number): string {
  return formatDuration(BigInt(Math.round(ms * 1e6)));
}

/** Duration text as Teleport stores and prints it ("8h" -> "8h0m0s", "never" -> "0s"); other text is kept. */
export function canonicalDuration(text: string): string {
  const ns = tryParseDuration(text);
  return ns === undefined ? text : formatDuration(ns);
}
