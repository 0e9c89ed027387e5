import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hpaChanges, hpaScalingEvents, scalingDurations, scalingTestResults, tlsConfigSummary } from '../../support/engine/outputs/files';
import { type HpaObservation, type Observation, type ObservationData, type ObservationKind } from '../../support/engine/observations';
import { writeOutputs } from '../../support/engine/outputs/writer';
import { Redactor } from '../../support/engine/evidence/redact';

const T0 = Date.parse('2026-11-24T12:00:00Z');
const s = (n: number) => T0 + n * 1000;
const row = (atS: number, current: number, desired: number, cpu?: number) => ({
  atMs: s(atS),
  reference: 'Deployment/producer',
  cpu,
  target: 50,
  min: 1,
  max: 5,
  current,
  desired,
});

function cycle(): HpaObservation {
  return {
    namespace: 'conveyor-pipeline',
    hpa: 'producer',
    rows: [row(0, 1, 1, 10), row(5, 1, 1, 10), row(40, 1, 3, 140), row(55, 3, 3, 90), row(200, 3, 1, 5), row(300, 1, 1, 4)],
    events: [{ atMs: s(41), reason: 'SuccessfulRescale', message: 'New size: 3; reason: cpu resource utilization (percentage of request) above target' }],
    load: { script: 'fixtures/k6/producer-load.js', target: 'Service producer (10.96.0.9:8000)', startedAtMs: s(30), endedAtMs: s(210), plannedMs: 180_000 },
  };
}

const obs = <K extends ObservationKind>(kind: K, data: ObservationData[K], scenario = 'M6 cycle'): Observation =>
  ({ kind, at: new Date().toISOString(), scenario, data }) as Observation;

test('hpa-scaling-events.txt has one row per observed change, and follows the recorded replicas', () => {
  const h = cycle();
  assert.equal(hpaChanges(h.rows).length, 5, 'the repeated state at +5s is not a change');
  const text = hpaScalingEvents(h);
  assert.match(text, /2026-11-24T12:00:55Z\s+producer\s+Deployment\/producer\s+cpu: 90%\/50%\s+1\s+5\s+3\s+3/);
  assert.match(text, /SuccessfulRescale\s+New size: 3/);
  // Change an observation: the file changes with it.
  h.rows[3].current = 4;
  assert.match(hpaScalingEvents(h), /2026-11-24T12:00:55Z\s+producer\s+Deployment\/producer\s+cpu: 90%\/50%\s+1\s+5\s+4\s+3/);
});

test('scaling-test-results.md: levels, durations and the k6 summary come from the observations', () => {
  const h = cycle();
  assert.deepEqual(scalingDurations(h), { before: 1, upMs: 25_000, peak: 3, peakMs: 25_000, downMs: 90_000 });
  const throughput = {
    query: 'sum(rate(producer_messages_sent_total[1m]))',
    points: [
      [s(10), 8],
      [s(20), 9],
      [s(60), 30],
      [s(100), 34],
    ] as [number, number][],
    baseline: 8.5,
    loaded: 32,
    risePct: 276.5,
  };
  const md = scalingTestResults(
    h,
    {
      script: 'fixtures/k6/producer-load.js',
      target: 'Service producer',
      startedAtMs: s(30),
      endedAtMs: s(210),
      requests: 2394,
      perSecond: 13.3,
      failedRate: 0,
      p95Ms: 269,
      exitCode: 0,
      thresholds: [{ metric: 'http_req_failed', expression: 'rate<0.05', ok: true }],
    },
    throughput,
    s(320),
  );
  assert.match(md, /scale-up \(load start → first replica above 1\): 25s/);
  assert.match(md, /scale-down \(load end → back to 1\): 1m30s/);
  assert.match(md, /requests: 2394 at 13\.3\/s; failed: 0\.00%; p95: 269\.0 ms/);
  assert.match(md, /\| 3 \| 2026-11-24T12:00:55Z \| 2026-11-24T12:05:00Z \| 4m5s \| 48% \| 32\.00 \| during the load \|/);
  // Without a recorded scale-down the file says so instead of inventing one.
  h.rows = h.rows.slice(0, 4);
  assert.match(scalingTestResults(h, undefined, undefined, s(320)), /scale-down \(load end → back to 1\): not observed/);
  assert.match(scalingTestResults(h, undefined, undefined, s(320)), /not observed \(no k6 summary in this run\)/);
});

