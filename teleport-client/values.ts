/**
 * Wire encodings of Teleport's scalar-ish values as they appear in our proto objects:
 * Go durations (int64 nanoseconds, or google.protobuf.Duration), timestamps (with Go's zero time
 * meaning "unset"), and wrappers.LabelValues maps.
 */
import { formatDuration, parseDuration } from '../model/duration';

export interface PbTimestamp {
  seconds: string | number;
  nanos: number;
}

export interface PbDuration {
  seconds: string | number;
  nanos: number;
}

export interface PbLabelValues {
  Values: Record<string, { Values: string[] }>;
}

/** Go's zero time.Time (0001-01-01T00:00:00Z), which non-nullable stdtime fields carry when unset. */
export const GO_ZERO_TIME_SECONDS = -62135596800;

// ---------------------------------------------------------------------------------------------
// Timestamps

/** RFC 3339 text of a timestamp; undefined for absent or Go-zero timestamps. */
export function timestampToIso(ts: PbTimestamp | null | undefined): string | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds);
  if (!Number.isFinite(seconds) || seconds <= GO_ZERO_TIME_SECONDS) return undefined;
  const ms = seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A timestamp for RFC 3339 text. Throws on text Date cannot parse. */
export function isoToTimestamp(iso: string): PbTimestamp {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`not an RFC 3339 time: ${JSON.stringify(iso)}`);
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

/** What a Go server sends for an unset non-nullable timestamp. */
export function goZeroTimestamp(): PbTimestamp {
  return { seconds: String(GO_ZERO_TIME_SECONDS), nanos: 0 };
}

// ---------------------------------------------------------------------------------------------
// Durations: the model's codec (model/duration.ts), as int64 nanoseconds or google.protobuf.Duration

/** int64 nanoseconds as decoded (string with longs: String) to Go duration text; undefined for 0. */
export function nanosToDuration(v: string | number | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  const ns = BigInt(v);
  return ns === 0n ? undefined : formatDuration(ns);
}

/** Go duration text to int64 nanoseconds as a decimal string (proto-loader accepts strings). */
export function durationToNanos(text: string): string {
  return parseDuration(text).toString();
}

export function pbDurationToText(d: PbDuration | null | undefined): string | undefined {
  if (!d) return undefined;
  const ns = BigInt(d.seconds) * 1_000_000_000n + BigInt(d.nanos ?? 0);
  return ns === 0n ? undefined : formatDuration(ns);
}

export function textToPbDuration(text: string): PbDuration {
  const ns = parseDuration(text);
  return { seconds: (ns / 1_000_000_000n).toString(), nanos: Number(ns % 1_000_000_000n) };
}

// ---------------------------------------------------------------------------------------------
// Label maps

/** YAML label matchers ({env: 'prod'} or {env: ['a','b']}) to a LabelValues message. */
export function labelsToPb(labels: Record<string, string | string[]> | undefined): PbLabelValues | undefined {
  if (!labels) return undefined;
  const Values: PbLabelValues['Values'] = {};
  for (const [k, v] of Object.entries(labels)) Values[k] = { Values: Array.isArray(v) ? [...v] : [v] };
  return { Values };
}

/**
 * LabelValues to YAML label matchers. A single value is written as a plain string, as Teleport's
 * utils.Strings marshals it (`'*': '*'`); several values as a list. Empty maps give undefined.
 */
export function pbToLabels(pb: PbLabelValues | null | undefined): Record<string, string | string[]> | undefined {
  const entries = Object.entries(pb?.Values ?? {});
  if (entries.length === 0) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of entries) {
    const values = v?.Values ?? [];
    out[k] = values.length === 1 ? values[0] : [...values];
  }
  return out;
}

/** Traits / annotations (always lists) to LabelValues. */
export function traitsToPb(traits: Record<string, string[]> | undefined): PbLabelValues | undefined {
  return traits ? labelsToPb(traits) : undefined;
}

export function pbToTraits(pb: PbLabelValues | null | undefined): Record<string, string[]> | undefined {
  const entries = Object.entries(pb?.Values ?? {});
  if (entries.length === 0) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of entries) out[k] = [...(v?.Values ?? [])];
  return out;
}
