/**
 * Whether a rotated identity may replace the working one (refresh_identity). Locally: it must parse,
 * be valid now (not expired, not yet-to-come), hold the private key of its certificate, and belong to
 * the same cluster's CA: its certificate is issued by the same CA name as the working one (Teleport's
 * user CA carries the cluster name) and it trusts a CA certificate the working identity trusts (an
 * identity file carries the cluster's host CA; during a CA rotation Teleport writes the old and the
 * new one, so a rotated identity still shares one). Then the relay asks Teleport itself (a Ping with
 * the new credentials, identity-refresh.ts) before switching, which catches a certificate Teleport
 * does not accept. A foreign cluster's, an expired or a half-written identity is refused.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { TeleportCredentials } from '../teleport-client/tls';

function splitPems(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function caPems(c: TeleportCredentials): string[] {
  const list = typeof c.rootCAs === 'string' || Buffer.isBuffer(c.rootCAs) ? [c.rootCAs] : c.rootCAs;
  return list.flatMap((p) => splitPems(String(p))).map((p) => p.replace(/\s+/g, ''));
}

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
  let working: X509Certificate | undefined;
  try {
    working = new X509Certificate(current.cert);
  } catch {
    working = undefined;
  }
  const sharedCa = caPems(next).some((p) => caPems(current).includes(p));
  if ((working && cert.issuer !== working.issuer) || !sharedCa) return "its certificate is not from the cluster's CA (another issuer, or no CA in common with the identity in use)";
  return undefined;
}
