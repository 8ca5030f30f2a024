import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, parseSeverity } from '../../relay/log';
import { MattermostGate } from '../../mattermost-client/rate-limit-gate';

describe('relay logs', () => {
  it('writes JSON lines at or above the configured severity', () => {
    const lines: string[] = [];
    const log = createLogger({ severity: 'warn', output: (l) => lines.push(l) });
    log.info('hidden');
    log.warn('shown', { request_id: 'r1' });
    log.child({ component: 'engine' }).error('also shown');
    assert.equal(lines.length, 2);
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(a.level, 'warn');
    assert.equal(a.msg, 'shown');
    assert.equal(a.request_id, 'r1');
    assert.equal(b.component, 'engine');
    assert.ok(!Number.isNaN(Date.parse(String(a.time))));
  });

  it('never writes secrets: secret-looking fields and registered values are redacted, in errors too', () => {
    const lines: string[] = [];
    const token = 'xoxb-9d8f7g6h5j4k3l2m1n';
    const log = createLogger({ severity: 'debug', output: (l) => lines.push(l), secrets: [token] });
    log.info(`calling with ${token}`, { token: 'abc', private_key: '-----BEGIN', nested: { authorization: `Bearer ${token}` }, error: new Error(`401 for token=${token}`) });
    const text = lines.join('\n');
    assert.ok(!text.includes(token));
    assert.ok(!text.includes('-----BEGIN'));
    const line = JSON.parse(lines[0]) as { msg: string; token: string; nested: { authorization: string }; error: { message: string } };
    assert.equal(line.token, '[REDACTED]');
    assert.equal(line.nested.authorization, '[REDACTED]');
    assert.equal(line.error.message, '401 for token=[REDACTED]');
    assert.equal(line.msg, 'calling with [REDACTED]');
  });

  it("accepts Teleport's severity names", () => {
    assert.equal(parseSeverity('ERR'), 'error');
    assert.equal(parseSeverity('warning'), 'warn');
    assert.equal(parseSeverity('trace'), undefined);
  });
});

describe('Mattermost rate-limit gate', () => {
  it('after a 429 holds every request for Retry-After, then paces below what got through', async () => {
    let now = 0;
    const gate = new MattermostGate({ maxInFlight: 4, now: () => now });
    const ok = () => Promise.resolve(new Response('{}', { status: 201 }));
    for (let i = 0; i < 10; i++) await gate.send(ok);
    await gate.send(() => Promise.resolve(new Response('limit exceeded', { status: 429, headers: { 'Retry-After': '2' } })));
    assert.ok(gate.paused);
    assert.ok(gate.pace < 10, `pace ${gate.pace}`);
    now += 2000;
    assert.ok(!gate.paused);
    await gate.send(ok);
    assert.ok(gate.pace > 1);
  });
});
