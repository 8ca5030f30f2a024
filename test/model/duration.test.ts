// The one duration codec (model/duration.ts) against Teleport's api/types/duration.go and Go's time package.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalDuration, DurationSyntaxError, formatDuration, parseDuration, parseDurationMs, tryParseDuration } from '../../model';

const H = 3_600_000_000_000n;

describe('Teleport durations', () => {
  test('parses what types.Duration accepts: Go units plus d, mo, y and "never"', () => {
    const cases: [string, bigint][] = [
      ['8h', 8n * H],
      ['1h30m', 90n * 60_000_000_000n],
      ['4d', 96n * H],
      ['1y', 365n * 24n * H],
      ['1mo', 30n * 24n * H],
      ['never', 0n],
      ['0', 0n],
      ['-0', 0n],
      ['1.5h', 90n * 60_000_000_000n],
      ['.5s', 500_000_000n],
      ['300ms', 300_000_000n],
      ['2µs', 2_000n],
      ['-2m', -120_000_000_000n],
    ];
    for (const [text, ns] of cases) assert.equal(parseDuration(text), ns, text);
  });

  test('rejects what Teleport rejects, naming the text', () => {
    for (const bad of ['forever', '', '5', '5 minutes', '1hm', 'h', '.s', '8H', '9223372036854775808ns', '300000y']) {
      assert.throws(() => parseDuration(bad), (e: Error) => e instanceof DurationSyntaxError && e.message.includes(JSON.stringify(bad)), bad);
      assert.equal(tryParseDuration(bad), undefined, bad);
    }
  });

  test("Go's own dialect has no days and no never", () => {
    assert.equal(parseDuration('90m', 'go'), 90n * 60_000_000_000n);
    assert.equal(tryParseDuration('7d', 'go'), undefined);
    assert.equal(tryParseDuration('never', 'go'), undefined);
  });

  test("prints like Go's time.Duration.String(), as tctl get shows it", () => {
    const cases: [string, string][] = [
      ['30h', '30h0m0s'], ['90s', '1m30s'], ['1.5s', '1.5s'], ['250ms', '250ms'], ['1500us', '1.5ms'],
      ['7d', '168h0m0s'], ['1y', '8760h0m0s'], ['0', '0s'], ['never', '0s'], ['-2m', '-2m0s'], ['1h0m0.5s', '1h0m0.5s'], ['999ns', '999ns'],
    ];
    for (const [text, shown] of cases) assert.equal(formatDuration(parseDuration(text)), shown, text);
    assert.equal(canonicalDuration('4d'), '96h0m0s');
    assert.equal(canonicalDuration('not-a-duration'), 'not-a-duration');
    assert.equal(parseDurationMs('14d'), 14 * 24 * 3600 * 1000);
  });
});
