// The plugin TOML: golden output, TOML escaping checked by parsing with smol-toml, and the combinations
// Teleport's plugin refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseToml } from 'smol-toml';
import { PluginTomlConfig, renderPluginToml, tomlString } from '../../constructs/plugin-config';
import { expectGolden } from './helpers';

/** smol-toml returns null-prototype objects; compare plain ones. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parse = (text: string): any => JSON.parse(JSON.stringify(parseToml(text)));

const FULL: PluginTomlConfig = {
  teleport: { addr: 'teleport.example.com:443', identity: '/var/lib/teleport/plugins/mattermost/teleport-identity/identity' },
  mattermost: { url: 'https://mattermost.example.com', token: '/var/lib/teleport/plugins/mattermost/mattermost-token/mattermostToken' },
  roleToRecipients: { dbadmin: ['alice@example.com', 'ivan@example.com'], '*': ['myteam/access-requests'], auditor: ['@carol'] },
  log: { output: 'stdout', severity: 'debug' },
};

test('renders every section like the golden file, and parses back to the same values', () => {
  const toml = renderPluginToml(FULL);
  expectGolden('teleport-mattermost.golden.toml', toml);
  assert.deepEqual(parse(toml), {
    teleport: { addr: 'teleport.example.com:443', identity: FULL.teleport.identity, refresh_identity: true },
    mattermost: { url: 'https://mattermost.example.com', token: FULL.mattermost.token },
    role_to_recipients: { '*': ['myteam/access-requests'], auditor: ['@carol'], dbadmin: ['alice@example.com', 'ivan@example.com'] },
    log: { output: 'stdout', severity: 'debug' },
  });
  // "*" first, then by role name: stable output whatever the order of the props
  assert.ok(toml.indexOf('"*" =') < toml.indexOf('"auditor" =') && toml.indexOf('"auditor" =') < toml.indexOf('"dbadmin" ='));
});

const NASTY = [
  'plain',
  'say "hi"',
  'back\\slash\\',
  'new\nline',
  'crlf\r\nend',
  'tab\there',
  'controls \u0000\u0001\u0008\u000b\u000c\u001f\u007f',
  'unicode é ü 日本 😀',
  '"""triple"""',
  "'''single'''",
  '\\u0041 not an escape',
  '${not.terraform} %{nor} #not a comment',
  '[table] = "x"',
  '',
];

test('values with quotes, backslashes, newlines and control characters round-trip through TOML', () => {
  for (const v of NASTY) {
    const config: PluginTomlConfig = {
      teleport: { addr: v, identity: `/id/${v}` },
      mattermost: { url: v, token: `/tok/${v}`, recipients: [v, `${v}2`] },
      roleToRecipients: { [v]: [v], [`k.${v}`]: [v] },
      log: { output: v, severity: v },
    };
    const parsed = parse(renderPluginToml(config)) as Record<string, Record<string, unknown>>;
    assert.equal(parsed.teleport?.addr, v, JSON.stringify(v));
    assert.equal(parsed.teleport?.identity, `/id/${v}`);
    assert.equal(parsed.mattermost?.url, v);
    assert.equal(parsed.mattermost?.token, `/tok/${v}`);
    assert.deepEqual(parsed.mattermost?.recipients, [v, `${v}2`]);
    assert.deepEqual(parsed.role_to_recipients, { [v]: [v], [`k.${v}`]: [v] });
    assert.equal(parsed.log?.output, v);
    assert.equal(parsed.log?.severity, v);
    assert.equal(parse(`x = ${tomlString(v)}`).x, v);
  }
});

test('recipients and [role_to_recipients] appear only when given; log defaults to the plugin defaults', () => {
  const toml = renderPluginToml({ teleport: { addr: 'a:3025', identity: '/i' }, mattermost: { url: 'https://m', token: '/t' } });
  assert.doesNotMatch(toml, /recipients/);
  assert.deepEqual(parse(toml).log, { output: 'stderr', severity: 'info' });
  const withList = parse(renderPluginToml({ teleport: { addr: 'a:3025', identity: '/i' }, mattermost: { url: 'https://m', token: '/t', recipients: ['myteam/town-square'] } }));
  assert.deepEqual((withList.mattermost as Record<string, unknown>).recipients, ['myteam/town-square']);
  assert.doesNotMatch(toml, /\[relay\]/);
  const relay = parse(renderPluginToml({ teleport: { addr: 'a:3025', identity: '/i' }, mattermost: { url: 'https://m', token: '/t' }, relay: { listenAddr: '0.0.0.0:8080' } }));
  assert.deepEqual(relay.relay, { listen_addr: '0.0.0.0:8080' });
});

test('TLS key-pair credentials render client_key/client_crt/root_cas without refresh_identity', () => {
  const parsed = parse(renderPluginToml({ teleport: { addr: 'a:3025', clientKey: '/c/auth.key', clientCrt: '/c/auth.crt', rootCas: '/c/auth.cas' }, mattermost: { url: 'https://m', token: '/t' } }));
  assert.deepEqual(parsed.teleport, { addr: 'a:3025', client_key: '/c/auth.key', client_crt: '/c/auth.crt', root_cas: '/c/auth.cas' });
});

test('refuses a literal token and credential mixes Teleport rejects', () => {
  const base = { teleport: { addr: 'a:3025', identity: '/i' }, mattermost: { url: 'https://m', token: '/t' } };
  assert.throws(() => renderPluginToml({ ...base, mattermost: { url: 'https://m', token: 'xoxb-literal-token' } }), /mattermost\.token must be the path of a file .* never the token itself/);
  assert.throws(() => renderPluginToml({ ...base, teleport: { addr: 'a', identity: '/i', clientKey: '/k', clientCrt: '/c', rootCas: '/r' } }), /identity cannot be combined/);
  assert.throws(() => renderPluginToml({ ...base, teleport: { addr: 'a', clientKey: '/k' } }), /all three of clientKey, clientCrt and rootCas/);
  assert.throws(() => tomlString('lone \ud800 surrogate'), /lone UTF-16 surrogate/);
});
