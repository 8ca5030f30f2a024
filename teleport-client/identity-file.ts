/**
 * Teleport identity files, as `tctl auth sign --format=file` writes them and Teleport's
 * api/identityfile reads them (encodeIdentityFile / decodeIdentityFile):
 *
 *   1. private key PEM
 *   2. SSH certificate, one line ("ssh-ed25519-cert-v01@openssh.com AAAA...")
 *   3. TLS client certificate PEM
 *   4. SSH CA lines in known_hosts form ("@cert-authority ...")
 *   5. TLS CA certificate PEMs
 *
 * Reading follows Teleport's decoder: lines are trimmed; a line whose first word is an OpenSSH
 * certificate type is the SSH cert; "@cert-authority" lines are SSH CAs; PEM blocks are taken in
 * order (first = private key, second = TLS cert, the rest = TLS CAs); other lines are ignored.
 * We then check what Teleport's TLS setup would reject later (unparsable key or certificate, key
 * not matching the certificate, no CA) and say so up front.
 *
 * Errors name the file and what is wrong, never the key material.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { promises as fs } from 'node:fs';

export interface IdentityFile {
  /** PEM private key (secret: never log it). */
  privateKeyPem: string;
  /** The SSH certificate line; Teleport's reader requires it, TLS does not use it. */
  sshCert?: string;
  /** PEM client certificate for mTLS. */
  tlsCertPem: string;
  /** known_hosts lines beginning "@cert-authority". */
  sshCaLines: string[];
  /** PEM CA certificates that sign the Auth server's certificate. */
  tlsCaPems: string[];
}

export class IdentityFileError extends Error {
  constructor(
    readonly source: string,
    problem: string,
  ) {
    super(`identity file ${source}: ${problem}`);
    this.name = 'IdentityFileError';
  }
}

export interface ParseOptions {
  /** Teleport's ReadFile/FromString insist on an SSH certificate; default true. */
  requireSshCert?: boolean;
}

const SSH_CERT_TYPE = /^[a-z0-9@.-]+-cert-v0[01]@openssh\.com$/;

function pemLabel(block: string): string {
  return /^-----BEGIN ([^-]+)-----/.exec(block)?.[1]?.trim() ?? 'unknown';
}

export function parseIdentityFile(text: string, sourceName: string, opts: ParseOptions = {}): IdentityFile {
  const fail = (problem: string): never => {
    throw new IdentityFileError(sourceName, problem);
  };
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const blocks: string[] = [];
  let sshCert: string | undefined;
  const sshCaLines: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (SSH_CERT_TYPE.test(line.split(' ')[0])) sshCert = line;
    else if (line.startsWith('@cert-authority')) sshCaLines.push(line);
    else if (line.startsWith('-----BEGIN')) {
      const start = i;
      while (i < lines.length && !lines[i].startsWith('-----END')) i++;
      if (i >= lines.length) fail(`a PEM block (${pemLabel(lines[start])}) starting on line ${start + 1} has no END line`);
      blocks.push(lines.slice(start, i + 1).join('\n') + '\n');
    }
  }
  if (blocks.length === 0) fail('no PEM blocks found; expected a private key, a TLS certificate and the cluster CA (is this a `tctl auth sign --format=file` identity?)');

  const [keyPem, certPem, ...caPems] = blocks;
  if (!/PRIVATE KEY/.test(pemLabel(keyPem))) fail(`the private key is missing: the first PEM block is a ${pemLabel(keyPem)}, not a PRIVATE KEY`);
  if (!certPem) fail('the TLS certificate is missing: only a private key was found');
  if (pemLabel(certPem) !== 'CERTIFICATE') fail(`the TLS certificate is missing: the second PEM block is a ${pemLabel(certPem)}`);
  if (caPems.length === 0) fail('no trusted TLS CA certificate found after the TLS certificate; the Auth server cannot be verified');
  if ((opts.requireSshCert ?? true) && !sshCert) fail('could not find the SSH certificate line (ssh-...-cert-v01@openssh.com)');

  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    fail('the private key PEM block cannot be parsed');
  }
  let cert: X509Certificate | undefined;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    fail('the TLS certificate PEM block cannot be parsed');
  }
  if (!cert!.checkPrivateKey(key!)) fail('the private key does not match the TLS certificate');
  caPems.forEach((ca, n) => {
    try {
      new X509Certificate(ca);
    } catch {
      fail(`trusted CA certificate #${n + 1} cannot be parsed`);
    }
  });
  return { privateKeyPem: keyPem, sshCert, tlsCertPem: certPem, sshCaLines, tlsCaPems: caPems };
}

/** The file text, in tctl's order, each part ending with a newline. */
export function formatIdentityFile(id: IdentityFile): string {
  const nl = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  return [id.privateKeyPem, id.sshCert ?? '', id.tlsCertPem, ...id.sshCaLines, ...id.tlsCaPems]
    .filter((p) => p !== '')
    .map(nl)
    .join('');
}

export async function readIdentityFile(path: string, opts?: ParseOptions): Promise<IdentityFile> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new IdentityFileError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseIdentityFile(text, path, opts);
}

/**
 * Writes with mode 0600 (Teleport's FilePermissions) via a temporary file and rename, so a reader
 * never sees half a rotated identity.
 */
export async function writeIdentityFile(path: string, id: IdentityFile): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, formatIdentityFile(id), { mode: 0o600 });
  await fs.rename(tmp, path);
}

/** Subject user and roles of the TLS certificate (CN and O, as Teleport's tlsca encodes them). */
export function identitySubject(id: IdentityFile): { user: string; roles: string[]; notAfter: Date } {
  const cert = new X509Certificate(id.tlsCertPem);
  const fields = cert.subject.split('\n');
  const values = (attr: string) => fields.filter((f) => f.startsWith(`${attr}=`)).map((f) => f.slice(attr.length + 1));
  return { user: values('CN')[0] ?? '', roles: values('O'), notAfter: new Date(cert.validTo) };
}
