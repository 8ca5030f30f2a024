/**
 * A tiny certificate authority for the Teleport simulator, built on node:crypto only.
 *
 * node:crypto can parse X.509 certificates but not create them, so this file encodes the few
 * DER structures needed (RFC 5280 TBSCertificate with ECDSA P-256 / SHA-256, the usual extensions)
 * and signs them with crypto.sign. It also writes OpenSSH user certificates (PROTOCOL.certkeys)
 * so identity files carry a real SSH cert line, as `tctl auth sign` writes them.
 *
 * User identities follow Teleport's lib/tlsca Identity.Subject(): CommonName = user name,
 * Organization = roles (one O attribute per role), Locality = logins, PostalCode = traits JSON.
 */
import { KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import type { IdentityFile } from '../../teleport-client/identity-file';

// ---------------------------------------------------------------------------------------------
// DER

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer) => tlv(0x04, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);

function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  // UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5).
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  locality: '2.5.4.7',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  postalCode: '2.5.4.17',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

export interface SubjectName {
  commonName: string;
  organization?: string[];
  organizationalUnit?: string[];
  locality?: string[];
  postalCode?: string[];
}

function name(s: SubjectName): Buffer {
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  return seq(
    ...(s.organization ?? []).map((v) => rdn(OID.organization, v)),
    ...(s.organizationalUnit ?? []).map((v) => rdn(OID.organizationalUnit, v)),
    ...(s.locality ?? []).map((v) => rdn(OID.locality, v)),
    ...(s.postalCode ?? []).map((v) => rdn(OID.postalCode, v)),
    rdn(OID.commonName, s.commonName),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

function keyId(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

function sanExtension(names: string[]): Buffer {
  const general = names.map((n) => {
    if (isIP(n) === 4) return tlv(0x87, Buffer.from(n.split('.').map(Number)));
    return tlv(0x82, Buffer.from(n, 'ascii'));
  });
  return extension(OID.subjectAltName, false, seq(...general));
}

// ---------------------------------------------------------------------------------------------
// Certificates

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newKeyPair(): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

export interface CertAuthority {
  keys: KeyPair;
  certPem: string;
  subject: SubjectName;
  spki: Buffer;
}

interface IssueOptions {
  subject: SubjectName;
  publicKey: KeyObject;
  /** The signing CA, or the subject's own private key for a self-signed CA certificate. */
  issuer: { subject: SubjectName; privateKey: KeyObject; spki: Buffer } | { self: KeyObject };
  notBefore?: Date;
  notAfter: Date;
  ca?: boolean;
  dnsNames?: string[];
}

function issue(o: IssueOptions): string {
  const spki = o.publicKey.export({ type: 'spki', format: 'der' });
  const issuerSubject = 'self' in o.issuer ? o.subject : o.issuer.subject;
  const issuerSpki = 'self' in o.issuer ? spki : o.issuer.spki;
  const signer = 'self' in o.issuer ? o.issuer.self : o.issuer.privateKey;
  const alg = seq(oid(OID.ecdsaWithSha256));
  const exts = [
    extension(OID.basicConstraints, true, o.ca ? seq(bool(true)) : seq()),
    // digitalSignature (bit 0); CAs also keyCertSign (5) and cRLSign (6).
    extension(OID.keyUsage, true, o.ca ? bitString(Buffer.from([0x86]), 1) : bitString(Buffer.from([0x80]), 7)),
    ...(o.ca ? [] : [extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth), oid(OID.clientAuth)))]),
    extension(OID.subjectKeyId, false, octets(keyId(spki))),
    extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(issuerSpki)))),
    ...(o.dnsNames && o.dnsNames.length > 0 ? [sanExtension(o.dnsNames)] : []),
  ];
  const notBefore = o.notBefore ?? new Date(Date.now() - 60_000);
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    alg,
    name(issuerSubject),
    seq(time(notBefore), time(o.notAfter)),
    name(o.subject),
    spki,
    explicit(3, seq(...exts)),
  );
  return toPem('CERTIFICATE', seq(tbs, alg, bitString(sign('sha256', tbs, signer))));
}