test('tls-config-summary.md reports what the handshake saw, including a failed validation', () => {
  const md = tlsConfigSummary(
    [
      {
        service: 'influxdb',
        namespace: 'conveyor-pipeline',
        address: '10.96.1.2:8086',
        port: 8086,
        serverName: 'influxdb.conveyor-pipeline.svc',
        caSource: 'ConfigMap conveyor-pipeline/influxdb-ca',
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_256_GCM_SHA384',
        subject: 'CN=influxdb.conveyor-pipeline.svc',
        issuer: 'CN=conveyor-pipeline influxdb CA',
        subjectAltName: 'DNS:influxdb',
        validTo: 'Feb 26 2029',
        verified: false,
        problems: ['expired'],
      },
    ],
    [
      {
        service: 'influxdb',
        namespace: 'conveyor-pipeline',
        plaintextPort: 8086,
        tlsPort: 8086,
        addresses: [{ address: 'ClusterIP (10.96.1.2)', plaintext: 'refused', tls: 'TLSv1.3', ok: true }],
      },
    ],
    [{ client: 'deployment processor', server: 'InfluxDB', how: 'HTTPS', proof: '12 points' }],
  );
  assert.match(md, /\| issuer \| CN=conveyor-pipeline influxdb CA \|/);
  assert.match(md, /NOT validated: expired/);
  assert.match(md, /\| deployment processor \| InfluxDB \| HTTPS \| 12 points \|/);
});

test('the writer writes what was observed, says why the rest is missing, and no planted secret reaches any output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-outputs-'));
  try {
    const secret = 'hunter2-planted-secret';
    const redactor = new Redactor([secret]);
    const h = cycle();
    h.events.push({ atMs: s(42), reason: 'Note', message: `password=${secret}` });
    const observations = [
      obs('hpa', h),
      obs(
        'log-search',
        {
          query: '{app="producer"} |= "ERROR"',
          sinceMs: s(0),
          untilMs: s(60),
          count: 1,
          lines: [[s(10), '{app="producer"}', `ERROR auth failed for ${secret}`]],
        },
        'M5 logs',
      ),
    ];
    // A stale output of an earlier run that this run did not observe.
    writeFileSync(join(dir, 'tls-config-summary.md'), 'from an earlier run');
    const r = await writeOutputs(observations, dir, { runId: 'test-run', redact: (t) => redactor.redact(t), removeStale: true });
    assert.deepEqual(r.written.map((w) => w.name).sort(), [
      'hpa-scaling-events.txt',
      'hpa-scaling.png',
      'log-search.png',
      'log-search.txt',
      'scaling-test-results.md',
    ]);
    assert.match(r.notWritten.find((n) => n.name === 'resilience-drill.mp4')!.why, /no pod deletion was observed/);
    assert.ok(!existsSync(join(dir, 'tls-config-summary.md')), 'a stale output of another run is removed');
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      assert.ok(!bytes.includes(secret), `${f} leaks the planted secret`);
    }
    assert.match(readFileSync(join(dir, 'log-search.txt'), 'utf8'), /ERROR auth failed for \[REDACTED\]/);
    assert.deepEqual([...readFileSync(join(dir, 'hpa-scaling.png')).subarray(1, 4)], [...Buffer.from('PNG')]);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    assert.equal(index.runId, 'test-run');
    assert.deepEqual(index.teamWritten, ['operator-procedures.md']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('in a platform repository the writer never removes the team’s files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-outputs-'));
  try {
    writeFileSync(join(dir, 'resilience-drill.mp4'), 'the team recorded this');
    writeFileSync(join(dir, 'operator-procedures.md'), '# ours');
    await writeOutputs([obs('hpa', cycle())], dir, { runId: 'r', redact: (t) => t, removeStale: false });
    assert.equal(readFileSync(join(dir, 'resilience-drill.mp4'), 'utf8'), 'the team recorded this');
    assert.equal(readFileSync(join(dir, 'operator-procedures.md'), 'utf8'), '# ours');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
