import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GO_KEYS, casParams, decodePluginData, emptyPluginData, encodePluginData, goJson, type PluginData } from '../../relay/plugin-data';
import { goDecode, goEncode, goEmpty } from './go-plugin-model';

/** Plugin data exactly as the Go plugin stores it (what Teleport returns: empty values are absent keys). */
const GO_WRITTEN: Record<string, string> = {
  user: 'bob',
  roles: 'dbadmin,db-ro',
  resources: '["node/web-1","db/\\u003cprod\\u003e"]',
  request_reason: 'fix the <prod> db & "stuff"',
  reviews_count: '1',
  system_annotations: '{"pagerduty_services":["db \\u0026 infra"],"a":["1"]}',
  messages: 'ch1aaaaaaaaaaaaaaaaaaaaaaa/post1aaaaaaaaaaaaaaaaaaaa,ch2aaaaaaaaaaaaaaaaaaaaaaa/post2aaaaaaaaaaaaaaaaaaaa',
};

function ourStored(d: PluginData): Record<string, string> {
  // What Teleport keeps after our UpdatePluginData: empty values are deletions.
  return Object.fromEntries(Object.entries(encodePluginData(d)).filter(([, v]) => v !== ''));
}

describe('plugin data: the Go plugin keys and encoding', () => {
  it('reads what the Go plugin wrote', () => {
    const { data, problems } = decodePluginData(GO_WRITTEN);
    assert.deepEqual(problems, []);
    assert.equal(data.user, 'bob');
    assert.deepEqual(data.roles, ['dbadmin', 'db-ro']);
    assert.deepEqual(data.resources, ['node/web-1', 'db/<prod>']);
    assert.equal(data.requestReason, 'fix the <prod> db & "stuff"');
    assert.equal(data.reviewsCount, 1);
    assert.equal(data.resolution, '');
    assert.deepEqual(data.systemAnnotations, { pagerduty_services: ['db & infra'], a: ['1'] });
    assert.deepEqual(data.messages, [
      { channelId: 'ch1aaaaaaaaaaaaaaaaaaaaaaa', postId: 'post1aaaaaaaaaaaaaaaaaaaa' },
      { channelId: 'ch2aaaaaaaaaaaaaaaaaaaaaaa', postId: 'post2aaaaaaaaaaaaaaaaaaaa' },
    ]);
    assert.equal(data.claim, undefined);
  });

  it('reads the legacy single-message keys channel_id + timestamp', () => {
    const { data } = decodePluginData({ user: 'bob', channel_id: 'c', timestamp: 'p' });
    assert.deepEqual(data.messages, [{ channelId: 'c', postId: 'p' }]);
  });

  it('encodes JSON as Go does: keys sorted, <, > and & escaped', () => {
    assert.equal(goJson({ b: ['<x>'], a: ['a&b'] }), '{"a":["a\\u0026b"],"b":["\\u003cx\\u003e"]}');
    assert.equal(goJson(['line\u2028sep']), '["line\\u2028sep"]');
  });

  it('writes data the Go plugin decodes to the same values and re-encodes byte for byte (its CAS expectation matches)', () => {
    const d: PluginData = {
      ...emptyPluginData(),
      user: 'bob',
      roles: ['dbadmin', 'db-ro'],
      requestReason: 'line 1\nline <2> & "3"',
      reviewsCount: 2,
      resolution: 'APPROVED',
      resolveReason: 'ok',
      resources: ['db/<prod>'],
      suggestedReviewers: ['alice@example.com'],
      systemAnnotations: { z: ['1'], a: ['x&y'] },
      maxDuration: '2030-01-02T03:04:05.678Z',
      messages: [{ channelId: 'c1', postId: 'p1' }, { channelId: 'c2', postId: 'p2' }],
    };
    const stored = ourStored(d);
    const go = goDecode(stored);
    assert.equal(go.User, 'bob');
    assert.deepEqual(go.Roles, ['dbadmin', 'db-ro']);
    assert.equal(go.ReviewsCount, 2);
    assert.equal(go.ResolutionTag, 'APPROVED');
    assert.deepEqual(go.SentMessages, [{ ChannelID: 'c1', MessageID: 'p1' }, { ChannelID: 'c2', MessageID: 'p2' }]);
    assert.equal(stored.max_duration, '2030-01-02T03:04:05Z');
    // Go's Update expects encode(decode(current)) on every key it writes: each must equal what is stored.
    const expect = goEncode(go);
    for (const [k, v] of Object.entries(expect)) assert.equal(stored[k] ?? '', v, `key ${k}`);
  });

  it('our keys are a superset of the Go keys, and the relay-only keys are gone once announced', () => {
    const goKeys = Object.keys(goEncode({ ...goEmpty(), MaxDuration: '2030-01-01T00:00:00Z', SystemAnnotations: { a: ['b'] }, SuggestedReviewers: ['x'], LoginsByRole: { r: ['l'] } }));
    for (const k of goKeys) assert.ok((GO_KEYS as readonly string[]).includes(k), `Go key ${k} missing`);
    const announced = ourStored({ ...emptyPluginData(), user: 'bob', roles: ['r'], messages: [{ channelId: 'c', postId: 'p' }] });
    assert.deepEqual(Object.keys(announced).sort(), ['messages', 'roles', 'user']);
    const claiming = ourStored({ ...emptyPluginData(), user: 'bob', roles: ['r'], claim: { owner: 'relay-1', until: 1234 }, targets: ['c1', 'c2'] });
    assert.equal(claiming.relay_claim, 'relay-1 1234');
    assert.equal(claiming.relay_targets, '["c1","c2"]');
    assert.deepEqual(decodePluginData(claiming).data.claim, { owner: 'relay-1', until: 1234 });
  });

  it('creating expects every key absent, like the Go plugin; updating expects the current values', () => {
    const d: PluginData = { ...emptyPluginData(), user: 'bob', roles: ['r'] };
    const create = casParams(undefined, d);
    assert.ok(Object.values(create.expect).every((v) => v === ''));
    for (const k of Object.keys(goEncode(goEmpty()))) assert.equal(create.expect[k], '', `create must expect ${k} absent`);
    const current = { ...ourStored(d), legacy_key: 'x' };
    const update = casParams(current, { ...d, reviewsCount: 1 });
    assert.equal(update.set.reviews_count, '1');
    assert.equal(update.expect.reviews_count, '');
    assert.equal(update.expect.user, 'bob');
    assert.equal(update.expect.legacy_key, 'x', 'keys we do not manage are pinned too');
  });

  it('reports values the Go decoder would reject instead of failing', () => {
    const { data, problems } = decodePluginData({ user: 'bob', resources: 'node/a,node/b' });
    assert.deepEqual(problems, ['resources is not valid JSON']);
    assert.deepEqual(data.resources, []);
  });
});
