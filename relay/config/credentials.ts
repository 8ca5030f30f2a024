/**
 * Loads the Teleport credentials the config names and checks them the way the Go plugin does at
 * startup (readable, parseable, key matches certificate, not expired), turning every problem into a
 * ConfigError naming the key. Never includes key material in a message.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as fs from 'node:fs';
import { IdentityFileError, readIdentityFile } from '../../teleport-client/identity-file';
import type { TeleportCredentials } from '../../teleport-client/tls';
import { ConfigError } from './errors';
import type { RelayConfig } from './load';

export interface LoadedCredentials {
  credentials: TeleportCredentials;
  /** Teleport user the certificate was issued to (CN). */
  user: string;
  notAfter: Date;
  /** Cluster name, from the issuing CA (needed for TLS routing through a Proxy). */
  clusterName: string;
}

function subjectField(dn: string, attr: string): string | undefined {
  return dn
    .split('\n')
    .find((f) => f.startsWith(`${attr}=`))
    ?.slice(attr.length + 1);
}

function describeCert(certPem: string, key: string): { user: string; notAfter: Date; clusterName: string } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new ConfigError(key, 'the TLS certificate cannot be parsed');
  }
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() <= Date.now()) {
    throw new ConfigError(key, `the certificate expired at ${notAfter.toISOString()}`, 'sign new credentials (tctl auth sign) and increase their TTL if needed');
  }
  // Teleport's CAs carry the cluster name as CN (and O); the client certificate's issuer names it.
  const clusterName = subjectField(cert.issuer, 'CN') ?? subjectField(cert.issuer, 'O') ?? '';
  return { user: subjectField(cert.subject, 'CN') ?? '', notAfter, clusterName };
}

function readFileFor(key: string, path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(key, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export async function loadTeleportCredentials(config: RelayConfig): Promise<LoadedCredentials> {
  const t = config.teleport;
  if (t.identity) {
    let id;
    try {
      id = await readIdentityFile(t.identity);
    } catch (e) {
      const detail = e instanceof IdentityFileError ? e.message.replace(/^identity file [^:]+: /, '') : (e as Error).message;
      throw new ConfigError('teleport.identity', `${t.identity}: ${detail}`, 'point it at the output of `tctl auth sign --format=file` or tbot');
    }
    const info = describeCert(id.tlsCertPem, 'teleport.identity');
    return { credentials: { key: id.privateKeyPem, cert: id.tlsCertPem, rootCAs: id.tlsCaPems }, ...info };
  }
  const key = readFileFor('teleport.client_key', t.clientKey!);
  const cert = readFileFor('teleport.client_crt', t.clientCrt!);
  const cas = readFileFor('teleport.root_cas', t.rootCas!);
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new ConfigError('teleport.client_key', `${t.clientKey} is not a PEM private key`);
  }
  const info = describeCert(cert, 'teleport.client_crt');
  if (!new X509Certificate(cert).checkPrivateKey(privateKey)) throw new ConfigError('teleport.client_key', 'does not match teleport.client_crt');
  const caPems = cas.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (caPems.length === 0) throw new ConfigError('teleport.root_cas', `${t.rootCas} holds no PEM certificate`);
  for (const ca of caPems) {
    try {
      new X509Certificate(ca);
    } catch {
      throw new ConfigError('teleport.root_cas', `${t.rootCas} holds a certificate that cannot be parsed`);
    }
  }
  return { credentials: { key, cert, rootCAs: caPems.map((c) => `${c}\n`) }, ...info };
}
