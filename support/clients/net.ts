import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { Socket } from 'node:net';

/** What a TCP connect found: something accepted, the host said no, or nothing answered. */
export interface TcpResult {
  state: 'open' | 'refused' | 'no answer' | 'unreachable';
  detail: string;
  ms: number;
}

/**
 * One TCP connect with a timeout. Refused (RST, or ICMP port unreachable) is
 * an answer: the address is up and nothing listens. A timeout or no route is
 * no answer at all, and proves nothing about the port.
 */
export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<TcpResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (state: TcpResult['state'], detail: string) => {
      s.destroy();
      resolve({ state, detail: `${host}:${port} ${detail}`, ms: Math.round(performance.now() - started) });
    };
    s.setTimeout(timeoutMs, () => done('no answer', `did not answer within ${timeoutMs}ms`));
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') done('refused', 'refused the connection (ECONNREFUSED)');
      else done('unreachable', `is unreachable (${e.code ?? e.message})`);
    });
    s.connect(port, host, () => done('open', 'accepted the connection'));
  });
}

/** What a TLS handshake showed, validated against a given CA. */
export interface TlsResult {
  address: string;
  serverName: string;
  protocol: string;
  cipher: string;
  subject: string;
  issuer: string;
  subjectAltName: string;
  validFrom: string;
  validTo: string;
  validToMs: number;
  fingerprint256: string;
  /** Chain validation against the CA given (never the system's CAs): undefined when it validates. */
  chainError?: string;
  /** Host name check of `serverName` against the certificate: undefined when it matches. */
  nameError?: string;
}

/** A TLS handshake that never trusts by default: the chain is checked against `caPem`, the name against the certificate. */
export function tlsHandshake(host: string, port: number, serverName: string, caPem: string, timeoutMs: number): Promise<TlsResult> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({ host, port, servername: serverName, ca: [caPem], rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const cert = socket.getPeerCertificate();
      const nameError = checkServerIdentity(serverName, cert);
      resolve({
        address: `${host}:${port}`,
        serverName,
        protocol: socket.getProtocol() ?? '',
        cipher: socket.getCipher()?.name ?? '',
        subject: dn(cert.subject),
        issuer: dn(cert.issuer),
        subjectAltName: cert.subjectaltname ?? '',
        validFrom: cert.valid_from ?? '',
        validTo: cert.valid_to ?? '',
        validToMs: cert.valid_to ? Date.parse(cert.valid_to) : NaN,
        fingerprint256: cert.fingerprint256 ?? '',
        chainError: socket.authorized ? undefined : String(socket.authorizationError),
        nameError: nameError?.message,
      });
      socket.end();
    });
    socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs}ms`)));
    socket.once('error', (e) => reject(new Error(`TLS handshake with ${host}:${port} failed: ${e.message}`)));
  });
}

function dn(o: object | undefined): string {
  return o
    ? Object.entries(o)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : '';
}
