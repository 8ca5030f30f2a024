import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { renderPluginToml } from '../../constructs/plugin-config';
import { loadTeleportCredentials } from '../../relay/config/credentials';
import { ConfigError, ConfigErrors } from '../../relay/config/errors';
import { parseRelayConfig } from '../../relay/config/load';
import { startTeleportSimulator, type TeleportSimulator } from '../../simulators/teleport';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz';

function errorsOf(fn: () => unknown): ConfigError[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigErrors, `expected ConfigErrors, got ${String(e)}`);
    return e.errors;
  }
  assert.fail('expected the config to be rejected');
}

const base = (over: { teleport?: string; mattermost?: string; rest?: string } = {}) => `
[teleport]
${over.teleport ?? 'addr = "auth.example.com:3025"\nidentity = "/var/lib/teleport/plugins/mattermost/auth_id"'}

[mattermost]
${over.mattermost ?? `url = "https://mattermost.example.com"\ntoken = "${TOKEN}"`}
${over.rest ?? ''}
`;

describe('relay config: the Go plugin format, defaults and checks', () => {
  let dir: string;
  let sim: TeleportSimulator;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-config-'));
    sim = await startTeleportSimulator();
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the Go defaults: stderr/info logs, 1m identity refresh, localhost:3025', () => {
    const { config } = parseRelayConfig(base({ teleport: 'identity = "/id"' }), { env: {} });
    assert.equal(config.teleport.addr, 'localhost:3025');
    assert.equal(config.teleport.addrFrom, 'default');
    assert.equal(config.teleport.refreshIdentity, false);
    assert.equal(config.teleport.refreshIdentityIntervalMs, 60_000);
    assert.deepEqual(config.log, { output: 'stderr', severity: 'info' });
    assert.equal(config.failFast, false);
    assert.equal(config.relay.listenAddr, '0.0.0.0:8080');
  });

  it('reads auth_server as the deprecated alias of addr, with a warning; addr wins when both are set', () => {
    const a = parseRelayConfig(base({ teleport: 'auth_server = "old.example.com:3025"\nidentity = "/id"' }), { env: {} });
    assert.equal(a.config.teleport.addr, 'old.example.com:3025');
    assert.equal(a.config.teleport.addrFrom, 'auth_server');
    assert.ok(a.warnings.some((w) => /auth_server is deprecated/.test(w)));
    const b = parseRelayConfig(base({ teleport: 'addr = "new.example.com:443"\nauth_server = "old.example.com:3025"\nidentity = "/id"' }), { env: {} });
    assert.equal(b.config.teleport.addr, 'new.example.com:443');
  });

  it('parses refresh_identity_interval as a Go duration or integer nanoseconds', () => {
    const t = (v: string) => parseRelayConfig(base({ teleport: `identity = "/id"\nrefresh_identity = true\nrefresh_identity_interval = ${v}` }), { env: {} }).config.teleport.refreshIdentityIntervalMs;
    assert.equal(t('"30s"'), 30_000);
    assert.equal(t('"1m30s"'), 90_000);
    assert.equal(t('5000000000'), 5_000);
    const errs = errorsOf(() => parseRelayConfig(base({ teleport: 'identity = "/id"\nrefresh_identity_interval = "soon"' }), { env: {} }));
    assert.equal(errs[0].key, 'teleport.refresh_identity_interval');
  });

  it('a non-empty mattermost.recipients replaces [role_to_recipients] with {"*": recipients}', () => {
    const { config, warnings } = parseRelayConfig(
      base({ mattermost: `url = "https://mm.example.com"\ntoken = "${TOKEN}"\nrecipients = ["team/ch", "a@example.com"]`, rest: '[role_to_recipients]\ndbadmin = "x@example.com"' }),
      { env: {} },
    );
    assert.deepEqual(config.roleToRecipients, { '*': ['team/ch', 'a@example.com'] });
    assert.equal(config.recipientKeys['*'], 'mattermost.recipients');
    assert.ok(warnings.some((w) => /role_to_recipients\] is ignored/.test(w)));
  });

  it('accepts a string or an array per role in [role_to_recipients], and rejects other types naming the role', () => {
    const { config } = parseRelayConfig(base({ rest: '[role_to_recipients]\n"*" = "team/ch"\ndbadmin = ["a@example.com", "b@example.com"]' }), { env: {} });
    assert.deepEqual(config.roleToRecipients, { '*': ['team/ch'], dbadmin: ['a@example.com', 'b@example.com'] });
    const errs = errorsOf(() => parseRelayConfig(base({ rest: '[role_to_recipients]\ndbadmin = 3' }), { env: {} }));
    assert.equal(errs[0].key, 'role_to_recipients.dbadmin');
  });

  it('reads the token from a file when it starts with "/", trimmed, and never shows it', () => {
    const file = join(dir, 'token');
    writeFileSync(file, `  ${TOKEN}\n`);
    const { config } = parseRelayConfig(base({ mattermost: `url = "https://mm.example.com"\ntoken = "${file}"` }), { env: {} });
    assert.equal(config.mattermost.token.reveal(), TOKEN);
    assert.equal(config.mattermost.tokenFile, file);
    assert.ok(!JSON.stringify(config).includes(TOKEN), 'JSON of the config must not contain the token');
    assert.ok(!inspect(config, { depth: 10 }).includes(TOKEN), 'inspect() of the config must not contain the token');
    const errs = errorsOf(() => parseRelayConfig(base({ mattermost: `url = "https://mm.example.com"\ntoken = "${join(dir, 'missing')}"` }), { env: {} }));
    assert.equal(errs[0].key, 'mattermost.token');
    assert.match(errs[0].message, /cannot read the token file .*missing \(ENOENT\)/);
  });

  it('accepts Teleport severities case-insensitively and rejects others naming log.severity', () => {
    for (const [text, sev] of [['INFO', 'info'], ['err', 'error'], ['Warning', 'warn'], ['DEBUG', 'debug']] as const) {
      assert.equal(parseRelayConfig(base({ rest: `[log]\nseverity = "${text}"` }), { env: {} }).config.log.severity, sev);
    }
    const errs = errorsOf(() => parseRelayConfig(base({ rest: '[log]\nseverity = "loud"' }), { env: {} }));
    assert.equal(errs[0].key, 'log.severity');
  });

  it('reads fail-fast from TELEPORT_PLUGIN_FAIL_FAST as Go parses booleans', () => {
    assert.equal(parseRelayConfig(base(), { env: { TELEPORT_PLUGIN_FAIL_FAST: 'true' } }).config.failFast, true);
    assert.equal(parseRelayConfig(base(), { env: { TELEPORT_PLUGIN_FAIL_FAST: '0' } }).config.failFast, false);
    assert.equal(errorsOf(() => parseRelayConfig(base(), { env: { TELEPORT_PLUGIN_FAIL_FAST: 'yes please' } }))[0].key, 'TELEPORT_PLUGIN_FAIL_FAST');
  });

  it('keepalive of the Teleport channel: Teleport\'s keep_alive_interval by default, Go durations, at least 1s', () => {
    const d = parseRelayConfig(base(), { env: {} }).config.relay;
    assert.equal(d.keepaliveIntervalMs, 300_000);
    assert.equal(d.keepaliveTimeoutMs, 20_000);
    const c = parseRelayConfig(base({ rest: '[relay]\nkeepalive_interval = "30s"\nkeepalive_timeout = "5s"' }), { env: {} }).config.relay;
    assert.deepEqual([c.keepaliveIntervalMs, c.keepaliveTimeoutMs], [30_000, 5_000]);
    const errs = errorsOf(() => parseRelayConfig(base({ rest: '[relay]\nkeepalive_interval = "10ms"\nkeepalive_timeout = "soon"' }), { env: {} }));
    assert.deepEqual(errs.map((e) => e.key).sort(), ['relay.keepalive_interval', 'relay.keepalive_timeout']);
  });

  it('the instance id is stable across restarts (the host name), unless set', () => {
    const a = parseRelayConfig(base(), { env: {} }).config.relay.instanceId;
    assert.equal(a, parseRelayConfig(base(), { env: {} }).config.relay.instanceId);
    assert.equal(parseRelayConfig(base({ rest: '[relay]\ninstance_id = "pod-0"' }), { env: {} }).config.relay.instanceId, 'pod-0');
  });

  it('warns about unknown keys (typos) but accepts them, as the Go plugin does', () => {
    const { warnings } = parseRelayConfig(base({ rest: '[log]\nseverty = "info"' }), { env: {} });
    assert.ok(warnings.includes('unknown key log.severty is ignored (did you mean "severity"?)'), warnings.join('\n'));
  });

  describe('bad configs: a clear error naming the key', () => {
    const cases: [string, string, string, RegExp][] = [
      ['no credentials in [teleport]', base({ teleport: 'addr = "a.example.com:3025"' }), 'teleport', /no credentials configured/],
      ['Mattermost URL without scheme', base({ mattermost: `url = "mattermost.example.com"\ntoken = "${TOKEN}"` }), 'mattermost.url', /must start with https:\/\/.*e\.g\. "https:\/\/mattermost\.example\.com"/],
      ['missing Mattermost URL', base({ mattermost: `token = "${TOKEN}"` }), 'mattermost.url', /is required/],
      ['missing token', base({ mattermost: 'url = "https://mm.example.com"' }), 'mattermost.token', /is required/],
      ['a partial TLS set', base({ teleport: 'client_key = "/k"\nclient_crt = "/c"' }), 'teleport.root_cas', /client_crt, teleport\.client_key are set but teleport\.root_cas is missing/],
      ['identity together with TLS files', base({ teleport: 'identity = "/id"\nclient_key = "/k"\nclient_crt = "/c"\nroot_cas = "/r"' }), 'teleport.identity', /cannot be combined/],
      ['refresh_identity without identity', base({ teleport: 'client_key = "/k"\nclient_crt = "/c"\nroot_cas = "/r"\nrefresh_identity = true' }), 'teleport.refresh_identity', /requires teleport\.identity/],
      ['addr with a scheme', base({ teleport: 'addr = "https://teleport.example.com"\nidentity = "/id"' }), 'teleport.addr', /without a scheme/],
      ['not TOML at all', 'this is = = not toml', 'config', /not valid TOML at line 1/],
      ['a section of the wrong type', 'teleport = 3\n' + base().replace('[teleport]', '[teleport2]'), 'teleport', /must be a table/],
    ];
    for (const [name, text, key, message] of cases) {
      it(name, () => {
        const errs = errorsOf(() => parseRelayConfig(text, { env: {}, source: '/etc/teleport-mattermost.toml' }));
        const hit = errs.find((e) => e.key === key);
        assert.ok(hit, `no error for ${key}: ${errs.map((e) => e.message).join(' | ')}`);
        assert.match(hit.message, message);
      });
    }

    it('reports every problem at once', () => {
      const errs = errorsOf(() => parseRelayConfig('[mattermost]\nurl = "mm.example.com"', { env: {} }));
      assert.deepEqual(errs.map((e) => e.key).sort(), ['mattermost.token', 'mattermost.url', 'teleport']);
    });

    it('an unreadable identity file names teleport.identity and the file', async () => {
      const { config } = parseRelayConfig(base({ teleport: `identity = "${join(dir, 'nope')}"` }), { env: {} });
      await assert.rejects(loadTeleportCredentials(config), (e: unknown) => e instanceof ConfigError && e.key === 'teleport.identity' && /nope: cannot be read \(ENOENT\)/.test(e.message));
    });

    it('an identity that does not parse names teleport.identity and what is wrong', async () => {
      const file = join(dir, 'garbage_id');
      writeFileSync(file, 'hello\nthis is not an identity\n');
      const { config } = parseRelayConfig(base({ teleport: `identity = "${file}"` }), { env: {} });
      await assert.rejects(loadTeleportCredentials(config), (e: unknown) => e instanceof ConfigError && e.key === 'teleport.identity' && /no PEM blocks found/.test(e.message));
    });

    it('an expired identity is refused, as the Go plugin refuses expired credentials', async () => {
      const file = join(dir, 'expired_id');
      await sim.writeIdentity('access-plugin', ['access-plugin'], file, { ttlMs: -60_000 });
      const { config } = parseRelayConfig(base({ teleport: `identity = "${file}"` }), { env: {} });
      await assert.rejects(loadTeleportCredentials(config), (e: unknown) => e instanceof ConfigError && e.key === 'teleport.identity' && /expired at/.test(e.message));
    });
  });

  it('loads a valid identity and learns the user and the cluster name (for TLS routing)', async () => {
    const file = join(dir, 'good_id');
    await sim.writeIdentity('access-plugin', ['access-plugin'], file);
    const { config } = parseRelayConfig(base({ teleport: `identity = "${file}"` }), { env: {} });
    const creds = await loadTeleportCredentials(config);
    assert.equal(creds.user, 'access-plugin');
    assert.equal(creds.clusterName, sim.clusterName);
  });

  it('reads exactly what the constructs write (renderPluginToml)', () => {
    const text = renderPluginToml({
      teleport: { addr: 'teleport.example.com:443', identity: '/var/lib/teleport/plugins/mattermost/teleport-identity/auth_id' },
      mattermost: { url: 'https://mattermost.example.com', token: '/var/lib/teleport/plugins/mattermost/mattermost_token', recipients: [] },
      roleToRecipients: { '*': ['myteam/access-requests'], dbadmin: ['alice@example.com', 'ivan@example.com'] },
      log: { output: 'stdout', severity: 'debug' },
    });
    const { config, warnings } = parseRelayConfig(text, { env: {}, readFile: () => Buffer.from(`${TOKEN}\n`) });
    assert.deepEqual(warnings, []);
    assert.equal(config.teleport.addr, 'teleport.example.com:443');
    assert.equal(config.teleport.identity, '/var/lib/teleport/plugins/mattermost/teleport-identity/auth_id');
    assert.equal(config.teleport.refreshIdentity, true);
    assert.equal(config.mattermost.token.reveal(), TOKEN);
    assert.deepEqual(config.roleToRecipients, { '*': ['myteam/access-requests'], dbadmin: ['alice@example.com', 'ivan@example.com'] });
    assert.deepEqual(config.log, { output: 'stdout', severity: 'debug' });
  });
});
