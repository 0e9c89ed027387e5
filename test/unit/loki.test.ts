import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nsToMs, parseLokiData } from '../../support/clients/loki';

test('streams become flat lines, oldest first, with labels and exact ns timestamps', () => {
  const r = parseLokiData({
    resultType: 'streams',
    result: [
      {
        stream: { app: 'producer', level: 'info' },
        values: [
          ['1763780002000000001', 'Speed: 12 events/s'],
          ['1763780000000000000', 'Speed: 10 events/s'],
        ],
      },
      { stream: { app: 'producer', level: 'error' }, values: [['1763780001500000000', 'ERROR lost connection']] },
    ],
  });
  assert.equal(r.resultType, 'streams');
  assert.deepEqual(
    r.lines.map((l) => l.line),
    ['Speed: 10 events/s', 'ERROR lost connection', 'Speed: 12 events/s'],
  );
  assert.equal(r.lines[2].timestampNs, '1763780002000000001');
  assert.equal(r.lines[2].timeMs, 1763780002000);
  assert.deepEqual(r.lines[1].labels, { app: 'producer', level: 'error' });
});

test('a metric query (matrix) becomes Prometheus-shaped series', () => {
  const r = parseLokiData({
    resultType: 'matrix',
    result: [
      {
        metric: { app: 'producer' },
        values: [
          [1763780000, '3'],
          [1763780015.5, '4.5'],
        ],
      },
    ],
  });
  assert.deepEqual(r.series, [
    {
      metric: { app: 'producer' },
      points: [
        [1763780000000, 3],
        [1763780015500, 4.5],
      ],
    },
  ]);
  assert.deepEqual(r.lines, []);
});

test('an instant vector becomes one-point series', () => {
  const r = parseLokiData({ resultType: 'vector', result: [{ metric: {}, value: [1763780000, '7'] }] });
  assert.deepEqual(r.series, [{ metric: {}, points: [[1763780000000, 7]] }]);
});

test('empty streams are no lines; ns → ms keeps precision', () => {
  assert.deepEqual(parseLokiData({ resultType: 'streams', result: [] }).lines, []);
  assert.equal(nsToMs('1763780002999999999'), 1763780002999);
  assert.equal(nsToMs('0'), 0);
});
