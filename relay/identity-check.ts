/**
 * Whether a rotated identity may replace the working one (refresh_identity): it must parse, be valid
 * now (not expired, not yet-to-come), hold the private key of its certificate, and its certificate
 * must be signed by a CA the working identity trusts (the cluster's user CA; during a CA rotation
 * Teleport and tbot put the old and the new CA in the file, so a rotated identity still passes). A
 * foreign cluster's, an expired or a half-written identity is refused and the working one kept.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { TeleportCredentials } from '../teleport-client/tls';

/** Why `next` must not replace `current`, or undefined when it may. Never quotes key material. */
export function identityRefreshProblem(next: TeleportCredentials, current: TeleportCredentials, now = Date.now()): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(next.cert);
  } catch {
    return 'its TLS certificate cannot be parsed';
  }
  if (new Date(cert.validTo).getTime() <= now) return `its certificate expired at ${new Date(cert.validTo).toISOString()}`;
  if (new Date(cert.validFrom).getTime() > now) return `its certificate is valid only from ${new Date(cert.validFrom).toISOString()}`;
  try {
    if (!cert.checkPrivateKey(createPrivateKey(next.key))) return 'its private key does not match its certificate';
  } catch {
    return 'its private key cannot be parsed';
  }
  const pems = typeof current.rootCAs === 'string' || Buffer.isBuffer(current.rootCAs) ? splitPems(String(current.rootCAs)) : current.rootCAs.flatMap((p) => splitPems(String(p)));
  const trusted = pems.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  if (!trusted.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) return "its certificate is not signed by the cluster's CA (the CA of the identity in use)";
  return undefined;
}

function splitPems(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
