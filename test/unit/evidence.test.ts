import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTION_MASK, Redactor } from '../../support/engine/evidence/redact';
import { chartRows, lineChart, lineChartSpec, timelineSpec } from '../../support/engine/evidence/chart';
import { formatTable } from '../../support/engine/evidence/table';
import { RunCollector, suggestSteps } from '../../support/engine/reports/summary';
import { renderIndex } from '../../support/engine/reports';

test('registered secrets are masked, also base64-encoded', () => {
  const r = new Redactor(['s3cr3t-value']);
  assert.equal(r.redact('password is s3cr3t-value'), `password is ${REDACTION_MASK}`);
  assert.ok(!r.redact(`data: ${Buffer.from('s3cr3t-value').toString('base64')}`).includes(Buffer.from('s3cr3t-value').toString('base64')));
});

test('well-known secret shapes are masked without registration', () => {
  const r = new Redactor();
  const out = r.redact(
    [
      'Authorization: Bearer abcdefghijklmnop.qrstuv',
      'url=https://admin:pa55word@grafana.local:3000/api',
      'INFLUXDB_ADMIN_PASSWORD=changeme123',
      '{"password": "letmein99", "user": "admin"}',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
      'token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk',
    ].join('\n'),
  );
  for (const leaked of ['abcdefghijklmnop', 'pa55word', 'changeme123', 'letmein99', 'MIIEow', 'eyJzdWIiOiIxIn0'])
    assert.ok(!out.includes(leaked), `${leaked} leaked: ${out}`);
  assert.ok(out.includes('"user": "admin"'), 'ordinary values survive');
});

test('redactValue masks secret-looking keys in objects', () => {
  const r = new Redactor();
  assert.deepEqual(r.redactValue({ url: 'http://x', auth: { password: 'x', bearerToken: 'y' } }), {
    url: 'http://x',
    auth: { password: REDACTION_MASK, bearerToken: REDACTION_MASK },
  });
});

test('chart rows drop NaN/Inf and keep series names', () => {
  const rows = chartRows([
    {
      name: 'rate',
      points: [
        [0, 1],
        [1000, NaN],
        [2000, Infinity],
        [3000, 2],
      ],
    },
  ]);
  assert.deepEqual(
    rows.map((r) => r.value),
    [1, 2],
  );
  assert.equal(rows[0].series, 'rate');
  const spec = lineChartSpec([{ name: 'a', points: [[0, 1]] }], { title: 't', threshold: { value: 0, label: '> 0' } }) as { layer: unknown[] };
  assert.equal(spec.layer.length, 2, 'threshold adds a rule layer');
  const tl = timelineSpec(
    [
      { label: 'deleted', startMs: 1000, endMs: 1000 },
      { label: 'ready', startMs: 1000, endMs: 4000 },
    ],
    'recovery',
  ) as { data: { values: { from: number; to: number }[] } };
  assert.deepEqual(
    tl.data.values.map((v) => v.to),
    [0.05, 3],
  );
});

test('a line chart renders to real SVG', async () => {
  const svg = (
    await lineChart(
      [
        {
          name: 'producer',
          points: [
            [Date.UTC(2026, 0, 1), 1],
            [Date.UTC(2026, 0, 1, 0, 1), 3],
          ],
        },
      ],
      { title: 'producer rate' },
    )
  ).toString();
  assert.match(svg, /^<svg/);
  assert.match(svg, /producer rate/);
});

test('tables align columns', () => {
  assert.equal(
    formatTable([
      { job: 'producer', health: 'up' },
      { job: 'prometheus', health: 'up' },
    ]),
    'job        | health\n-----------|-------\nproducer   | up\nprometheus | up',
  );
});

test('run summary maps pending to not verified and keeps the first failure line', () => {
  const c = new RunCollector();
  const ts = (s: number) => ({ seconds: s, nanos: 0 });
  c.add({ testRunStarted: { timestamp: ts(100) } });
  c.add({ pickle: { id: 'p1', name: 'targets up', uri: 'features/m2.feature', tags: [{ name: '@m2' }] } });
  c.add({ pickle: { id: 'p2', name: 'grafana', uri: 'features/m4.feature', tags: [] } });
  c.add({ testCase: { id: 't1', pickleId: 'p1' } });
  c.add({ testCase: { id: 't2', pickleId: 'p2' } });
  c.add({ testCaseStarted: { id: 's1', testCaseId: 't1', timestamp: ts(100) } });
  c.add({ testStepFinished: { testCaseStartedId: 's1', testStepResult: { status: 'FAILED', message: 'timed out after 30s\nstack' } } });
  c.add({ testCaseFinished: { testCaseStartedId: 's1', timestamp: ts(130), willBeRetried: false } });
  c.add({ testCaseStarted: { id: 's2', testCaseId: 't2', timestamp: ts(130) } });
  c.add({ testStepFinished: { testCaseStartedId: 's2', testStepResult: { status: 'PENDING' } } });
  c.add({ testCaseFinished: { testCaseStartedId: 's2', timestamp: ts(131), willBeRetried: false } });
  c.add({ testRunFinished: { timestamp: ts(131), success: false } });
  const s = c.summary('m2', 'm2.html');
  assert.deepEqual(s.counts, { passed: 0, failed: 1, 'not verified': 1, skipped: 0 });
  assert.equal(s.scenarios[0].message, 'timed out after 30s');
  assert.equal(s.durationMs, 31_000);
  const html = renderIndex([s], [{ run: 'm2', startedAt: s.startedAt, durationMs: 1, success: false, counts: s.counts }]);
  assert.match(html, /href="m2.html"/);
  assert.match(html, /1 not verified/);
});

test('a typo in a step gets the closest step expressions as suggestions', () => {
  const expressions = [
    'the PromQL {code} is {comparison} {float}',
    'the LogQL {code} returns {comparison} {int} line(s) within {duration}',
    'Grafana is healthy',
  ];
  assert.deepEqual(suggestSteps('the PromQL `up` is grater than 0', expressions, 1), ['the PromQL {code} is {comparison} {float}']);
  assert.deepEqual(suggestSteps('Grafana is helthy', expressions, 1), ['Grafana is healthy']);
  assert.deepEqual(suggestSteps('deploy the moon', expressions), [], 'nothing close, nothing suggested');
});
