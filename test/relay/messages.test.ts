import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../relay/config/errors';
import { Messages, humanDuration, progressText, webUrl, type RequestSnapshot } from '../../relay/messages';
import { block, code, inline } from '../../relay/neutralise';

const ZWSP = '\u200b';

/** A mention the Mattermost server would act on: @word not preceded by a word character (raw text). */
function mentions(text: string): string[] {
  return [...text.matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}][\p{L}\p{N}._:-]*)/gu)].map((m) => m[1]);
}

/** Markdown links, images and autolinks that would render as such (an unescaped bracket or paren pair, <url>, scheme://). */
function liveLinks(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<!\\)!?\[[^\]]*(?<!\\)\]\((?!\\)[^)]*\)/g)) out.push(m[0]);
  for (const m of text.matchAll(/(?<!\\)<[a-z]+:\/\/[^>]*>/gi)) out.push(m[0]);
  for (const m of text.matchAll(/\b(https?|ftp):\/\/\S+/gi)) out.push(m[0]);
  for (const m of text.matchAll(/\bwww\.\S+/gi)) out.push(m[0]);
  return out;
}

/** The text outside fenced code blocks (asserting the fences open and close in pairs). */
function outsideFences(text: string): string {
  const lines = text.split('\n');
  const fences = lines.filter((l) => /^```/.test(l)).length;
  assert.equal(fences % 2, 0, 'fences come in pairs');
  let inside = false;
  return lines
    .filter((l) => {
      if (/^```/.test(l)) {
        inside = !inside;
        return false;
      }
      return !inside;
    })
    .join('\n');
}

const snapshot = (over: Partial<RequestSnapshot> = {}): RequestSnapshot => ({
  id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  user: 'bob',
  roles: ['dbadmin'],
  reason: 'rotate the prod password',
  resources: [],
  created: '2030-01-01T00:00:00Z',
  maxDuration: '2030-01-01T08:00:00Z',
  thresholds: [{ approve: 2, deny: 1 }],
  reviews: [],
  systemAnnotations: {},
  ...over,
});

