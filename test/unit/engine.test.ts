import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDuration } from '../../support/engine/duration';
import { compare, parseComparison } from '../../support/engine/compare';
import { BadInputError, formatDuration, NotVerifiedError, WaitTimeoutError } from '../../support/engine/errors';
import { loadConfig, parseAbsent, parseServiceRef, resolveCluster } from '../../support/engine/config';
import { uniqueName } from '../../support/engine/names';
import { CleanupStack } from '../../support/engine/cleanup';
import { check } from '../../support/engine/verdict';
import { EvidenceRecorder } from '../../support/engine/evidence/recorder';
import { Redactor } from '../../support/engine/evidence/redact';

test('durations parse in the units features use', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.throws(() => parseDuration('30'), /"30" is not a duration.*\n.*30s/s);
  assert.throws(() => parseDuration('soon'), BadInputError);
});

test('comparisons are worded as in the plan and compare numbers', () => {
  assert.equal(compare(1, parseComparison('greater than'), 0), true);
  assert.equal(compare(0, parseComparison('greater than'), 0), false);
  assert.equal(compare(2, parseComparison('at least'), 2), true);
  assert.equal(compare(3, parseComparison('at most'), 2), false);
  assert.equal(compare(26, parseComparison('exactly'), 26), true);
  assert.equal(compare(NaN, parseComparison('less than'), 1), false, 'NaN never satisfies a comparison');
  assert.throws(() => parseComparison('bigger than'), /not a comparison.*\n.*greater than/s);
});

test('durations format for people', () => {
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(125_000), '2m5s');
});

test('config reads KUBEPROOF_* with profile fallbacks and fails clearly on bad values', () => {
  const c = loadConfig(
    { KUBEPROOF_PROMETHEUS_URL: 'http://127.0.0.1:9090/', KUBEPROOF_PROMETHEUS_TOKEN: 'tok-secret-123', KUBEPROOF_TIMEOUT_ASSERT: '45s' },
    { namespace: 'demo' },
  );
  assert.equal(c.prometheus.url, 'http://127.0.0.1:9090');
  assert.equal(c.prometheus.service, undefined, 'an explicit URL wins over the default service');
  assert.equal(c.kube.namespace, 'demo');
  assert.deepEqual(c.loki.service, { namespace: 'demo', name: 'loki', port: 3100 });
  assert.equal(c.timeouts.assert, 45_000);
  assert.ok(c.secrets.includes('tok-secret-123'), 'tokens are registered for redaction');
  assert.throws(() => loadConfig({ KUBEPROOF_LOKI_URL: 'loki:3100' }), /KUBEPROOF_LOKI_URL="loki:3100" is not an http\(s\) URL/);
  assert.throws(() => loadConfig({ KUBEPROOF_TIMEOUT_ROLLOUT: 'forever' }), /KUBEPROOF_TIMEOUT_ROLLOUT/);
  assert.throws(() => loadConfig({ KUBEPROOF_INFLUX_CA_FILE: '/nonexistent/ca.pem' }), /file not found/);
  assert.throws(() => loadConfig({ KUBEPROOF_KEEP_ON_FAILURE: 'maybe' }), /not a boolean/);
  assert.throws(() => parseServiceRef('prometheus', 'X'), /namespace\/name:port/);
});

test('unique names are DNS-safe, bounded and differ per worker and scenario', () => {
  const a = uniqueName('Producer_Load Test', '0', 1);
  const b = uniqueName('Producer_Load Test', '1', 1);
  assert.match(a, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  assert.notEqual(a, b);
  assert.ok(uniqueName('x'.repeat(100), '12', 345).length <= 63);
});

test('cleanup runs newest first, bounds each action and keeps going after a failure', async () => {
  const order: string[] = [];
  const stack = new CleanupStack();
  stack.push('first', async () => order.push('first'));
  stack.push('broken', async () => {
    throw new Error('boom');
  });
  stack.push('stuck', () => new Promise(() => {}));
  stack.push('last', async () => order.push('last'));
  const results = await stack.runAll(50);
  assert.deepEqual(order, ['last', 'first']);
  assert.deepEqual(
    results.map((r) => [r.name, r.ok]),
    [
      ['last', true],
      ['stuck', false],
      ['broken', false],
      ['first', true],
    ],
  );
  assert.match(results[1].detail, /did not finish within 50ms/);
  assert.equal(stack.size, 0);
});

test('a check that cannot run is "not verified" (pending), never passed', async () => {
  const attached: { data: string; mediaType: string }[] = [];
  const ev = new EvidenceRecorder((data, o) => void attached.push({ data: String(data), mediaType: o.mediaType }), new Redactor(['hunter2-password']));
  assert.equal(
    await check(ev, 'Grafana is healthy', async () => {
      throw new NotVerifiedError('no Grafana in this cluster');
    }),
    'pending',
  );
  assert.equal(ev.checks[0].status, 'not verified');
  assert.match(attached[0].data, /not verified.*no Grafana/is);
  await assert.rejects(
    check(ev, 'fails', async () => {
      throw new Error('login with hunter2-password failed');
    }),
  );
  assert.equal(ev.checks[1].status, 'failed');
  assert.ok(!attached.some((a) => a.data.includes('hunter2-password')), 'secrets never reach an attachment');
  assert.equal(await check(ev, 'ok', async () => 'value 3 > 0'), undefined);
  assert.equal(ev.checks[2].observed, 'value 3 > 0');
});

test('WaitTimeoutError names what, how long and the last observation', () => {
  const e = new WaitTimeoutError('deployment producer to have 2 ready replicas', 120_000, '1/2 ready; ProgressDeadlineExceeded', 7);
  assert.equal(
    e.message,
    'timed out after 2m waiting for deployment producer to have 2 ready replicas; last seen (7 observations): 1/2 ready; ProgressDeadlineExceeded',
  );
});

test('the cluster is resolved once: KUBECONFIG, else ~/.kube/config, else the lab, else none', () => {
  const home = mkdtempSync(join(tmpdir(), 'kp-home-'));
  const lab = join(home, 'lab-kubeconfig');
  try {
    assert.deepEqual(resolveCluster('/x/kubeconfig', lab, home), { kubeconfig: '/x/kubeconfig', source: 'KUBECONFIG' });
    assert.deepEqual(resolveCluster(undefined, lab, home), { source: 'none' });
    writeFileSync(lab, 'apiVersion: v1\n');
    assert.deepEqual(resolveCluster(undefined, lab, home), { kubeconfig: lab, source: 'lab' });
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), 'apiVersion: v1\n');
    assert.deepEqual(resolveCluster(undefined, lab, home), { kubeconfig: join(home, '.kube', 'config'), source: 'default kubeconfig' });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('components declared absent carry their reason; a malformed declaration is bad input', () => {
  assert.deepEqual(parseAbsent('grafana=no Grafana server can be built here; jaeger = not needed'), {
    grafana: 'no Grafana server can be built here',
    jaeger: 'not needed',
  });
  assert.deepEqual(parseAbsent(undefined), {});
  assert.throws(() => parseAbsent('grafana'), BadInputError);
  assert.equal(loadConfig({ KUBEPROOF_ABSENT: 'grafana=no server' }).absent.grafana, 'no server');
  assert.throws(() => loadConfig({ KUBEPROOF_CLUSTER: 'maybe' }), /KUBEPROOF_CLUSTER/);
});
