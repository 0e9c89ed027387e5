import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPrometheusDuration, parseDuration, parsePrometheusDuration } from '../../support/engine/duration';
import { alertState, describeAlertLook, evaluatedAtMs } from '../../support/checks/alerts';
import { effectiveRetention, nearestKeys, scrapeIntervals, settingAt, settingEquals, zeroLike } from '../../support/checks/config';
import { parseRules } from '../../support/clients/prometheus';

test('durations in Prometheus notation parse: days, weeks, years, and a bare 0', () => {
  assert.equal(parseDuration('15d'), 15 * 86_400_000);
  assert.equal(parseDuration('1w'), 7 * 86_400_000);
  assert.equal(parseDuration('1y'), 365 * 86_400_000);
  assert.equal(parseDuration('1d12h'), 36 * 3_600_000);
  assert.equal(parsePrometheusDuration('0'), 0);
  assert.equal(parsePrometheusDuration('0s'), 0);
  assert.equal(parsePrometheusDuration('1m'), 60_000);
  assert.equal(parsePrometheusDuration('10GiB'), undefined);
  assert.equal(parsePrometheusDuration('soon'), undefined);
});

test('durations print as Prometheus prints them', () => {
  assert.equal(formatPrometheusDuration(15 * 86_400_000), '15d');
  assert.equal(formatPrometheusDuration(744 * 3_600_000), '31d');
  assert.equal(formatPrometheusDuration(28 * 86_400_000), '4w');
  assert.equal(formatPrometheusDuration(90_000), '1m30s');
  assert.equal(formatPrometheusDuration(0), '0s');
  assert.equal(formatPrometheusDuration(Infinity), 'unbounded');
});

// Shapes as Prometheus 2.42 answers /api/v1/rules?type=alert.
const [neverFires, watchdog] = parseRules([
  {
    name: 'kubeproof-alerts',
    file: '/tmp/rules.yml',
    interval: 1,
    rules: [
      {
        name: 'KubeproofNeverFires',
        type: 'alerting',
        query: 'vector(1) < 0',
        health: 'ok',
        state: 'inactive',
        lastEvaluation: '2026-11-24T17:00:00.123456789Z',
      },
      {
        name: 'Watchdog',
        type: 'alerting',
        query: 'vector(1)',
        health: 'ok',
        state: 'firing',
        duration: 0,
        lastEvaluation: '0001-01-01T00:00:00Z',
        alerts: [{ labels: { alertname: 'Watchdog', severity: 'none' }, state: 'firing', activeAt: '2026-11-24T16:59:00Z', value: '1e+00' }],
      },
    ],
  },
]);

test('rules carry their group interval, last evaluation and for', () => {
  assert.equal(neverFires.intervalMs, 1000);
  assert.equal(evaluatedAtMs(neverFires), Date.parse('2026-11-24T17:00:00.123Z'));
  assert.equal(evaluatedAtMs(watchdog), undefined, "Go's zero time: never evaluated");
});

test('an alert is missing, inactive, pending or firing', () => {
  assert.equal(alertState({ rules: [], instances: [] }), 'missing');
  assert.equal(alertState({ rules: [neverFires], instances: [] }), 'inactive');
  assert.equal(alertState({ rules: [watchdog], instances: [{ labels: {}, annotations: {}, state: 'pending' }] }), 'pending');
  assert.equal(alertState({ rules: [watchdog], instances: watchdog.alerts }), 'firing');
});

test('a missing alert names the loaded alerting rules; a present one its instances and rule', () => {
  assert.equal(
    describeAlertLook({ name: 'NoSuch', rules: [], loaded: ['Watchdog', 'KubeproofNeverFires', 'Watchdog'], instances: [] }),
    'no alerting rule named "NoSuch" is loaded; loaded alerting rules: KubeproofNeverFires, Watchdog',
  );
  assert.equal(
    describeAlertLook({ name: 'Watchdog', rules: [watchdog], loaded: [], instances: watchdog.alerts }),
    'Watchdog is firing: {severity="none"} firing since 2026-11-24T16:59:00Z, value 1e+00 (rule group kubeproof-alerts, health ok, never evaluated, every 1s)',
  );
});

const promConfig = `global:
  scrape_interval: 15s
  scrape_timeout: 10s
  evaluation_interval: 15s
scrape_configs:
- job_name: prometheus
  scrape_interval: 15s
  scrape_timeout: 10s
  static_configs:
  - targets: [localhost:9090]
- job_name: slow
  scrape_interval: 1m
  scrape_timeout: 10s
  basic_auth:
    username: u
    password: <secret>
`;