describe('neutralising untrusted text', () => {
  const attacks = [
    '@channel please look',
    'ping @all and @here now',
    'hey @alice',
    '[click me](https://evil.example/steal)',
    '![pixel](https://evil.example/p.png)',
    '<https://evil.example>',
    'visit https://evil.example or www.evil.example',
    'line one\n**Status**: ✅ APPROVED',
    '```\n@channel\n```\n[x](https://evil.example)',
  ];

  for (const attack of attacks) {
    it(`inline: ${JSON.stringify(attack)}`, () => {
      const out = inline(attack);
      assert.deepEqual(mentions(out), [], out);
      assert.deepEqual(liveLinks(out), [], out);
      assert.ok(!out.includes('\n'), 'an inline value stays on one line');
    });
    it(`block: ${JSON.stringify(attack)}`, () => {
      const out = block(attack);
      assert.deepEqual(mentions(out), [], out);
      assert.ok(out.startsWith('```\n') && out.endsWith('\n```'));
      // The fence can only be closed by the last line: no line inside is a bare ``` fence.
      const inner = out.split('\n').slice(1, -1);
      assert.ok(inner.every((l) => !/^\s*```/.test(l)), out);
    });
  }

  it('keeps ordinary names readable', () => {
    assert.equal(inline('dbadmin'), 'dbadmin');
    assert.equal(inline('alice@example.com'), `alice@${ZWSP}example\\.com`);
    assert.equal(code('3fa85f64-5717'), '`3fa85f64-5717`');
  });

  it('drops control and bidi-override characters and truncates long text', () => {
    assert.equal(inline('ev\u202eil\u0007'), 'evil');
    const long = block('x'.repeat(600));
    assert.ok(long.includes(' (truncated)'));
    assert.equal(Array.from(inline('y'.repeat(300), 200)).length, 201);
  });

  it('keeps backticks from closing a code span', () => {
    assert.equal(code('a`b'), '`aˋb`');
  });
});

describe('message templates', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('renders the root post with id, user, roles, reason, duration, status and progress', () => {
    const text = new Messages().root(snapshot({ reviews: [{ author: 'alice', state: 'APPROVED', threshold_indexes: [0] }] }), 'PENDING');
    assert.match(text, /^\*You have a new access request to review\.\*/);
    assert.match(text, /\*\*User\*\*: bob/);
    assert.match(text, /\*\*Roles\*\*: dbadmin/);
    assert.match(text, /\*\*Request ID\*\*: `3fa85f64-5717-4562-b3fc-2c963f66afa6`/);
    assert.match(text, /\*\*Reason\*\*:\n```\nrotate the prod password\n```/);
    assert.match(text, /\*\*Duration\*\*: 8h \(until 2030-01-01 08:00 UTC\)/);
    assert.match(text, /\*\*Status\*\*: ⏳ PENDING · 1 of 2 approvals/);
    assert.match(text, /`tsh request review --approve 3fa85f64-5717-4562-b3fc-2c963f66afa6`/);
  });

  it('links to the Web UI when the cluster has one, instead of tsh commands', () => {
    const text = new Messages({ webProxyAddr: 'teleport.example.com:443' }).root(snapshot(), 'PENDING');
    assert.match(text, /\*\*Link\*\*: \[https:\/\/teleport\.example\.com\/web\/requests\/3fa85f64-5717-4562-b3fc-2c963f66afa6\]\(https:\/\/teleport\.example\.com\/web\/requests\/3fa85f64/);
    assert.doesNotMatch(text, /tsh request review/);
    assert.equal(webUrl('proxy.example.com:3080'), 'https://proxy.example.com:3080');
  });

  it('shows the outcome and resolve reason once resolved, without the review commands', () => {
    const text = new Messages().root(snapshot(), 'DENIED', 'not during the freeze @here');
    assert.match(text, /\*\*Status\*\*: ❌ DENIED/);
    assert.match(text, /\*\*Resolution reason\*\*:\n```\nnot during the freeze @\u200bhere\n```/);
    assert.doesNotMatch(text, /You have a new access request|tsh request/);
    assert.match(new Messages().root(snapshot(), 'EXPIRED'), /⌛ EXPIRED/);
  });

  it('untrusted request text cannot mention, link or break out of the template', () => {
    const evil = snapshot({
      user: '@channel',
      roles: ['[admin](https://evil.example)'],
      reason: '```\n@all\n```\n**Status**: ✅ APPROVED\n![x](https://evil.example/x.png)',
      resources: ['node/<https://evil.example>'],
      systemAnnotations: { '@here': ['www.evil.example'] },
    });
    const text = new Messages().root(evil, 'PENDING');
    assert.deepEqual(mentions(text), []);
    // Inside a fenced block nothing renders; outside of it there must be no live link.
    assert.deepEqual(liveLinks(outsideFences(text)), []);
    assert.equal(outsideFences(text).match(/^\*\*Status\*\*/gm)?.length, 1, 'exactly one status line outside code');
    assert.match(text, /\*\*Status\*\*: ⏳ PENDING/);
    const reply = new Messages().review(evil, { author: '@all', state: 'DENIED', reason: 'see [here](https://evil.example)', threshold_indexes: [0] });
    assert.deepEqual(mentions(reply), []);
    assert.deepEqual(liveLinks(outsideFences(reply)), []);
  });

  it('threshold progress counts approvals and denials per threshold', () => {
    assert.equal(progressText([{ approve: 2, deny: 1 }], []), '0 of 2 approvals');
    assert.equal(progressText([{ approve: 2, deny: 2 }], [{ author: 'a', state: 'APPROVED', threshold_indexes: [0] }, { author: 'b', state: 'DENIED', threshold_indexes: [0] }]), '1 of 2 approvals, 1 of 2 denials');
    assert.equal(
      progressText([{ name: 'ops', approve: 1, deny: 1 }, { name: 'sec', approve: 2, deny: 1 }], [{ author: 'a', state: 'APPROVED', threshold_indexes: [0, 1] }]),
      'ops: 1 of 1 approval; sec: 1 of 2 approvals',
    );
    assert.equal(humanDuration(26 * 3600_000 + 30 * 60_000), '1d 2h 30m');
  });

  it('uses override templates from templates_dir, falling back per file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-tpl-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'root.hbs'), 'REQ {{id}} by {{user}}: {{status}} {{progress}}\n{{{reason}}}');
    const m = new Messages({ templatesDir: dir });
    const text = m.root(snapshot({ user: '@here' }), 'PENDING');
    assert.equal(text, `REQ \`3fa85f64-5717-4562-b3fc-2c963f66afa6\` by @${ZWSP}here: PENDING 0 of 2 approvals\n\`\`\`\nrotate the prod password\n\`\`\``);
    assert.match(m.review(snapshot(), { author: 'alice', state: 'APPROVED', threshold_indexes: [0] }), /^alice reviewed the request at/);
  });

  it('rejects a template that does not compile, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-tpl-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'review.hbs'), '{{#if author}}unclosed');
    assert.throws(() => new Messages({ templatesDir: dir }), (e: unknown) => e instanceof ConfigError && /relay\.templates_dir .*review\.hbs/.test(e.message));
    assert.throws(() => new Messages({ templatesDir: join(dir, 'missing') }), (e: unknown) => e instanceof ConfigError && e.key === 'relay.templates_dir');
  });
});
