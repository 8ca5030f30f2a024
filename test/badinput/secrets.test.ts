/**
 * Planted secrets everywhere a user could put one (environment variables, config files, bot files,
 * dumps, Secret names, URLs) and servers that echo the token back in error bodies: no command prints
 * any of them, and no file a command writes (synthesis output, reports, relay logs) holds one.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../relay/log';
import { startMattermostSimulator, type MattermostSimulator } from '../../simulators/mattermost';
import { closeDualauth, runDualauth, runSynth, tempDir, write, type Outcome } from './harness';

const TOKEN = 'planted-token-0123456789abcdef';
const SHORT = 'q7z9';
const PASSWORD = 'planted-pw-7777';
const KEY_BODY = 'MIIEplantedPrivateKeyBodyAAAAQ29ycHVzU2VjcmV0';
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----`;
const GH = `ghp_${'P'.repeat(36)}`;
const SECRETS = [TOKEN, SHORT, PASSWORD, KEY_BODY, GH];

/** The planted values that appear in `text` (short ones as whole words, as they would be recognised). */
function leaked(text: string): string[] {
  return SECRETS.filter((s) => (s.length < 8 ? new RegExp(`(^|[^A-Za-z0-9_-])${s}($|[^A-Za-z0-9_-])`).test(text) : text.includes(s)));
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

let work: string;
let outputs: string;
let stackDir: string;
let sim: MattermostSimulator;
let echo: http.Server;
let echoUrl: string;
const outcomes: { what: string; r: Outcome }[] = [];

async function record(what: string, p: Promise<Outcome> | Outcome): Promise<Outcome> {
  const r = await p;
  outcomes.push({ what, r });
  return r;
}

before(async () => {
  work = tempDir('dualauth-secrets-');
  outputs = path.join(work, 'outputs');
  fs.mkdirSync(outputs);
  sim = await startMattermostSimulator({ settings: { enableDeveloper: true } }); // echoes a rejected token in detailed_error
  // A server that echoes the Authorization header in every error, in the message and the detail.
  echo = http.createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    res.writeHead(req.url?.includes('/users/me') ? 401 : 500, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id: 'api.context.session_expired.app_error', message: `Invalid session ${auth}`, detailed_error: `token=${auth.replace(/^Bearer /i, '')}`, status_code: 401 }));
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});
after(async () => {
  closeDualauth();
  await sim?.close();
  await new Promise((r) => echo?.close(r));
  fs.rmSync(work, { recursive: true, force: true });
});

const ENV = {
  MATTERMOST_TOKEN: TOKEN,
  TF_VAR_teleport_identity: PEM,
  TF_VAR_mattermost_token: TOKEN,
  GITHUB_TOKEN: GH,
};

