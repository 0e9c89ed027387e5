import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeHelmRelease, helmValueAt, maskSetArgs, secretLooking, valuePath, type HelmRelease } from '../../support/clients/helm';

const release: HelmRelease = {
  name: 'auth',
  namespace: 'giia-dev',
  version: 2,
  info: { status: 'deployed' },
  chart: {
    metadata: { name: 'auth-service', version: '0.1.0', appVersion: '1.0.0' },
    values: { replicaCount: 2, ingress: { hosts: [{ host: 'auth.giia.local' }] } },
  },
  config: { replicaCount: 3 },
};

test('a release Secret decodes: Kubernetes base64 of Helm base64 of gzip JSON', () => {
  const helmText = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  const secretData = Buffer.from(helmText).toString('base64');
  assert.deepEqual(decodeHelmRelease(secretData), release);
});

test('values: given values win over chart defaults; paths with indexes; absent is said', () => {
  assert.deepEqual(helmValueAt(release, 'replicaCount'), { found: true, value: 3, source: 'given' });
  assert.deepEqual(helmValueAt(release, 'ingress.hosts[0].host'), { found: true, value: 'auth.giia.local', source: 'chart default' });
  assert.equal(helmValueAt(release, 'ingress.hosts[1].host').found, false);
  assert.deepEqual(valuePath('a.b[2].c'), ['a', 'b', 2, 'c']);
  assert.throws(() => valuePath('a..b'), /not a values path/);
});

test('secret-looking --set values are masked on the command line', () => {
  assert.ok(secretLooking('auth.apiToken') && secretLooking('DATABASE_PASSWORD') && !secretLooking('replicaCount'));
  assert.deepEqual(maskSetArgs(['upgrade', 'x', '--set', 'db.password=s3cret', '--set', 'replicaCount=3']), [
    'upgrade',
    'x',
    '--set',
    'db.password=***',
    '--set',
    'replicaCount=3',
  ]);
});
