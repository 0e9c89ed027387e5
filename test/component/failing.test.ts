import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { loadConfig } from '../../support/engine/config';
import { InfluxClient } from '../../support/clients/influx';

/**
 * Checks that must fail against the real components (test/component/run.sh
 * starts them): each scenario of test/component/failing/influx-k6.feature
 * runs through cucumber and must end failed, with a message naming what
 * failed. These are the cases the old checks passed.
 */
const CUCUMBER = 'node_modules/@cucumber/cucumber/bin/cucumber.js';
const FEATURE = 'test/component/failing/influx-k6.feature';

function run(tag: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CUCUMBER, '--config', 'test/fixtures/cucumber.fixture.js', '--tags', tag, FEATURE], { env: process.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function fails(tag: string, ...messages: RegExp[]): Promise<void> {
  const r = await run(tag);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /1 scenario \(1 failed\)/, r.out);
  for (const m of messages) assert.match(r.out, m);
}

test('a flat series (the emitter sends at a steady rate) does not "rise by at least 50%" during a load', () =>
  fails('@fail-flat-rise', /rose by at least 50% during the load/, /at least \+50% required/));

test('a series with no value before the load has no baseline: failed, not "up from 0"', () =>
  fails('@fail-no-baseline', /no value in the baseline window before the load/));

test("a load whose requests all fail ends with k6's verdict: thresholds failed, exit 99, named", () =>
  fails('@fail-load-lands-nowhere', /failed thresholds: .*http_req_failed rate<0\.05 \(measured 1\.000\)/, /k6 exited 99 \(thresholds failed\)/));

test('a load with too few requests fails the request bound', () => fails('@fail-load-too-small', /sent \d+ requests, fewer than 1000/, /slower than 100\/s/));

test('points written before the step began are not new points (the old "points in the last 1m" counted them)', async () => {
  const config = loadConfig();
  const influx = new InfluxClient(config.influx, { requestTimeoutMs: 5000, database: config.influx.database });
  await influx.write(`kubeproof_stale_readings,sensor_id=s1 speed_mps=1 ${Date.now() - 20_000}`, undefined, 'ms');
  const old = await influx.count('kubeproof_stale_readings', 60_000);
  assert.ok(old.count >= 1, 'the stale point is there: the old check passed on it');
  await fails('@fail-no-new-points', /got no point stamped after this step began/, /kubeproof_stale_readings/);
});
