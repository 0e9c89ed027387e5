import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../support/engine/config';
import { PrometheusClient } from '../../support/clients/prometheus';
import { evaluateDashboard, panelsWithoutValue } from '../../support/clients/dashboards';

/**
 * The dashboard's panel queries against the real Prometheus of the component
 * environment (scraping the emitter of the conveyor metrics): the CA3 panels
 * show values, and a panel whose metric nobody exports is reported without one.
 */
const config = loadConfig();
const ca3 = JSON.parse(readFileSync(join(__dirname, '../../fixtures/dashboards/ca3-pipeline-metrics.json'), 'utf8'));

test('the CA3 panels show values above 0; a panel on a metric nobody exports shows none', async () => {
  const prometheus = new PrometheusClient(config.prometheus, { requestTimeoutMs: 5000 });
  const broken = structuredClone(ca3);
  broken.panels[2].targets[0].expr = 'sum(rate(processor_influxdb_writes_nobody_exports_total[1m]))';
  // The emitter needs a scrape or two before rate() has values: bounded retry.
  let panels = await evaluateDashboard(ca3, { prometheus });
  for (let i = 0; i < 30 && panelsWithoutValue(panels, (v) => v > 0).problems.length; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    panels = await evaluateDashboard(ca3, { prometheus });
  }
  assert.deepEqual(panelsWithoutValue(panels, (v) => v > 0).problems, []);
  const verdict = panelsWithoutValue(await evaluateDashboard(broken, { prometheus }), (v) => v > 0);
  assert.equal(verdict.problems.length, 1);
  assert.match(verdict.problems[0], /panel "Database inserts\/sec": values \[\]/);
  assert.equal(verdict.notVerified, 0);
});
