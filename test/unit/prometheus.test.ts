import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, defaultStepMs, parseQueryData, parseRules, parseTargets, satisfies, scalar, summarizeInstant } from '../../support/clients/prometheus';
import { parseSampleValue, requestRecord } from '../../support/clients/series';
import { parseComparison } from '../../support/engine/compare';
import { BadInputError } from '../../support/engine/errors';

// Shapes as Prometheus 2.42 answers them.
const vector = {
  resultType: 'vector' as const,
  result: [
    { metric: { __name__: 'up', job: 'producer', instance: '127.0.0.1:19400' }, value: [1763780000.123, '1'] },
    { metric: { __name__: 'up', job: 'prometheus', instance: 'localhost:19090' }, value: [1763780000.123, '0'] },
  ],
};

test('a vector result becomes samples with ms timestamps and numeric values', () => {
  const r = parseQueryData(vector);
  assert.equal(r.resultType, 'vector');
  assert.deepEqual(r.samples[0], { metric: { __name__: 'up', job: 'producer', instance: '127.0.0.1:19400' }, timeMs: 1763780000123, value: 1 });
  assert.equal(r.samples[1].value, 0);
  assert.deepEqual(r.series, []);
});

test('a matrix result becomes series of [ms, value] points', () => {
  const r = parseQueryData({
    resultType: 'matrix',
    result: [
      {
        metric: { job: 'producer' },
        values: [
          [1763780000, '0.5'],
          [1763780015, 'NaN'],
          [1763780030, '+Inf'],
        ],
      },
    ],
  });
  assert.equal(r.series.length, 1);
  assert.deepEqual(r.series[0].points[0], [1763780000000, 0.5]);
  assert.ok(Number.isNaN(r.series[0].points[1][1]));
  assert.equal(r.series[0].points[2][1], Infinity);
});

test('a scalar result is one sample without labels', () => {
  const r = parseQueryData({ resultType: 'scalar', result: [1763780000, '42'] });
  assert.deepEqual(r.samples, [{ metric: {}, timeMs: 1763780000000, value: 42 }]);
});

test('special values parse as numbers', () => {
  assert.equal(parseSampleValue('-Inf'), -Infinity);
  assert.equal(parseSampleValue('+Inf'), Infinity);
  assert.ok(Number.isNaN(parseSampleValue('NaN')));
  assert.equal(parseSampleValue('1e3'), 1000);
});

test('aggregate sums, averages and counts; nothing to aggregate is undefined', () => {
  const samples = [{ value: 1 }, { value: 3 }, { value: 8 }];
  assert.equal(aggregate(samples), 12);
  assert.equal(aggregate(samples, 'avg'), 4);
  assert.equal(aggregate(samples, 'min'), 1);
  assert.equal(aggregate(samples, 'max'), 8);
  assert.equal(aggregate(samples, 'count'), 3);
  assert.equal(aggregate([], 'sum'), undefined);
});

test('scalar() wants exactly one sample and says why otherwise', () => {
  assert.equal(scalar({ query: 'sum(up)', samples: [{ metric: {}, timeMs: 0, value: 2 }] }), 2);
  assert.throws(
    () => scalar({ query: 'up', samples: parseQueryData(vector).samples }),
    (e: unknown) => e instanceof BadInputError && /`up` returned 2 samples/.test((e as Error).message),
  );
  assert.throws(() => scalar({ query: 'nope', samples: [] }), /returned 0 samples/);
});

test('satisfies: every sample by default, some sample on request, never on an empty result', () => {
  const r = parseQueryData(vector);
  const gt0 = parseComparison('greater than');
  assert.equal(satisfies(r, gt0, 0), false);
  assert.equal(satisfies(r, gt0, 0, 'any'), true);
  assert.equal(satisfies({ samples: [] }, parseComparison('at least'), 0), false);
});

test('summaries name series and values for timeout messages', () => {
  assert.equal(
    summarizeInstant(parseQueryData(vector)),
    '2 samples: up{job="producer", instance="127.0.0.1:19400"}=1, up{job="prometheus", instance="localhost:19090"}=0',
  );
  assert.equal(summarizeInstant({ resultType: 'vector', samples: [], series: [] }), 'empty result (no series match)');
});

test('targets keep job, health, last error and scrape URL', () => {
  const [t] = parseTargets([
    {
      discoveredLabels: { __address__: '127.0.0.1:19400', job: 'producer' },
      labels: { instance: '127.0.0.1:19400', job: 'producer' },
      scrapePool: 'producer',
      scrapeUrl: 'http://127.0.0.1:19400/metrics',
      lastError: 'connection refused',
      lastScrape: '2026-11-22T02:00:00Z',
      lastScrapeDuration: 0.0123,
      health: 'down',
    },
  ]);
  assert.equal(t.job, 'producer');
  assert.equal(t.health, 'down');
  assert.equal(t.lastError, 'connection refused');
  assert.equal(t.scrapeUrl, 'http://127.0.0.1:19400/metrics');
  assert.equal(t.lastScrapeDurationMs, 12);
});

test('rules are flattened with their group and alerts', () => {
  const rules = parseRules([
    {
      name: 'conveyor',
      file: '/etc/prometheus/rules.yml',
      rules: [
        {
          name: 'ProducerStalled',
          type: 'alerting',
          query: 'rate(x[1m]) == 0',
          health: 'ok',
          state: 'firing',
          labels: { severity: 'warning' },
          alerts: [{ labels: { alertname: 'ProducerStalled' }, state: 'firing', activeAt: 't', value: '0e+00' }],
        },
        { name: 'job:up:sum', type: 'recording', query: 'sum by (job) (up)', health: 'ok' },
      ],
    },
  ]);
  assert.equal(rules.length, 2);
  assert.equal(rules[0].group, 'conveyor');
  assert.equal(rules[0].alerts[0].state, 'firing');
  assert.equal(rules[1].type, 'recording');
});

test('request records carry the full URL and the step aims at ~200 points', () => {
  const r = requestRecord('http://127.0.0.1:19090', '/api/v1/query', { query: 'sum(rate(x[1m]))' });
  assert.equal(r.url, 'http://127.0.0.1:19090/api/v1/query?query=sum%28rate%28x%5B1m%5D%29%29');
  assert.equal(defaultStepMs(0, 60_000), 1000);
  assert.equal(defaultStepMs(0, 3_600_000), 18_000);
});
