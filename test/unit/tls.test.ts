import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { tcpConnect, type TlsResult, tlsHandshake } from '../../support/clients/net';
import { tlsProblems } from '../../support/checks/tls';

// Real sockets and a real TLS server on loopback, with certificates made by openssl.
const dir = mkdtempSync(join(tmpdir(), 'kp-tls-'));
const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
for (const ca of ['ca', 'other-ca'])
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=${ca}`);
ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=influxdb');
writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:influxdb,DNS:influxdb.conveyor-pipeline.svc\n');
ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.ext');
const pem = (f: string) => readFileSync(join(dir, f), 'utf8');
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function withTlsServer<T>(fn: (port: number) => Promise<T>): Promise<T> {
  const server = createTlsServer({ key: pem('server.key'), cert: pem('server.crt') }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
}

test('TLS: the chain validates against the platform CA and the name is in the SANs', async () => {
  await withTlsServer(async (port) => {
    const t = await tlsHandshake('127.0.0.1', port, 'influxdb', pem('ca.crt'), 3000);
    assert.equal(t.chainError, undefined);
    assert.equal(t.nameError, undefined);
    assert.deepEqual(tlsProblems(t, 'ConfigMap ns/influxdb-ca', 60_000), []);
  });
});

test('TLS fails: another CA, a name clients use that the certificate lacks, a certificate inside the validity margin', async () => {
  await withTlsServer(async (port) => {
    const other = await tlsHandshake('127.0.0.1', port, 'influxdb', pem('other-ca.crt'), 3000);
    assert.match(tlsProblems(other, 'ConfigMap ns/kafka-ca', 60_000).join(';'), /does not validate against the CA in ConfigMap ns\/kafka-ca/);
    const wrongName = await tlsHandshake('127.0.0.1', port, 'kafka.conveyor-pipeline.svc', pem('ca.crt'), 3000);
    assert.match(tlsProblems(wrongName, 'ConfigMap ns/influxdb-ca', 60_000).join(';'), /does not name kafka\.conveyor-pipeline\.svc \(SANs: DNS:influxdb/);
    // Valid for one day: a 7-day margin fails it.
    const t = await tlsHandshake('127.0.0.1', port, 'influxdb', pem('ca.crt'), 3000);
    assert.match(tlsProblems(t, 'ConfigMap ns/influxdb-ca', 7 * 86_400_000).join(';'), /expires on .*, in .*, within the .* margin/);
  });
});

test('TLS fails on an expired certificate', () => {
  const expired: TlsResult = {
    address: '10.0.0.1:8086',
    serverName: 'influxdb',
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    subject: 'CN=influxdb',
    issuer: 'CN=ca',
    subjectAltName: 'DNS:influxdb',
    validFrom: 'Jan  1 00:00:00 2020 GMT',
    validTo: 'Jan  2 00:00:00 2020 GMT',
    validToMs: Date.parse('Jan  2 00:00:00 2020 GMT'),
    fingerprint256: '',
  };
  assert.match(tlsProblems(expired, 'ConfigMap ns/influxdb-ca', 0).join(';'), /expired on Jan {2}2 00:00:00 2020 GMT/);
});

test('TCP: refused is told apart from accepted', async () => {
  const server = createTcpServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const open = (server.address() as AddressInfo).port;
  assert.equal((await tcpConnect('127.0.0.1', open, 2000)).state, 'open');
  server.close();
  await new Promise((r) => setTimeout(r, 50));
  const refused = await tcpConnect('127.0.0.1', open, 2000);
  assert.equal(refused.state, 'refused', refused.detail);
});
