import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOT_VERIFIED_TYPE, rewriteJUnit } from '../../support/engine/reports/junit';
import { readSummaries, recordRun, renderIndex, runVerdict, summaryProblem } from '../../support/engine/reports';
import { RunCollector, type RunSummary } from '../../support/engine/reports/summary';

// A real run's messages (M11 against a platform repository with a secret in its history):
// one scenario passed, one failed, one not verified.
const envelopes = readFileSync(join(__dirname, 'reports.fixture.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

// The formatter's JUnit writer: cucumber's printer + the not-verified rewrite.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { junitReport } = require('../../support/cucumber/index-formatter.cjs');

function junitOf(): string {
  let xml = '';
  const report = junitReport('kubeproof m11', (s: string) => void (xml += s));
  for (const e of envelopes) report.update(e);
  return xml;
}

// Before: cucumber's junit formatter wrote `<failure/>` (no message, counted as a failure) for each of them.
test('JUnit: a not-verified scenario is <skipped message="not verified: REASON">, failed stays <failure>, counts follow', () => {
  const xml = junitOf();
  assert.match(xml, /<testsuite [^>]*skipped="1"[^>]*failures="1"/);
  const nv = /<testcase [^>]*name="The repository renders correctly on GitHub"[^>]*>\s*<skipped message="([^"]*)">/.exec(xml);
  assert.ok(nv, xml);
  assert.match(nv[1], /^not verified: .*needs a person/);
  assert.match(
    xml,
    /<testcase [^>]*name="No secrets are committed"[^>]*>\s*<failure type="Error" message="secrets committed to the platform repository: commit [0-9a-f]{12} k8s\/influxdb/,
  );
  assert.match(xml, /<testcase [^>]*name="Manifests, scripts and outputs are present"[^>]*>\s*<system-out>/);
  assert.doesNotMatch(xml, new RegExp(NOT_VERIFIED_TYPE.replace('.', '\\.')));
});

test('rewriteJUnit moves only marked failures, self-closing ones too', () => {
  const xml = `<testsuite name="x" tests="3" skipped="0" failures="3" errors="0">
  <testcase name="a"><failure type="${NOT_VERIFIED_TYPE}" message="not verified: no Grafana &amp; no &quot;server&quot;"><![CDATA[why]]></failure></testcase>
  <testcase name="b"><failure type="${NOT_VERIFIED_TYPE}" message="not verified: x"/></testcase>
  <testcase name="c"><failure type="Error" message="boom"/></testcase>
</testsuite>`;
  const out = rewriteJUnit(xml);
  assert.match(out, /skipped="2" failures="1"/);
  assert.match(out, /<skipped message="not verified: no Grafana &amp; no &quot;server&quot;"><!\[CDATA\[why\]\]><\/skipped>/);
  assert.match(out, /<skipped message="not verified: x"\/>/);
  assert.match(out, /<failure type="Error" message="boom"\/>/);
  assert.equal(rewriteJUnit('<testsuite failures="1"><failure/></testsuite>'), '<testsuite failures="1"><failure/></testsuite>');
});

test("the run summary carries a not-verified scenario's reason, not 'pending'", () => {
  const c = new RunCollector();
  for (const e of envelopes) c.add(e);
  const s = c.summary('m11', 'm11.html');
  assert.deepEqual(s.counts, { passed: 1, failed: 1, 'not verified': 1, skipped: 0 });
  const nv = s.scenarios.find((x) => x.outcome === 'not verified');
  assert.match(nv?.message ?? '', /needs a person: the GitHub repository/);
});

function summary(run: string, counts: Partial<RunSummary['counts']>, scenarios: RunSummary['scenarios'] = []): RunSummary {
  return {
    run,
    html: `${run}.html`,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1000,
    success: false,
    counts: { passed: 0, failed: 0, 'not verified': 0, skipped: 0, ...counts },
    scenarios,
  };
}

test('summaryProblem names an empty, a truncated and a foreign summary file', () => {
  assert.match(summaryProblem('') as string, /empty/);
  assert.match(summaryProblem('{"run": "m3", "cou') as string, /not valid JSON/);
  assert.match(summaryProblem('[]') as string, /not a run summary/);
  assert.equal((summaryProblem(JSON.stringify(summary('m3', { passed: 1 }))) as RunSummary).run, 'm3');
});

test('an empty summary left by an interrupted run is skipped and named; the index still updates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-reports-'));
  writeFileSync(join(dir, 'latest.summary.json'), '');
  writeFileSync(join(dir, 'm2.summary.json'), '{"run":"m2",');
  const skipped = recordRun(
    dir,
    summary('m11', { passed: 1, failed: 1, 'not verified': 1 }, [
      { name: 'renders', feature: 'features/m11.feature', tags: [], outcome: 'not verified', durationMs: 1, message: 'needs a person: renders' },
      { name: 'secrets', feature: 'features/m11.feature', tags: [], outcome: 'failed', durationMs: 1, message: 'commit abc k8s/s.yaml' },
    ]),
  );
  assert.deepEqual(skipped.map((u) => u.file).sort(), ['latest.summary.json', 'm2.summary.json']);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.match(html, /<code>latest.summary.json<\/code>: empty/);
  assert.match(html, /<code>m2.summary.json<\/code>: not valid JSON/);
  assert.match(html, /<span class="verdict failed">failed<\/span> <a href="m11.html">m11<\/a>/);
  assert.match(html, /<span class="verdict not-verified">not verified<\/span><\/td><td>renders<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>needs a person: renders/);
  assert.equal((summaryProblem(readFileSync(join(dir, 'm11.summary.json'), 'utf8')) as RunSummary).run, 'm11');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file left behind',
  );
  assert.deepEqual(
    readSummaries(dir).summaries.map((s) => s.run),
    ['m11'],
  );
});

test('a corrupt history.json is set aside and named, not fatal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-reports-'));
  writeFileSync(join(dir, 'history.json'), '[{"run":');
  const skipped = recordRun(dir, summary('m1', { passed: 2 }));
  assert.match(skipped[0].reason, /not valid JSON.*history.json.unreadable/);
  assert.ok(readdirSync(dir).includes('history.json.unreadable'));
  assert.equal(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')).length, 1);
});

test('a run is failed if any criterion failed, else not verified if any was, else passed', () => {
  assert.equal(runVerdict({ passed: 5, failed: 1, 'not verified': 3, skipped: 0 }), 'failed');
  assert.equal(runVerdict({ passed: 5, failed: 0, 'not verified': 3, skipped: 0 }), 'not verified');
  assert.equal(runVerdict({ passed: 5, failed: 0, 'not verified': 0, skipped: 0 }), 'passed');
  assert.equal(runVerdict({ passed: 0, failed: 0, 'not verified': 0, skipped: 0 }), 'no criteria');
  assert.match(
    renderIndex([summary('m4', { 'not verified': 2, passed: 1 })], []),
    /<span class="verdict not-verified">not verified<\/span> <a href="m4.html">/,
  );
});
