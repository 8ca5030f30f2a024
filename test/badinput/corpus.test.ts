/**
 * The bad-input corpus: what careless or hostile users give each command. Every case asserts the exit
 * code and the words of the message (the file / key / construct path, the field, the fix), and never a
 * secret value; synthesis cases also assert that the previous output directory is byte-identical
 * afterwards and that no scratch directory is left beside it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccessPluginDeployment, type AccessPluginDeploymentProps } from '../../constructs/access-plugin-deployment';
import { createDualAuthApp, DualAuthStack, TeleportRole, TeleportUser } from '../../constructs';
import { formatSynthError } from '../../constructs/synth-error';
import { startMattermostSimulator, type MattermostSimulator } from '../../simulators/mattermost';
import { closeDualauth, runDualauth, runSynth, scratchLeft, tempDir, treeHash, write, type Outcome } from './harness';

const PEM_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAplantedkeymaterialQ29ycHVz\n-----END RSA PRIVATE KEY-----';
const PEM_SECRET_WORD = 'plantedkeymaterial';
const GH_TOKEN = `ghp_${'Z'.repeat(36)}`;

interface Case {
  name: string;
  run: () => Promise<Outcome> | Outcome;
  code: number;
  words: RegExp[];
  /** Must not appear (secret values). */
  never?: string[];
}

function check(c: Case): void {
  it(c.name, async () => {
    const r = await c.run();
    const text = `${r.stdout}${r.stderr}`;
    assert.equal(r.code, c.code, `exit code of ${c.name}:\n${text}`);
    for (const w of c.words) assert.match(text, w);
    for (const s of c.never ?? []) assert.ok(!text.includes(s), `${c.name} printed a secret:\n${text}`);
    assert.doesNotMatch(text, /skipValidation/, 'no advice to bypass our checks');
  });
}

