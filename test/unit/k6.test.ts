import { test } from 'node:test';
import assert from 'node:assert/strict';
import { k6Args, k6DurationMs, parseK6Summary, redactArgs } from '../../support/clients/k6';
import { k6Problems } from '../../support/checks/shared/k6';

// Trimmed from a real `k6 v1.8.1 run --summary-export` of fixtures/k6/failing-threshold.js.
const exported = {
  root_group: {
    name: '',
    path: '',
    id: 'd41d8cd98f00b204e9800998ecf8427e',
    groups: {
      login: { name: 'login', path: '::login', groups: {}, checks: { 'token set': { name: 'token set', path: '::login::token set', passes: 1, fails: 1 } } },
    },
    checks: { 'status is 200': { name: 'status is 200', path: '::status is 200', id: '6210a8cd', passes: 5, fails: 0 } },
  },
  metrics: {
    http_req_failed: { passes: 0, fails: 5, thresholds: { 'rate<0.01': false }, value: 0 },
    http_reqs: { count: 5, rate: 475.05 },
    iterations: { count: 5, rate: 475.05 },
    http_req_duration: { min: 0.41, med: 0.66, max: 5.01, 'p(90)': 3.27, 'p(95)': 4.14, avg: 1.46, thresholds: { 'max<0': true } },
    checks: { passes: 5, fails: 0, value: 1 },
    vus_max: { value: 1, min: 1, max: 1 },
  },
};

test('thresholds: true in the export means crossed (failed)', () => {
  const s = parseK6Summary(exported);
  assert.deepEqual(s.thresholds, [
    { metric: 'http_req_failed', expression: 'rate<0.01', ok: true },
    { metric: 'http_req_duration', expression: 'max<0', ok: false },
  ]);
});

test('metrics keep their numeric values; the headline picks the usual figures', () => {
  const s = parseK6Summary(exported);
  assert.equal(s.metrics.http_req_duration['p(95)'], 4.14);
  assert.equal(s.metrics.http_req_duration.thresholds, undefined);
  assert.deepEqual(s.headline, {
    httpReqs: 5,
    httpReqsPerSec: 475.05,
    iterations: 5,
    httpReqDurationP95Ms: 4.14,
    httpReqDurationAvgMs: 1.46,
    httpReqFailedRate: 0,
    checksRate: 1,
    vusMax: 1,
  });
});

test('checks are collected from nested groups', () => {
  const s = parseK6Summary(exported);
  assert.deepEqual(
    s.checks.map((c) => [c.path, c.passes, c.fails]),
    [
      ['::status is 200', 5, 0],
      ['::login::token set', 1, 1],
    ],
  );
});

test('arguments: overrides, env, no usage report, no REST API port; secrets redacted', () => {
  const args = k6Args('/s.js', '/tmp/x.json', { vus: 3, duration: 30_000, env: { TARGET_URL: 'http://a', API_TOKEN: 't0p' } });
  assert.deepEqual(args, [
    'run',
    '--quiet',
    '--no-color',
    '--no-usage-report',
    '--address',
    '',
    '--summary-export=/tmp/x.json',
    '--vus',
    '3',
    '--duration',
    '30s',
    '-e',
    'TARGET_URL=http://a',
    '-e',
    'API_TOKEN=t0p',
    '/s.js',
  ]);
  assert.deepEqual(redactArgs(args).slice(-4), ['TARGET_URL=http://a', '-e', 'API_TOKEN=***', '/s.js']);
  assert.deepEqual(k6Args('/s.js', '/x', { duration: '1m30s' }).slice(7, 9), ['--duration', '1m30s']);
});

test('k6 durations', () => {
  assert.equal(k6DurationMs('30s'), 30_000);
  assert.equal(k6DurationMs('1m30s'), 90_000);
  assert.equal(k6DurationMs('250ms'), 250);
  assert.equal(k6DurationMs('soon'), undefined);
});

// k6's verdict on a run (the background load used to ignore it: exit 99 passed).
const run = (over: Partial<Parameters<typeof k6Problems>[0]>) => ({
  script: 'fixtures/k6/producer-load.js',
  exitCode: 0,
  exitMeaning: 'ok',
  timedOut: false,
  durationMs: 180_000,
  summary: parseK6Summary(exported),
  ...over,
});

test('k6 verdict: a failed threshold with exit 99 fails, naming the threshold and what k6 measured', () => {
  const problems = k6Problems(run({ exitCode: 99, exitMeaning: 'thresholds failed' }));
  assert.deepEqual(problems, ['failed thresholds: http_req_duration max<0 (min 0.41, med 0.66, max 5.01, p(90) 3.27)', 'k6 exited 99 (thresholds failed)']);
});

test('k6 verdict: thresholds met but a non-zero exit still fails; all met and exit 0 passes', () => {
  const met = parseK6Summary({ metrics: { http_req_failed: { value: 0.2, thresholds: { 'rate<0.05': true } }, http_reqs: { count: 10, rate: 1 } } });
  assert.deepEqual(k6Problems(run({ summary: met })), ['failed thresholds: http_req_failed rate<0.05 (measured 0.200)']);
  const ok = parseK6Summary({ metrics: { http_req_failed: { value: 0, thresholds: { 'rate<0.05': false } } } });
  assert.deepEqual(k6Problems(run({ summary: ok, exitCode: 107, exitMeaning: 'script exception' })), ['k6 exited 107 (script exception)']);
  assert.deepEqual(k6Problems(run({ summary: ok })), []);
});

test('k6 verdict: no thresholds, no summary or a kill at the time limit fail', () => {
  assert.match(k6Problems(run({ summary: parseK6Summary({ metrics: {} }) }))[0], /defines no thresholds/);
  assert.match(k6Problems(run({ summary: undefined, exitCode: 107, exitMeaning: 'script exception' }))[0], /wrote no summary \(exit 107: script exception\)/);
  assert.match(k6Problems(run({ timedOut: true }))[0], /killed after 3m/);
});
