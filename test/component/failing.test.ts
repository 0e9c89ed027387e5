import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../support/engine/config';
import { InfluxClient } from '../../support/clients/influx';
import { runMustFail } from '../must-fail';

/**
 * Checks that must fail against the real components (test/component/run.sh
 * starts them): every scenario of test/component/failing/ runs through
 * cucumber and must end failed at its last step, with a message matching its
 * `Fails with:` lines (test/must-fail.ts).
 */
test('every must-fail scenario against the real components fails at its check, naming what failed', async () => {
  // The old "points in the last 1m" check counted this stale point; "receives new points" must not.
  const config = loadConfig();
  const influx = new InfluxClient(config.influx, { requestTimeoutMs: 5000, database: config.influx.database });
  await influx.write(`kubeproof_stale_readings,sensor_id=s1 speed_mps=1 ${Date.now() - 20_000}`, undefined, 'ms');
  assert.ok((await influx.count('kubeproof_stale_readings', 60_000)).count >= 1, 'the stale point is there: the old check passed on it');

  const results = await runMustFail(['test/component/failing'], 2);
  for (const r of results) console.log(`${r.ok ? 'fails as it must' : 'DEFECT'}  ${r.location}  ${r.scenario}\n    ${r.detail}`);
  const defects = results.filter((r) => !r.ok);
  assert.ok(results.length >= 30, `only ${results.length} must-fail scenarios ran`);
  assert.deepEqual(
    defects.map((d) => `${d.location} ${d.scenario}: ${d.detail}`),
    [],
  );
});