let work: string;
let outdir: string;
let snapshot: Record<string, string>;
let stackDir: string;
let mm: MattermostSimulator;
before(async () => {
  work = tempDir();
  outdir = path.join(work, 'cdktf.out');
  const r = runSynth(outdir, {});
  assert.equal(r.code, 0, r.stderr);
  snapshot = treeHash(outdir);
  stackDir = path.join(outdir, 'stacks', 'dual-authorization');
  mm = await startMattermostSimulator();
});
after(async () => {
  closeDualauth();
  await mm?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A synthesis case of the built-in stack with settings from the environment: exit 1, nothing changed. */
function synthCase(name: string, env: Record<string, string>, words: RegExp[], never: string[] = []): Case {
  return {
    name: `synth: ${name}`,
    code: 1,
    words: [/cdktf\.out was left as it was/, ...words],
    never,
    run: () => {
      const r = runSynth(outdir, env);
      assert.deepEqual(treeHash(outdir), snapshot, 'the previous output is byte-identical');
      assert.deepEqual(scratchLeft(outdir), [], 'no scratch directory is left');
      return r;
    },
  };
}

/** A construct case: a stack built in code, synthesized into the previous output directory. */
function constructCase(name: string, build: (stack: DualAuthStack) => void, words: RegExp[], never: string[] = []): Case {
  return {
    name: `constructs: ${name}`,
    code: 1,
    words,
    never,
    run: () => {
      const da = createDualAuthApp({ outdir });
      let code = 0;
      let stderr = '';
      try {
        const stack = new DualAuthStack(da.app, 'dual-authorization', { teleportVersion: '15.4', terraformProvider: false });
        new TeleportRole(stack, 'Db', { name: 'dbadmin', allow: { logins: ['root'] } });
        build(stack);
        da.synth();
      } catch (err) {
        code = 1;
        stderr = formatSynthError(err);
      }
      assert.deepEqual(treeHash(outdir), snapshot, 'the previous output is byte-identical');
      assert.deepEqual(scratchLeft(outdir), [], 'no scratch directory is left');
      return { code, stdout: '', stderr };
    },
  };
}

const PLUGIN: AccessPluginDeploymentProps = {
  teleportAddress: 'teleport.example.com:443',
  identity: { variable: 'teleport_identity' },
  mattermostUrl: 'https://mattermost.example.com',
  mattermostToken: { variable: 'mattermost_token' },
  roleToRecipients: { dbadmin: ['alice@example.com'] },
};
const plugin = (over: Partial<AccessPluginDeploymentProps>) => (stack: DualAuthStack) => void new AccessPluginDeployment(stack, 'Plugin', { ...PLUGIN, ...over });
const TBOT = { image: 'public.ecr.aws/gravitational/tbot-distroless:15.4.22', clusterName: 'teleport.example.com', token: 'dualauth-plugin' };

describe('bad input: synthesis settings (DUALAUTH_* / context)', () => {
  const cases: Case[] = [
    synthCase('replicas not a number', { DUALAUTH_PLUGIN_REPLICAS: 'two' }, [/replicas \(context\) \/ DUALAUTH_PLUGIN_REPLICAS/, /whole number of at least 1, got "two"/]),
    synthCase('replicas zero', { DUALAUTH_PLUGIN_REPLICAS: '0' }, [/DUALAUTH_PLUGIN_REPLICAS must be a whole number of at least 1/]),
    synthCase('runtime misspelt', { DUALAUTH_PLUGIN_RUNTIME: 'relai' }, [/DUALAUTH_PLUGIN_RUNTIME must be "relay" or "teleport-plugin"/, /did you mean "relay"/]),
    synthCase('kubernetes not a boolean', { DUALAUTH_KUBERNETES: 'yes' }, [/DUALAUTH_KUBERNETES must be true or false, got "yes"/]),
    synthCase('terraform provider not a boolean', { DUALAUTH_TERRAFORM_PROVIDER: 'maybe' }, [/DUALAUTH_TERRAFORM_PROVIDER must be true or false/]),
    synthCase('apply bot not a boolean', { DUALAUTH_APPLY_BOT: '1' }, [/DUALAUTH_APPLY_BOT must be true or false/]),
    synthCase('backend not JSON', { DUALAUTH_BACKEND: '{nope' }, [/DUALAUTH_BACKEND is not valid JSON: give e\.g\. \{"type":"s3"/]),
    synthCase('backend type unknown', { DUALAUTH_BACKEND: '{"type":"ftp"}' }, [/DUALAUTH_BACKEND: "type" must be one of local, s3, gcs/]),
    synthCase('backend type misspelt', { DUALAUTH_BACKEND: '{"type":"gsc","bucket":"b"}' }, [/did you mean "gcs"/]),
    synthCase('s3 backend without bucket, key and region', { DUALAUTH_BACKEND: '{"type":"s3"}' }, [/the s3 backend needs "bucket"/, /needs "key"/, /needs "region"/, /e\.g\. \{"type":"s3","bucket":"tf-state"/]),
    synthCase('s3 backend with a misspelt key', { DUALAUTH_BACKEND: '{"type":"s3","buckt":"b","key":"k","region":"r"}' }, [/"buckt" is not a field of the s3 backend \(did you mean "bucket"\?\)/, /needs "bucket"/]),
    synthCase('gcs backend without bucket', { DUALAUTH_BACKEND: '{"type":"gcs","prefix":"p"}' }, [/the gcs backend needs "bucket"/]),
    synthCase('remote backend without organization', { DUALAUTH_BACKEND: '{"type":"remote","workspace":"w"}' }, [/the remote backend needs "organization"/]),
    synthCase('kubernetes backend without secretSuffix', { DUALAUTH_BACKEND: '{"type":"kubernetes"}' }, [/the kubernetes backend needs "secretSuffix"/]),
    synthCase('backend an array', { DUALAUTH_BACKEND: '[]' }, [/DUALAUTH_BACKEND: must be an object with "type"/]),
    synthCase('backend field of the wrong type', { DUALAUTH_BACKEND: '{"type":"s3","bucket":"b","key":"k","region":"r","encrypt":"yes"}' }, [/"encrypt" must be true or false/]),
    synthCase('recipients not JSON', { DUALAUTH_RECIPIENTS: '["a",' }, [/DUALAUTH_RECIPIENTS is not valid JSON/]),
    synthCase('identity secret is a PEM key', { DUALAUTH_IDENTITY_SECRET: PEM_KEY }, [/DUALAUTH_IDENTITY_SECRET must be the name of an existing Kubernetes Secret/, /looks like a PEM private key/, /kubectl/], [PEM_SECRET_WORD]),
    synthCase('token secret is a GitHub token', { DUALAUTH_MATTERMOST_TOKEN_SECRET: GH_TOKEN }, [/DUALAUTH_MATTERMOST_TOKEN_SECRET must be the name/, /a GitHub token/], [GH_TOKEN]),
    synthCase('every settings problem at once', { DUALAUTH_PLUGIN_REPLICAS: 'x', DUALAUTH_PLUGIN_RUNTIME: 'go', DUALAUTH_KUBERNETES: 'nah' }, [/3 problems in the stack settings/, /DUALAUTH_PLUGIN_REPLICAS/, /DUALAUTH_PLUGIN_RUNTIME/, /DUALAUTH_KUBERNETES/]),
    synthCase('image with an empty tag', { DUALAUTH_PLUGIN_IMAGE: 'ghcr.io/dualauth/dualauth-relay:' }, [/\[dual-authorization\/MattermostPlugin\] image: /, /empty tag after ":"/]),
    synthCase('image with spaces', { DUALAUTH_PLUGIN_IMAGE: 'ghcr.io/dualauth/dualauth relay:0.1.0' }, [/image: .* contains whitespace/]),
    synthCase('image with upper-case repository', { DUALAUTH_PLUGIN_IMAGE: 'ghcr.io/DualAuth/relay:1' }, [/image: .*invalid repository part "DualAuth"/]),
    synthCase('image with a short digest', { DUALAUTH_PLUGIN_IMAGE: 'ghcr.io/dualauth/relay@sha256:abc' }, [/malformed digest/]),
    synthCase('image with a scheme', { DUALAUTH_PLUGIN_IMAGE: 'https://ghcr.io/dualauth/relay:1' }, [/has a URL scheme: drop it/]),
    synthCase('Teleport address with a scheme', { DUALAUTH_TELEPORT_ADDR: 'https://teleport.example.com:443' }, [/teleportAddress/, /has a URL scheme/]),
    synthCase('Teleport address without a port', { DUALAUTH_TELEPORT_ADDR: 'teleport.example.com' }, [/teleportAddress/, /has no port/, /host:port/]),
    synthCase('Mattermost URL with a password', { DUALAUTH_MATTERMOST_URL: 'https://bob:hunter2pw@chat.example.com' }, [/mattermostUrl/, /credentials/], ['hunter2pw']),
    synthCase('Mattermost URL without a scheme', { DUALAUTH_MATTERMOST_URL: 'chat.example.com' }, [/mattermostUrl/]),
    synthCase('namespace not a Kubernetes name', { DUALAUTH_NAMESPACE: 'Teleport_Plugins' }, [/namespace: "Teleport_Plugins" is not a Kubernetes name/]),
    synthCase('bot username not valid', { DUALAUTH_MATTERMOST_BOT: 'Teleport Bot' }, [/username/]),
    synthCase('runtime teleport-plugin without image', { DUALAUTH_PLUGIN_RUNTIME: 'teleport-plugin' }, [/image: runtime "teleport-plugin" needs Teleport's image/]),
    synthCase('garbage teleportVersion', { DUALAUTH_TELEPORT_VERSION: 'latest-and-greatest' }, [/teleportVersion|Teleport version/i]),
  ];
  for (const c of cases) check(c);
});

describe('bad input: constructs', () => {
  const cases: Case[] = [
    constructCase('memory: lots', plugin({ resources: { limits: { memory: 'lots' } } }), [/\[dual-authorization\/Plugin\] resources\.limits\.memory: "lots" is not a Kubernetes quantity: give e\.g\. "256Mi"/]),
    constructCase('cpu: one core', plugin({ resources: { requests: { cpu: '1 core' } } }), [/resources\.requests\.cpu: "1 core" is not a Kubernetes quantity/]),
    constructCase('misspelt resource name', plugin({ resources: { requests: { memroy: '64Mi' } } }), [/resources\.requests\.memroy: "memroy" is not a Kubernetes resource name \(did you mean "memory"\?\)/]),
    constructCase('negative quantity', plugin({ resources: { limits: { cpu: '-1' } } }), [/resources\.limits\.cpu: -1 is negative/]),
    constructCase('tbot resources quantity', plugin({ identity: { tbot: { ...TBOT, resources: { limits: { memory: '12 MB' } } } } }), [/identity\.tbot\.resources\.limits\.memory: "12 MB" is not a Kubernetes quantity/]),
    constructCase('token in a pod annotation', plugin({ podAnnotations: { 'example.com/api-token': 'sk-live-abcdefgh12345' } }), [/podAnnotations\["example\.com\/api-token"\]: "example\.com\/api-token" names a secret/, /plain text into cdk\.tf\.json/], ['sk-live-abcdefgh12345']),
    constructCase('PEM in a pod annotation', plugin({ podAnnotations: { note: PEM_KEY } }), [/podAnnotations\["note"\]: the value looks like a PEM private key/], [PEM_SECRET_WORD]),
    constructCase('--token=VALUE argument', plugin({ args: ['relay', 'start', '--token=abcdefgh12345'] }), [/args\[2\]: "token" names a secret and its value is a literal/, /pass no secret as an argument/], ['abcdefgh12345']),
    constructCase('--password VALUE argument', plugin({ args: ['relay', 'start', '--password', 'correct-horse-battery'] }), [/args\[3\]: "password" names a secret/], ['correct-horse-battery']),
    constructCase('GitHub token as an argument', plugin({ args: [GH_TOKEN] }), [/args\[0\]: the value looks like a GitHub token/], [GH_TOKEN]),
    constructCase('tbot join token is a generated secret', plugin({ identity: { tbot: { ...TBOT, token: '0123456789abcdef0123456789abcdef' } } }), [/identity\.tbot\.token: looks like a secret join token/, /join method kubernetes/], ['0123456789abcdef0123456789abcdef']),
    constructCase('tbot image with spaces', plugin({ identity: { tbot: { ...TBOT, image: 'public.ecr.aws/gravitational/tbot distroless:15' } } }), [/identity\.tbot\.image: .* contains whitespace/]),
    constructCase('identity existingSecret is a PEM', plugin({ identity: { existingSecret: PEM_KEY } }), [/identity\.existingSecret: must be the name of a Kubernetes Secret, but the value looks like a PEM private key/, /kubectl -n teleport-plugins create secret generic/], [PEM_SECRET_WORD]),
    constructCase('token existingSecret is a URL with a password', plugin({ mattermostToken: { existingSecret: 'https://u:pw-secret-1@x.example.com' } }), [/mattermostToken\.existingSecret: .* a URL with a password/], ['pw-secret-1']),
    constructCase('roleToRecipients misspelt role', plugin({ roleToRecipients: { dbadmn: ['alice@example.com'] } }), [/roleToRecipients\["dbadmn"\]: role "dbadmn" is not declared in this stack \(did you mean "dbadmin"\?\)/]),
    constructCase('image empty tag (prop)', plugin({ image: 'ghcr.io/acme/relay:' }), [/\[dual-authorization\/Plugin\] image: "ghcr\.io\/acme\/relay:" has an empty tag/]),
    constructCase('user role misspelt', (s) => void new TeleportUser(s, 'Bob', { name: 'bob', roles: ['dbadmn'] }), [/user\/bob/, /names role "dbadmn", which is not declared in this stack \(did you mean "dbadmin"\?\)/]),
    constructCase('misspelt field override', (s) => {
      const r = new TeleportRole(s, 'Dev', { name: 'devops', allow: { logins: ['ubuntu'] } });
      r.addOverride('spec.allow.loginz', ['x']);
    }, [/role\/devops/, /spec\.allow\.loginz/, /did you mean "logins"/]),
    constructCase('max_session_ttl forever', (s) => void new TeleportRole(s, 'Dev', { name: 'devops', maxSessionTtl: 'forever' }), [/role\/devops/, /max_session_ttl/]),
    constructCase('duplicate role name', (s) => void new TeleportRole(s, 'Again', { name: 'dbadmin' }), [/role\/dbadmin/, /more than once|twice|duplicate/i]),
  ];
  for (const c of cases) check(c);
});

describe('bad input: dualauth review', () => {
  const yaml = (name: string, text: string) => write(work, `review/${name}`, text);
  const bomb = [
    'kind: role', 'version: v7', 'metadata:', '  name: bomb', 'spec:', '  allow:', '    logins: &a [x,x,x,x,x,x,x,x,x,x]', '    node_labels:',
    ...'bcdefgh'.split('').map((c, i) => `      ${c}: &${c} [${Array(10).fill(`*${i === 0 ? 'a' : 'bcdefgh'[i - 1]}`).join(',')}]`),
  ].join('\n');
  const cases: Case[] = [
    { name: 'review: YAML alias bomb is bad input naming the file', code: 2, words: [/bomb\.yaml:\d+: document is too large: its aliases/, /remove the aliases/], run: () => runDualauth(['review', yaml('bomb.yaml', bomb)]) },
    { name: 'review: a description of thousands of spaces does not hang', code: 0, words: [/./], run: () => runDualauth(['review', yaml('spaces.yaml', `kind: role\nversion: v7\nmetadata:\n  name: spaces\n  description: "x${' '.repeat(20000)}y"\nspec:\n  allow:\n    logins: [ubuntu]\n`)]) },
    { name: 'review: a secret-named field with a long run of spaces (linear scan)', code: 1, words: [/literal value of secret field "api_token"/], run: () => runDualauth(['review', yaml('kv.yaml', `kind: role\nversion: v7\nmetadata:\n  name: kv\n  labels:\n    api_token: abcdefghijk${' '.repeat(20000)},\nspec: {}\n`)]) },
    { name: 'review: malformed YAML names file and line', code: 2, words: [/broken\.yaml:\d+: malformed YAML/], run: () => runDualauth(['review', yaml('broken.yaml', 'kind: role\nmetadata: [unclosed\n')]) },
    { name: 'review: duplicate key', code: 2, words: [/dupkey\.yaml/], run: () => runDualauth(['review', yaml('dupkey.yaml', 'kind: role\nkind: user\nmetadata:\n  name: x\n')]) },
    { name: 'review: missing path', code: 2, words: [/nope\.yaml/], run: () => runDualauth(['review', path.join(work, 'nope.yaml')]) },
    { name: 'review: unknown kind', code: 2, words: [/kind/], run: () => runDualauth(['review', yaml('kind.yaml', 'kind: rol\nversion: v7\nmetadata:\n  name: x\nspec: {}\n')]) },
    { name: 'review: deep nesting', code: 2, words: [/deep\.yaml:\d+: document nests deeper than 200 levels/], run: () => runDualauth(['review', yaml('deep.yaml', `kind: role\nversion: v7\nmetadata:\n  name: deep\n  labels:\n    a: ${'['.repeat(300)}${']'.repeat(300)}\nspec: {}\n`)]) },
    { name: 'review: --config alias bomb', code: 2, words: [/cfg\.yaml:\d+: document is too large/, /--config/], run: () => runDualauth(['review', stackDir, '--config', yaml('cfg.yaml', bomb.replace('kind: role', 'privileged: {}'))]) },
    { name: 'review: --max-bytes too small', code: 2, words: [/--max-bytes must be a whole number of at least 4096/], run: () => runDualauth(['review', stackDir, '--max-bytes', '10']) },
    { name: 'review: --privileged-label without =', code: 2, words: [/--privileged-label "prod": expected NAME=VALUE/], run: () => runDualauth(['review', stackDir, '--privileged-label', 'prod']) },
    { name: 'review: unknown format', code: 2, words: [/format/], run: () => runDualauth(['review', stackDir, '--format', 'pdf']) },
  ];
  for (const c of cases) check(c);
});

describe('bad input: dualauth drift', () => {
  const dump = (name: string, text: string) => write(work, `drift/${name}`, text);
  const cases: Case[] = [
    { name: 'drift: a flow-style YAML dump is read as YAML, not broken JSON', code: 2, words: [/role\/devops/], run: () => runDualauth(['drift', stackDir, '--live', dump('flow.yaml', '{kind: role, version: v7, metadata: {name: devops}, spec: {allow: {logins: [x]}}}\n'), '--skip-terraform']) },
    { name: 'drift: broken JSON names JSON and YAML', code: 1, words: [/--live .*bad\.json: malformed JSON/, /tctl get roles,users/], run: () => runDualauth(['drift', stackDir, '--live', dump('bad.json', '[{"kind": "role",'), '--skip-terraform']) },
    { name: 'drift: alias bomb in a dump', code: 1, words: [/--live .*bomb\.yaml \(document 1\):1: document is too large/], run: () => runDualauth(['drift', stackDir, '--live', dump('bomb.yaml', 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n'), '--skip-terraform']) },
    { name: 'drift: alias bomb in teleport.yaml', code: 1, words: [/teleport\.yaml \(document 1\):1: document is too large/, /re-run synthesis/], run: () => {
      const dir = path.join(work, 'drift-stack');
      fs.cpSync(stackDir, dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'teleport.yaml'), 'kind: role\nmetadata: {name: x}\nspec: {a: &a [1,1,1,1,1,1,1,1,1,1], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b], d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c], e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d], f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e], g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]}\n');
      return runDualauth(['drift', dir, '--live', dump('empty.yaml', ''), '--skip-terraform']);
    } },
    { name: 'drift: not a stack directory', code: 1, words: [/STACK_DIR .* is not a directory/, /npm run synth/], run: () => runDualauth(['drift', path.join(work, 'nowhere'), '--live', 'x.yaml']) },
    { name: 'drift: no source of live resources', code: 1, words: [/say where the live Teleport resources come from/], run: () => runDualauth(['drift', stackDir]) },
    { name: 'drift: --teleport-addr not host:port', code: 1, words: [/--teleport-addr "teleport\.example\.com" is not HOST:PORT/], run: () => runDualauth(['drift', stackDir, '--teleport-addr', 'teleport.example.com', '--identity', 'id']) },
    { name: 'drift: --mattermost-url with a password', code: 1, words: [/--mattermost-url carries credentials/, /"https:\/\/chat\.example\.com\/"/, /MATTERMOST_TOKEN/], never: ['s3cr3tpass'], run: () => runDualauth(['drift', stackDir, '--live', dump('e2.yaml', ''), '--mattermost-url', 'https://admin:s3cr3tpass@chat.example.com/'], { MATTERMOST_TOKEN: 'tok' }) },
    { name: 'drift: --mattermost-url without token', code: 1, words: [/--mattermost-url needs a token in MATTERMOST_TOKEN/], run: () => runDualauth(['drift', stackDir, '--live', dump('e3.yaml', ''), '--mattermost-url', 'https://chat.example.com']) },
    { name: 'drift: --mattermost-url not http', code: 1, words: [/--mattermost-url "ftp:\/\/chat" is not an http\(s\) URL/], run: () => runDualauth(['drift', stackDir, '--live', dump('e4.yaml', ''), '--mattermost-url', 'ftp://chat'], { MATTERMOST_TOKEN: 'tok' }) },
    { name: 'drift: dump document without a name', code: 1, words: [/--live .*noname\.yaml: document 1 \(role\) has no metadata\.name/], run: () => runDualauth(['drift', stackDir, '--live', dump('noname.yaml', 'kind: role\nversion: v7\nmetadata: {}\nspec: {}\n'), '--skip-terraform']) },
  ];
  for (const c of cases) check(c);
});

describe('bad input: relay configuration (relay check-config)', () => {
  const toml = (name: string, text: string) => write(work, `relay/${name}`, text);
  const MM = '[mattermost]\nurl = "https://chat.example.com"\ntoken = "abcd"\n';
  const cases: Case[] = [
    { name: 'relay: misspelt identity key named in the error it causes', code: 1, words: [/teleport: no credentials configured: teleport\.identitty was ignored as an unknown key \(did you mean "identity"\?\)/, /warning: unknown key teleport\.identitty/], run: () => runDualauth(['relay', 'check-config', '--config', toml('typo.toml', `[teleport]\naddr = "t.example.com:443"\nidentitty = "/x"\n${MM}`)]) },
    { name: 'relay: misspelt section', code: 1, words: [/unknown key mattermots is ignored \(did you mean "mattermost"\?\)/, /mattermost\.url: is required/], run: () => runDualauth(['relay', 'check-config', '--config', toml('section.toml', '[teleport]\nidentity = "/x"\n[mattermots]\nurl = "https://c.example.com"\n')]) },
    { name: 'relay: PEM pasted as the identity path', code: 1, words: [/teleport\.identity: must be a file path, but the value looks like a PEM private key/, /save it to a file/], never: [PEM_SECRET_WORD], run: () => runDualauth(['relay', 'check-config', '--config', toml('pem.toml', `[teleport]\nidentity = """${PEM_KEY}"""\n${MM}`)]) },
    { name: 'relay: URL with a password', code: 1, words: [/mattermost\.url: must not contain credentials, got a URL with credentials/, /e\.g\. "https:\/\/chat\.example\.com"/], never: ['hunter2pw'], run: () => runDualauth(['relay', 'check-config', '--config', toml('url.toml', '[teleport]\nidentity = "/x"\n[mattermost]\nurl = "https://bob:hunter2pw@chat.example.com"\ntoken = "abcd"\n')]) },
    { name: 'relay: everything at once (config, identity file, templates)', code: 1, words: [/teleport\.identity: \/nonexistent\/identity: /, /relay\.templates_dir: /, /log\.severity: unknown severity "loud"/], run: () => runDualauth(['relay', 'check-config', '--config', toml('all.toml', `[teleport]\nidentity = "/nonexistent/identity"\n${MM}[log]\nseverity = "loud"\n[relay]\ntemplates_dir = "/nonexistent/templates"\n`)]) },
    { name: 'relay: not TOML', code: 1, words: [/config: is not valid TOML at line/], run: () => runDualauth(['relay', 'check-config', '--config', toml('bad.toml', '[teleport\naddr=')]) },
    { name: 'relay: missing file', code: 1, words: [/cannot read .*missing\.toml \(ENOENT\)/, /pass --config/], run: () => runDualauth(['relay', 'check-config', '--config', path.join(work, 'missing.toml')]) },
    { name: 'relay: address with a scheme', code: 1, words: [/teleport\.addr: "https:\/\/t\.example\.com:443" has a URL scheme/], run: () => runDualauth(['relay', 'check-config', '--config', toml('addr.toml', `[teleport]\naddr = "https://t.example.com:443"\nidentity = "/x"\n${MM}`)]) },
    { name: 'relay: half the TLS files', code: 1, words: [/teleport\.client_crt, teleport\.client_key is set|are set but/], run: () => runDualauth(['relay', 'check-config', '--config', toml('tls.toml', `[teleport]\nclient_key = "/k"\nclient_crt = "/c"\n${MM}`)]) },
    { name: 'relay: unreadable token file', code: 1, words: [/mattermost\.token: cannot read the token file \/nonexistent\/token/], run: () => runDualauth(['relay', 'check-config', '--config', toml('tok.toml', '[teleport]\nidentity = "/x"\n[mattermost]\nurl = "https://c.example.com"\ntoken = "/nonexistent/token"\n')]) },
    { name: 'relay: bad duration', code: 1, words: [/teleport\.refresh_identity_interval: is not a duration/, /"1m"/], run: () => runDualauth(['relay', 'check-config', '--config', toml('dur.toml', `[teleport]\nidentity = "/x"\nrefresh_identity_interval = "soon"\n${MM}`)]) },
    { name: 'relay: concurrency zero', code: 1, words: [/relay\.concurrency: must be a positive integer/], run: () => runDualauth(['relay', 'check-config', '--config', toml('conc.toml', `[teleport]\nidentity = "/x"\n${MM}[relay]\nconcurrency = 0\n`)]) },
    { name: 'relay: bad fail-fast env', code: 1, words: [/TELEPORT_PLUGIN_FAIL_FAST: must be a boolean/], run: () => runDualauth(['relay', 'check-config', '--config', toml('ff.toml', `[teleport]\nidentity = "/x"\n${MM}`)], { TELEPORT_PLUGIN_FAIL_FAST: 'sometimes' }) },
  ];
  for (const c of cases) check(c);
});

describe('bad input: bot file and dualauth mattermost apply', () => {
  const bot = (name: string, text: string) => write(work, `bot/${name}`, text);
  const good = () => bot('good.json', fs.readFileSync(path.join(stackDir, 'mattermost-bot.json'), 'utf8'));
  const apply = (args: string[], env: Record<string, string | undefined> = { MATTERMOST_TOKEN: 'admintok' }) => runDualauth(['mattermost', 'apply', ...args], env);
  const cases: Case[] = [
    { name: 'bot file: misspelt field', code: 2, words: [/--bot .*typo\.json/, /displayNam: unknown field \(did you mean "displayName"\?\)/], run: () => apply(['--bot', bot('typo.json', '{"apiVersion":"dualauth.dev/v1","kind":"MattermostBot","username":"teleport","displayNam":"T","teams":["myteam"],"roles":["system_user"]}'), '--url', mm.url]) },
    { name: 'bot file: not JSON', code: 2, words: [/--bot .*notjson\.json/, /not valid JSON/], run: () => apply(['--bot', bot('notjson.json', '{"username":'), '--url', mm.url]) },
    { name: 'bot file: bad username', code: 2, words: [/username: must be 1-64 characters/], run: () => apply(['--bot', bot('user.json', '{"apiVersion":"dualauth.dev/v1","kind":"MattermostBot","username":"Tele Port","teams":["myteam"],"roles":["system_user"]}'), '--url', mm.url]) },
    { name: 'bot file: roles without system_user', code: 2, words: [/roles: must include "system_user"/], run: () => apply(['--bot', bot('roles.json', '{"apiVersion":"dualauth.dev/v1","kind":"MattermostBot","username":"teleport","teams":["myteam"],"roles":["system_post_all"]}'), '--url', mm.url]) },
    { name: 'bot file: missing', code: 2, words: [/--bot .*absent\.json: cannot read the file \(ENOENT\)/], run: () => apply(['--bot', path.join(work, 'absent.json'), '--url', mm.url]) },
    { name: 'apply: no MATTERMOST_TOKEN', code: 2, words: [/MATTERMOST_TOKEN is not set/], run: () => apply(['--bot', good(), '--url', mm.url], {}) },
    { name: 'apply: token with spaces', code: 2, words: [/MATTERMOST_TOKEN contains spaces or control characters/], run: () => apply(['--bot', good(), '--url', mm.url], { MATTERMOST_TOKEN: 'two words' }) },
    { name: 'apply: --url not http', code: 2, words: [/--url: Mattermost URL must start with http:\/\/ or https:\/\//], run: () => apply(['--bot', good(), '--url', 'ftp://chat']) },
    { name: 'apply: --url with a password', code: 2, words: [/--url: Mattermost URL must not carry credentials: give "https:\/\/chat\.example\.com\/"/, /MATTERMOST_TOKEN/], never: ['pa55word'], run: () => apply(['--bot', good(), '--url', 'https://root:pa55word@chat.example.com/']) },
    { name: 'apply: --create-token without --token-out', code: 2, words: [/--create-token needs --token-out FILE/], run: () => apply(['--bot', good(), '--url', mm.url, '--create-token']) },
    { name: 'apply: --token-out without --create-token', code: 2, words: [/--token-out is only used with --create-token/], run: () => apply(['--bot', good(), '--url', mm.url, '--token-out', path.join(work, 't')]) },
    { name: 'apply: a short rejected token is never echoed', code: 1, words: [/Mattermost rejected the token in MATTERMOST_TOKEN/], never: ['q7z'], run: () => apply(['--bot', good(), '--url', mm.url], { MATTERMOST_TOKEN: 'q7z' }) },
  ];
  for (const c of cases) check(c);
});