describe('planted secrets never appear in any output, log or file', () => {
  it('synthesis with secrets in the environment writes and prints none', async () => {
    const r = await record('synth', runSynth(path.join(outputs, 'cdktf.out'), { ...ENV }));
    assert.equal(r.code, 0, r.stderr);
    stackDir = path.join(outputs, 'cdktf.out', 'stacks', 'dual-authorization');
    assert.ok(fs.existsSync(path.join(stackDir, 'cdk.tf.json')));
  });

  it('synthesis with secrets in the wrong settings prints none', async () => {
    const target = path.join(outputs, 'bad.out');
    const wrong: Record<string, string>[] = [
      { DUALAUTH_IDENTITY_SECRET: PEM },
      { DUALAUTH_MATTERMOST_TOKEN_SECRET: TOKEN },
      { DUALAUTH_MATTERMOST_URL: `https://admin:${PASSWORD}@chat.example.com` },
      { DUALAUTH_TELEPORT_ADDR: `https://u:${PASSWORD}@teleport.example.com:443` },
      { DUALAUTH_PLUGIN_IMAGE: `ghcr.io/x/relay:${GH}` },
      { DUALAUTH_BACKEND: `{"type":"s3","bucket":"b","key":"k","region":"r","secret_key":"${TOKEN}"}` },
    ];
    for (const env of wrong) {
      const r = await record(`synth ${Object.keys(env)[0]}`, runSynth(target, { ...ENV, ...env }));
      assert.equal(r.code, 1, `${JSON.stringify(Object.keys(env))}: ${r.stderr}`);
    }
  });

  it('review of the stack and of files holding secrets, in every format', async () => {
    const leaky = write(work, 'in/leaky.yaml', [
      'kind: role', 'version: v7', 'metadata:', '  name: leaky', `  description: "see https://bob:${PASSWORD}@wiki.example.com"`, '  labels:', `    api_token: ${TOKEN}`, `    gh: ${GH}`, 'spec:', '  allow:', '    logins: [ubuntu]', '---',
      'kind: user', 'version: v2', 'metadata:', '  name: carol', 'spec:', '  roles: [leaky]', '  traits:', `    key: ["${PEM.replace(/\n/g, '\\n')}"]`, '',
    ].join('\n'));
    for (const format of ['text', 'json', 'markdown', 'sarif', 'github']) {
      await record(`review ${format}`, runDualauth(['review', stackDir, leaky, '--format', format, '--output', path.join(outputs, `review.${format}`)], ENV));
      await record(`review ${format} stdout`, runDualauth(['review', leaky, '--format', format], ENV));
    }
    const cfg = write(work, 'in/review-config.yaml', `privileged:\n  names: ["${TOKEN}"]\nbogus: ${GH}\n`);
    await record('review bad config', runDualauth(['review', stackDir, '--config', cfg], ENV));
  });

  it('drift against servers that echo the token, and a dump holding secrets', async () => {
    const dump = write(work, 'in/dump.yaml', `kind: role\nversion: v7\nmetadata:\n  name: devops\n  description: "${PEM.replace(/\n/g, '\\n')}"\n  labels: {token: ${TOKEN}}\nspec:\n  allow:\n    logins: [${GH}]\n`);
    for (const format of ['text', 'json', 'markdown']) {
      await record(`drift ${format}`, runDualauth(['drift', stackDir, '--live', dump, '--skip-terraform', '--format', format, '--mattermost-url', sim.url], ENV));
      await record(`drift echo ${format}`, runDualauth(['drift', stackDir, '--live', dump, '--skip-terraform', '--format', format, '--mattermost-url', echoUrl], { ...ENV, MATTERMOST_TOKEN: SHORT }));
    }
    await record('drift url password', runDualauth(['drift', stackDir, '--live', dump, '--mattermost-url', `https://admin:${PASSWORD}@chat.example.com`], ENV));
  });

  it('mattermost apply against servers that echo the token', async () => {
    const botFile = path.join(stackDir, 'mattermost-bot.json');
    for (const [url, token] of [[sim.url, TOKEN], [sim.url, SHORT], [echoUrl, TOKEN], [echoUrl, SHORT]] as const) {
      await record(`apply ${url === echoUrl ? 'echo' : 'sim'} ${token.length}`, runDualauth(['mattermost', 'apply', '--bot', botFile, '--url', url, '--dry-run'], { ...ENV, MATTERMOST_TOKEN: token }));
    }
    await record('apply url password', runDualauth(['mattermost', 'apply', '--bot', botFile, '--url', `https://root:${PASSWORD}@chat.example.com`], ENV));
    const bad = write(work, 'in/bot.json', `{"apiVersion":"dualauth.dev/v1","kind":"MattermostBot","username":"teleport","teams":["myteam"],"roles":["system_user"],"token":{"description":"${TOKEN}","value":"${GH}"}}`);
    await record('apply bad bot', runDualauth(['mattermost', 'apply', '--bot', bad, '--url', sim.url], ENV));
  });

  it('relay check-config with secrets in the config and its files', async () => {
    const tokenFile = write(work, 'in/token', `${TOKEN}\n`);
    const garbageIdentity = write(work, 'in/identity', `${PEM}\nnot a certificate\n`);
    const configs = [
      `[teleport]\naddr = "teleport.example.com:443"\nidentity = "${garbageIdentity}"\n[mattermost]\nurl = "https://chat.example.com"\ntoken = "${tokenFile}"\n`,
      `[teleport]\nidentity = """${PEM}"""\n[mattermost]\nurl = "https://bob:${PASSWORD}@chat.example.com"\ntoken = "${SHORT}"\n`,
      `[teleport]\naddr = "${TOKEN}"\nclient_key = "${GH}"\n[mattermost]\nurl = "${TOKEN}"\ntoken = "${TOKEN} x"\n[log]\nseverity = "${TOKEN}"\n`,
    ];
    for (const [i, text] of configs.entries()) {
      const file = write(work, `in/relay-${i}.toml`, text);
      const r = await record(`relay check-config ${i}`, runDualauth(['relay', 'check-config', '--config', file], ENV));
      assert.equal(r.code, 1, r.stderr);
    }
  });

  it('relay logs with the token and key material in messages and fields', async () => {
    const logFile = path.join(outputs, 'relay.log');
    const log = createLogger({ output: logFile, severity: 'debug', secrets: [SHORT] });
    log.addSecret(TOKEN);
    log.error(`post failed: Invalid session Bearer ${TOKEN}`, { error: new Error(`token=${SHORT} ${PEM}`), url: `https://u:${PASSWORD}@chat.example.com`, detail: GH });
    log.info('identity reloaded', { identity: PEM, note: `token ${SHORT}.` });
    await log.close();
    assert.ok(fs.statSync(logFile).size > 0);
  });

  it('found none of them anywhere', () => {
    assert.ok(outcomes.length >= 30, `ran ${outcomes.length} commands`);
    const found: string[] = [];
    for (const { what, r } of outcomes) {
      const hit = leaked(`${r.stdout}\n${r.stderr}`);
      if (hit.length) found.push(`${what}: ${hit.join(', ')}\n${r.stdout}${r.stderr}`);
    }
    for (const f of filesUnder(outputs)) {
      const hit = leaked(fs.readFileSync(f, 'utf8'));
      if (hit.length) found.push(`file ${path.relative(outputs, f)}: ${hit.join(', ')}`);
    }
    assert.deepEqual(found, []);
  });
});
