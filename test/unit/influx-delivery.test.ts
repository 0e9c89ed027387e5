import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchCoverage, markedReadings } from '../../support/checks/delivery';
import { influxUrlsOf } from '../../support/checks/influx';
import { quoteString } from '../../support/clients/influx';

test('batch coverage: every id exactly once passes; missing, duplicated and foreign values are named', () => {
  assert.deepEqual(batchCoverage(3, [1, 2, 3]), { missing: [], duplicated: [], foreign: [] });
  assert.deepEqual(batchCoverage(5, [1, 2, 2, 5, 9, 'x']), { missing: [3, 4], duplicated: [2], foreign: [9, 'x'] });
  assert.deepEqual(batchCoverage(2, []).missing, [1, 2]);
});

test('marked readings: one id and one millisecond each, shaped like the producer readings the processor maps to points', () => {
  const msgs = markedReadings({ id: 'kubeproof-batch-1', count: 3, firstMs: Date.UTC(2025, 0, 1) });
  const values = msgs.map((m) => JSON.parse(m.value));
  assert.deepEqual(
    values.map((v) => [v.seq, v.producer, v.timestamp]),
    [
      [1, 'kubeproof-batch-1', '2025-01-01T00:00:00.000Z'],
      [2, 'kubeproof-batch-1', '2025-01-01T00:00:00.001Z'],
      [3, 'kubeproof-batch-1', '2025-01-01T00:00:00.002Z'],
    ],
  );
  assert.ok(
    values.every((v) => typeof v.speed_mps === 'number'),
    'a field the processor writes',
  );
});

test("the writer's InfluxDB URLs come from env names mentioning INFLUX", () => {
  assert.deepEqual(influxUrlsOf({ INFLUXDB_URL: 'https://influxdb:8086', KAFKA_BROKERS: 'kafka:9093', INFLUXDB_DB: 'conveyor', OTHER_URL: 'http://x' }), [
    { name: 'INFLUXDB_URL', url: 'https://influxdb:8086' },
  ]);
  assert.deepEqual(influxUrlsOf({ KAFKA_TOPIC: 'conveyor' }), []);
});

test('InfluxQL string literals are quoted', () => {
  assert.equal(quoteString("it's"), "'it\\'s'");
});
