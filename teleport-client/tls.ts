/**
 * mTLS channel credentials for the Auth service, set up as Teleport's Go client does
 * (api/client/credentials.go configureTLS, api/client ConfigureALPN):
 *  - the client certificate is always presented;
 *  - the server is verified against the identity's TLS CAs under the name
 *    `teleport.cluster.local` (constants.APIDomain), whatever address is dialled; SNI carries it too;
 *  - ALPN offers "h2"; for TLS routing through a Proxy, "teleport-auth@<hex(cluster)>.teleport.cluster.local"
 *    goes first (constants.ALPNSNIAuthProtocol), still followed by "h2".
 *
 * grpc-js hard-codes ALPN ["h2"], so the routed variant subclasses ChannelCredentials and performs
 * the TLS handshake itself (ChannelCredentials._createSecureConnector, grpc-js 1.14).
 */
import { createHash } from 'node:crypto';
import * as tls from 'node:tls';
import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type { IdentityFile } from './identity-file';

export const API_DOMAIN = 'teleport.cluster.local';

export interface TeleportCredentials {
  /** PEM private key (secret). */
  key: string | Buffer;
  /** PEM client certificate. */
  cert: string | Buffer;
  /** PEM CA certificate(s) that sign the Auth server's certificate. */
  rootCAs: string | Buffer | readonly (string | Buffer)[];
}

export function credentialsFromIdentity(id: IdentityFile): TeleportCredentials {
  return { key: id.privateKeyPem, cert: id.tlsCertPem, rootCAs: id.tlsCaPems };
}

function caList(c: TeleportCredentials): Buffer[] {
  const list = Array.isArray(c.rootCAs) ? c.rootCAs : [c.rootCAs as string | Buffer];
  return list.map((x) => Buffer.from(x));
}

/** Identifies a credential set without exposing it: hash of key, certificate and CAs. */
export function credentialsFingerprint(c: TeleportCredentials): string {
  const h = createHash('sha256');
  for (const part of [Buffer.from(c.key), Buffer.from(c.cert), ...caList(c)]) h.update(part).update('\0');
  return h.digest('hex');
}

/** ALPN protocol that routes a TLS connection through the Proxy to the Auth service. */
export function authRoutingProtocol(clusterName: string): string {
  return `teleport-auth@${Buffer.from(clusterName, 'utf8').toString('hex')}.${API_DOMAIN}`;
}

function verifyServerName(serverName: string) {
  return (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(serverName, cert);
}

/** Channel credentials and options for a direct connection (Auth port 3025). */
export function directChannel(c: TeleportCredentials, serverName: string): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  return {
    credentials: grpc.credentials.createSsl(Buffer.concat(caList(c)), Buffer.from(c.key), Buffer.from(c.cert), {
      checkServerIdentity: verifyServerName(serverName),
    }),
    options: { 'grpc.ssl_target_name_override': serverName, 'grpc.default_authority': serverName },
  };
}

/** TLS routing through a Proxy's web port: ALPN [route, "h2"], SNI = serverName. */
class RoutedTlsCredentials extends grpc.ChannelCredentials {
  constructor(
    private readonly creds: TeleportCredentials,
    private readonly serverName: string,
    private readonly alpn: string[],
  ) {
    super();
  }

  _isSecure(): boolean {
    return true;
  }

  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector() {
    const { creds, serverName, alpn } = this;
    return {
      connect(socket: Socket) {
        return new Promise<{ socket: Socket; secure: boolean }>((resolve, reject) => {
          const s = tls.connect({
            socket,
            servername: serverName,
            ALPNProtocols: alpn,
            key: creds.key,
            cert: creds.cert,
            ca: caList(creds),
            checkServerIdentity: verifyServerName(serverName),
          });
          s.once('secureConnect', () => (s.authorized ? resolve({ socket: s, secure: true }) : reject(s.authorizationError)));
          s.once('error', reject);
        });
      },
      waitForReady: () => Promise.resolve(),
      getCallCredentials: () => grpc.credentials.createEmpty(),
      destroy() {},
    };
  }
}

export function routedChannel(c: TeleportCredentials, serverName: string, clusterName: string): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  return {
    credentials: new RoutedTlsCredentials(c, serverName, [authRoutingProtocol(clusterName), 'h2']),
    options: { 'grpc.default_authority': serverName },
  };
}
