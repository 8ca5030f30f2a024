import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { IdentityFileError, formatIdentityFile, identitySubject, parseIdentityFile, readIdentityFile, writeIdentityFile } from '../../teleport-client/identity-file';
import { createCertAuthority, createSshCA, issueIdentity } from '../../simulators/teleport/pki';

const host = createCertAuthority('example.test', 'Host CA');
const userCA = createCertAuthority('example.test', 'User CA');
const ssh = createSshCA();
const identity = issueIdentity(userCA, host, ssh, 'example.test', { user: 'access-plugin', roles: ['access-plugin', 'reader'] });
const text = formatIdentityFile(identity);
const keyBody = identity.privateKeyPem.split('\n')[1];

function parseError(input: string, name = 'plugin.identity'): IdentityFileError {
  try {
    parseIdentityFile(input, name);
  } catch (err) {
    assert.ok(err instanceof IdentityFileError);
    assert.match(err.message, new RegExp(`^identity file ${name}: `));
    assert.ok(!err.message.includes(keyBody), 'key material must not appear in errors');
    return err;
  }
  assert.fail('expected an IdentityFileError');
}

describe('identity files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-id-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the tctl layout: key, SSH cert line, TLS cert, SSH CA lines, TLS CAs', () => {
    const lines = text.split('\n');
    assert.equal(lines[0], '-----BEGIN PRIVATE KEY-----');
    const sshLine = lines.findIndex((l) => l.startsWith('ecdsa-sha2-nistp256-cert-v01@openssh.com '));
    const keyEnd = lines.indexOf('-----END PRIVATE KEY-----');
    const certs = lines.map((l, i) => (l === '-----BEGIN CERTIFICATE-----' ? i : -1)).filter((i) => i >= 0);
    const caLine = lines.findIndex((l) => l.startsWith('@cert-authority '));
    assert.ok(keyEnd < sshLine && sshLine < certs[0] && certs[0] < caLine && caLine < certs[1], 'parts in tctl order');
    assert.equal(certs.length, 2);
    assert.ok(text.endsWith('-----END CERTIFICATE-----\n'));
  });

  it('round-trips through parse and format', () => {
    const parsed = parseIdentityFile(text, 'mem');
    assert.deepEqual(parsed, identity);
    assert.equal(formatIdentityFile(parsed), text);
    assert.deepEqual({ ...identitySubject(parsed), notAfter: undefined }, { user: 'access-plugin', roles: ['access-plugin', 'reader'], notAfter: undefined });
  });

  it('tolerates CRLF line ends, indentation and unrelated lines, as Teleport’s decoder does', () => {
    const noisy = ['# exported by tctl', ...text.split('\n').map((l) => `  ${l}  `), 'trailing junk'].join('\r\n');
    assert.deepEqual(parseIdentityFile(noisy, 'noisy'), identity);
  });

  it('writes with mode 0600 and reads back', async () => {
    const file = join(dir, 'identity');
    await writeIdentityFile(file, identity);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.deepEqual(await readIdentityFile(file), identity);
  });

  it('reports a missing private key without echoing the file', () => {
    const withoutKey = formatIdentityFile({ ...identity, privateKeyPem: '' });
    assert.match(parseError(withoutKey).message, /the private key is missing: the first PEM block is a CERTIFICATE/);
  });

  it('reports a missing TLS certificate, CA, SSH cert and truncated blocks', () => {
    assert.match(parseError(identity.privateKeyPem).message, /TLS certificate is missing/);
    assert.match(parseError(formatIdentityFile({ ...identity, tlsCaPems: [] })).message, /no trusted TLS CA/);
    assert.match(parseError(formatIdentityFile({ ...identity, sshCert: undefined })).message, /SSH certificate line/);
    assert.doesNotThrow(() => parseIdentityFile(formatIdentityFile({ ...identity, sshCert: undefined }), 'tls-only', { requireSshCert: false }));
    const truncated = text.slice(0, text.indexOf('-----END PRIVATE KEY-----'));
    assert.match(parseError(truncated).message, /PEM block \(PRIVATE KEY\) starting on line 1 has no END line/);
  });

  it('rejects garbage and a key that does not belong to the certificate', () => {
    assert.match(parseError('hello\nworld\n').message, /no PEM blocks found/);
    const corruptKey = text.replace(keyBody, 'A'.repeat(keyBody.length));
    assert.match(parseError(corruptKey).message, /private key PEM block cannot be parsed/);
    const other = issueIdentity(userCA, host, ssh, 'example.test', { user: 'x', roles: ['y'] });
    assert.match(parseError(formatIdentityFile({ ...identity, privateKeyPem: other.privateKeyPem })).message, /does not match the TLS certificate/);
  });

  it('names the path when the file cannot be read', async () => {
    await assert.rejects(readIdentityFile(join(dir, 'missing')), (err: Error) => err instanceof IdentityFileError && /identity file .*missing: cannot be read \(ENOENT\)/.test(err.message));
  });
});
