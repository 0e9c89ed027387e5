import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dumpedTables, parseDataAddress } from '../../support/checks/data';
import { BadInputError } from '../../support/engine/errors';

// How the data steps read an address: a Service of the platform namespace unless one is named.

test('a PostgreSQL address names the Service, port and database', () => {
  assert.deepEqual(parseDataAddress('postgresql:5432/giia_dev', 'PostgreSQL', 'giia-dev'), {
    text: 'postgresql:5432/giia_dev',
    kind: 'PostgreSQL',
    port: 5432,
    database: 'giia_dev',
    service: { name: 'postgresql', namespace: 'giia-dev' },
  });
});

test('a namespace in the host, a fully qualified name and the default port', () => {
  const a = parseDataAddress('redis-master.giia-dev.svc.cluster.local', 'Redis', 'other');
  assert.deepEqual([a.service, a.port], [{ name: 'redis-master', namespace: 'giia-dev' }, 6379]);
  assert.equal(parseDataAddress('nats', 'NATS', 'ns').port, 4222);
});

test('an IP or localhost is connected to directly', () => {
  const a = parseDataAddress('127.0.0.1:15432/app', 'PostgreSQL', 'ns');
  assert.deepEqual([a.host, a.port, a.service], ['127.0.0.1', 15432, undefined]);
});

test('a PostgreSQL address without a database, or a database on Redis, is bad input', () => {
  assert.throws(() => parseDataAddress('postgresql:5432', 'PostgreSQL', 'ns'), BadInputError);
  assert.throws(() => parseDataAddress('redis:6379/0', 'Redis', 'ns'), BadInputError);
  assert.throws(() => parseDataAddress('nats://nats:4222', 'NATS', 'ns'), /not a NATS address/);
});

test("a plain pg_dump's COPY blocks give each table's row count, empty tables included", () => {
  const dump = [
    '-- PostgreSQL database dump',
    'COPY auth.kubeproof_backup (note, at) FROM stdin;',
    'before the backup\t2026-11-25 02:00:00+00',
    'second\t2026-11-25 02:01:00+00',
    '\\.',
    '',
    'COPY catalog.items (id) FROM stdin;',
    '\\.',
    '-- PostgreSQL database dump complete',
  ].join('\n');
  assert.deepEqual(dumpedTables(dump), [
    { table: 'auth.kubeproof_backup', rows: 2 },
    { table: 'catalog.items', rows: 0 },
  ]);
});
