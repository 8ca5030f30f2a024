/**
 * Issue 15: a rotated identity replaces the working one only when it is valid now, holds its
 * certificate's key and is signed by the cluster's CA; an expired or a foreign cluster's identity
 * is refused (before: any identity that parsed was switched to, and the relay was down).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { identityRefreshProblem } from '../../relay/identity-check';
import { IdentityRefresher } from '../../relay/identity-refresh';
import { silentLogger } from '../../relay/log';
import { createCertAuthority, issueCertificate, newKeyPair, type CertAuthority } from '../../simulators/teleport/pki';
import type { TeleportCredentials } from '../../teleport-client/tls';

const pem = (k: { export(o: { type: 'pkcs8'; format: 'pem' }): string | Buffer }) => String(k.export({ type: 'pkcs8', format: 'pem' }));

function creds(ca: CertAuthority, o: { notAfter?: Date; otherKey?: boolean } = {}): TeleportCredentials {
  const keys = newKeyPair();
  const cert = issueCertificate(ca, { subject: { commonName: 'access-plugin' }, publicKey: keys.publicKey, notAfter: o.notAfter ?? new Date(Date.now() + 3_600_000) });
  return { key: pem(o.otherKey ? newKeyPair().privateKey : keys.privateKey), cert, rootCAs: [ca.certPem] };
}

describe('identity refresh checks the new identity before switching', () => {
  const cluster = createCertAuthority('example.com', 'User CA');
  const working = creds(cluster);

  it('accepts a fresh identity of the same cluster', () => {
    assert.equal(identityRefreshProblem(creds(cluster), working), undefined);
  });

  it('refuses an expired one, one with another key, and one of a foreign CA', () => {
    assert.match(identityRefreshProblem(creds(cluster, { notAfter: new Date(Date.now() - 60_000) }), working) ?? '', /expired at/);
    assert.match(identityRefreshProblem(creds(cluster, { otherKey: true }), working) ?? '', /private key does not match/);
    assert.match(identityRefreshProblem(creds(createCertAuthority('evil.example', 'User CA')), working) ?? '', /not from the cluster's CA/);
    assert.match(identityRefreshProblem({ ...working, cert: 'garbage' }, working) ?? '', /cannot be parsed/);
  });

  it('the refresher keeps the working identity, logs and counts the refusal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dualauth-idcheck-'));
    const file = path.join(dir, 'identity');
    const { formatIdentityFile, readIdentityFile } = await import('../../teleport-client/identity-file');
    const { credentialsFromIdentity } = await import('../../teleport-client/tls');
    // Start from an identity file in the tctl format, then replace its TLS part with a foreign one.
    const { startTeleportSimulator } = await import('../../simulators/teleport');
    const sim = await startTeleportSimulator();
    try {
      await sim.writeIdentity('access-plugin', ['access-plugin'], file);
      const id = await readIdentityFile(file);
      const initial = credentialsFromIdentity(id);
      const rejected: string[] = [];
      const changed: TeleportCredentials[] = [];
      const r = new IdentityRefresher({ file, intervalMs: 60_000, initial, log: silentLogger(), onChange: (c) => void changed.push(c), onRejected: (p) => void rejected.push(p) });
      const foreign = creds(createCertAuthority('evil.example', 'User CA'));
      fs.writeFileSync(file, formatIdentityFile({ ...id, privateKeyPem: String(foreign.key), tlsCertPem: String(foreign.cert), tlsCaPems: [...(foreign.rootCAs as string[])] }));
      await r.check();
      assert.deepEqual(changed, [], 'not switched');
      assert.equal(rejected.length, 1);
      await r.check();
      assert.equal(rejected.length, 1, 'one bad file is reported once');
      await sim.writeIdentity('access-plugin', ['access-plugin'], file);
      await r.check();
      assert.equal(changed.length, 1, 'a good file is picked up');
      r.stop();
      // Teleport is asked too: a file it does not accept is refused even when it looks right.
      const refusedByTeleport: string[] = [];
      const switched: TeleportCredentials[] = [];
      const strict = new IdentityRefresher({ file, intervalMs: 60_000, initial, log: silentLogger(), onChange: (c) => void switched.push(c), onRejected: (p) => void refusedByTeleport.push(p), probe: async (): Promise<void> => { throw new Error("access denied"); } });
      await strict.check();
      assert.equal(switched.length, 0);
      assert.match(refusedByTeleport[0], /Teleport does not accept it \(access denied\)/);
      strict.stop();
    } finally {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