function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export function createCertAuthority(clusterName: string, label = 'Host CA'): CertAuthority {
  const keys = newKeyPair();
  const subject: SubjectName = { commonName: clusterName, organization: [`${clusterName} ${label}`] };
  const certPem = issue({ subject, publicKey: keys.publicKey, issuer: { self: keys.privateKey }, notAfter: new Date(Date.now() + 10 * 365 * 86400_000), ca: true });
  return { keys, certPem, subject, spki: keys.publicKey.export({ type: 'spki', format: 'der' }) };
}

export function issueCertificate(ca: CertAuthority, o: { subject: SubjectName; publicKey: KeyObject; notAfter: Date; dnsNames?: string[] }): string {
  return issue({ ...o, issuer: { subject: ca.subject, privateKey: ca.keys.privateKey, spki: ca.spki } });
}

// ---------------------------------------------------------------------------------------------
// OpenSSH certificates

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const l = Buffer.alloc(4);
  l.writeUInt32BE(body.length);
  return Buffer.concat([l, body]);
}

function uint64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export interface SshCA {
  privateKey: KeyObject;
  publicBlob: Buffer;
}

export function createSshCA(): SshCA {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { privateKey, publicBlob: Buffer.concat([sshString('ssh-ed25519'), sshString(raw)]) };
}

/** An ecdsa-sha2-nistp256 user certificate for `publicKey`, signed by the SSH CA. */
export function sshUserCert(ca: SshCA, publicKey: KeyObject, o: { keyId: string; principals: string[]; validBefore: Date }): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const q = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x as string, 'base64url'), Buffer.from(jwk.y as string, 'base64url')]);
  const type = 'ecdsa-sha2-nistp256-cert-v01@openssh.com';
  const extensions = ['permit-agent-forwarding', 'permit-port-forwarding', 'permit-pty'].map((e) => Buffer.concat([sshString(e), sshString('')]));
  const body = Buffer.concat([
    sshString(type),
    sshString(randomBytes(32)),
    sshString('nistp256'),
    sshString(q),
    uint64(BigInt(Date.now())),
    uint32(1), // SSH_CERT_TYPE_USER
    sshString(o.keyId),
    sshString(Buffer.concat(o.principals.map((p) => sshString(p)))),
    uint64(BigInt(Math.floor(Date.now() / 1000) - 60)),
    uint64(BigInt(Math.floor(o.validBefore.getTime() / 1000))),
    sshString(''),
    sshString(Buffer.concat(extensions)),
    sshString(''),
    sshString(ca.publicBlob),
  ]);
  const signature = Buffer.concat([sshString('ssh-ed25519'), sshString(sign(null, body, ca.privateKey))]);
  return `${type} ${Buffer.concat([body, sshString(signature)]).toString('base64')}`;
}

// ---------------------------------------------------------------------------------------------
// Identities

export interface IdentityRequest {
  user: string;
  roles: string[];
  logins?: string[];
  traits?: Record<string, string[]>;
  ttlMs?: number;
}

/** A tctl-style identity (key, SSH cert, TLS cert, CAs) for a user, signed by the given CAs. */
export function issueIdentity(userCA: CertAuthority, hostCA: CertAuthority, sshCA: SshCA, clusterName: string, r: IdentityRequest): IdentityFile {
  const keys = newKeyPair();
  const notAfter = new Date(Date.now() + (r.ttlMs ?? 3600_000));
  const tlsCertPem = issueCertificate(userCA, {
    subject: {
      commonName: r.user,
      organization: r.roles,
      locality: r.logins ?? [],
      postalCode: [JSON.stringify(r.traits ?? {})],
    },
    publicKey: keys.publicKey,
    notAfter,
  });
  const sshCaLine = `@cert-authority ${clusterName},*.${clusterName} ssh-ed25519 ${sshCA.publicBlob.toString('base64')} type=host`;
  return {
    privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    sshCert: sshUserCert(sshCA, keys.publicKey, { keyId: r.user, principals: r.logins ?? [r.user], validBefore: notAfter }),
    tlsCertPem,
    sshCaLines: [sshCaLine],
    tlsCaPems: [hostCA.certPem],
  };
}

export { toPem };