test('scrape intervals: the global one, each job, and pools only the targets know', () => {
  const r = scrapeIntervals(promConfig, [
    { scrapePool: 'prometheus', job: 'prometheus', scrapeInterval: '15s' },
    { scrapePool: 'from-file', job: 'from-file', scrapeInterval: '30s' },
  ]);
  assert.equal(r.global, '15s');
  assert.deepEqual(
    r.jobs.map((j) => [j.job, j.interval, j.source]),
    [
      ['prometheus', '15s', 'config'],
      ['slow', '1m', 'config'],
      ['from-file', '30s', 'targets'],
    ],
  );
  assert.equal(scrapeIntervals('scrape_configs: []').global, '1m', "Prometheus's default");
});

test('retention: runtimeinfo first, then the flags, with the 15d default', () => {
  const day = 86_400_000;
  assert.deepEqual(effectiveRetention({ storageRetention: '2h' }, {}), { timeMs: 7_200_000, size: undefined, source: 'runtimeinfo storageRetention "2h"' });
  assert.equal(effectiveRetention({ storageRetention: '15d or 10GiB' }, {}).size, '10GiB');
  assert.equal(effectiveRetention({ storageRetention: '15d or 10GiB' }, {}).timeMs, 15 * day);
  assert.equal(effectiveRetention({ storageRetention: '10GiB' }, {}).timeMs, Infinity);
  assert.equal(effectiveRetention(undefined, { 'storage.tsdb.retention.time': '30d', 'storage.tsdb.retention.size': '0B' }).timeMs, 30 * day);
  assert.equal(effectiveRetention(undefined, { 'storage.tsdb.retention.time': '0s', 'storage.tsdb.retention.size': '0B' }).timeMs, 15 * day);
  assert.equal(effectiveRetention(undefined, { 'storage.tsdb.retention.time': '0s', 'storage.tsdb.retention.size': '5GB' }).timeMs, Infinity);
});

const loki = {
  auth_enabled: false,
  limits_config: { retention_period: '0s', retention_stream: [], max_streams_per_user: 0, reject_old_samples: true },
  schema_config: { configs: [{ from: '2024-01-01', store: 'tsdb' }] },
};

test('a dotted path finds a setting, lists included', () => {
  assert.deepEqual(settingAt(loki, 'limits_config.retention_period'), { found: true, value: '0s' });
  assert.deepEqual(settingAt(loki, 'schema_config.configs.0.store'), { found: true, value: 'tsdb' });
  assert.deepEqual(settingAt(loki, 'auth_enabled'), { found: true, value: false });
});

test('a missing path says where it stops and the nearest keys there', () => {
  const r = settingAt(loki, 'limits_config.retention_perod');
  assert.equal(r.found, false);
  if (r.found) return;
  assert.equal(r.reason, 'limits_config has no key "retention_perod"');
  assert.equal(r.keys[0], 'retention_period');
  const list = settingAt(loki, 'schema_config.configs.store');
  assert.ok(!list.found && /a list of 1 item\(s\): use an index 0…0/.test(list.reason));
  const deep = settingAt(loki, 'auth_enabled.x');
  assert.ok(!deep.found && /auth_enabled is a value \(false\), not a section/.test(deep.reason));
  assert.deepEqual(nearestKeys(['b', 'retention', 'a', 'retention_period'], 'retention'), ['retention', 'retention_period', 'a', 'b']);
});

test('settings compare as written, as durations, numbers or booleans', () => {
  assert.ok(settingEquals('0s', '0s'));
  assert.ok(settingEquals('31d', '744h'));
  assert.ok(settingEquals('0s', '0'));
  assert.ok(!settingEquals('0s', '744h'));
  assert.ok(settingEquals(false, 'false'));
  assert.ok(!settingEquals(false, 'true'));
  assert.ok(settingEquals(5000, '5000'));
  assert.ok(settingEquals('tsdb', 'tsdb'));
  assert.ok(!settingEquals({ a: 1 }, '[object Object]'));
  assert.ok(settingEquals(null, ''));
});

test("a setting Loki leaves out is its type's zero value", () => {
  assert.equal(zeroLike(true), false);
  assert.equal(zeroLike(5000), 0);
  assert.equal(zeroLike('info'), '');
  assert.deepEqual(zeroLike(['a']), []);
  assert.deepEqual(zeroLike({ a: 1 }), {});
});
