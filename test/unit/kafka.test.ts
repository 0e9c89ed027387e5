import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { computeLag, describeFrom, describeKafkaError, isRejection } from '../../support/clients/kafka';

test('lag is high watermark minus committed offset; no commit counts the retained partition', () => {
  const lag = computeLag(
    'processor',
    'conveyor-events',
    [
      { partition: 0, offset: '90' },
      { partition: 1, offset: '-1' },
    ],
    [
      { partition: 1, high: '40', low: '10' },
      { partition: 0, high: '100', low: '0' },
    ],
  );
  assert.deepEqual(lag.partitions, [
    { partition: 0, committed: 90, high: 100, lag: 10 },
    { partition: 1, committed: null, high: 40, lag: 30 },
  ]);
  assert.equal(lag.totalLag, 40);
});

test('topic description joins metadata and watermarks', () => {
  const d = describeFrom(
    't',
    [
      { partitionId: 1, leader: 1, replicas: [1], isr: [1] },
      { partitionId: 0, leader: 1, replicas: [1], isr: [], offlineReplicas: [1] },
    ],
    [
      { partition: 0, low: '5', high: '12' },
      { partition: 1, low: '0', high: '3' },
    ],
  );
  assert.deepEqual(
    d.partitions.map((p) => [p.partition, p.low, p.high, p.isr.length]),
    [
      [0, 5, 12, 0],
      [1, 0, 3, 1],
    ],
  );
  assert.equal(d.messages, 10);
});

test('kafkajs errors are described with their cause', () => {
  const cause = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1');
  const e = new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 2, retryTime: 400 });
  assert.match(describeKafkaError(e), /KafkaJSNumberOfRetriesExceeded: .*ECONNREFUSED 127\.0\.0\.1:1/);
});

test('an aggregate of broker refusals names each and counts as a rejection', () => {
  // kafkajs wraps CreateTopics errors this way; built here from its own classes
  // (at runtime the constructor takes the protocol error's fields, which its typings omit).
  const fields = { message: 'The request attempted to perform an operation on an invalid topic', type: 'INVALID_TOPIC_EXCEPTION', code: 17, retriable: false };
  const invalid = Object.assign(new KafkaJSProtocolError(fields as unknown as Error), { topic: 'bad name!' });
  const aggregate = new KafkaJSAggregateError('Topic creation errors', [invalid]);
  assert.match(describeKafkaError(aggregate), /Topic creation errors; bad name!: The request attempted .* \(INVALID_TOPIC_EXCEPTION\)/);
  assert.equal(isRejection(aggregate), true);
  assert.equal(isRejection(new KafkaJSConnectionError('Connection error')), false);
});
