import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../support/engine/config';
import { BadInputError, EndpointError } from '../../support/engine/errors';
import { PrometheusClient } from '../../support/clients/prometheus';
import { LokiClient } from '../../support/clients/loki';
import { InfluxClient } from '../../support/clients/influx';
import { KafkaClient } from '../../support/clients/kafka';
import { K6Runner } from '../../support/clients/k6';
import { parseComparison } from '../../support/engine/compare';

/**
 * Bad input and dead endpoints, against the real components started by
 * test/component/run.sh (endpoints from the environment) and against a port
 * where nothing listens. Each failure must come fast, name the endpoint and
 * the query, and carry the server's own error text.
 */
const config = loadConfig();
const DEAD = 'http://127.0.0.1:1';
const TIMEOUT = 2000;

async function failsWithin<T>(ms: number, run: () => Promise<T>): Promise<Error> {
  const started = performance.now();
  try {
    await run();
  } catch (e) {
    const took = performance.now() - started;
    assert.ok(took < ms, `failed after ${Math.round(took)}ms, expected within ${ms}ms`);
    return e as Error;
  }
  assert.fail('expected a failure');
}

test('Prometheus: a stopped endpoint fails within the request timeout, naming endpoint and query', async () => {
  const prom = new PrometheusClient({ name: 'prometheus', url: DEAD }, { requestTimeoutMs: TIMEOUT });
  const e = await failsWithin(TIMEOUT + 1000, () => prom.query('up'));
  assert.ok(e instanceof EndpointError);
  assert.match(e.message, /PromQL query `up` at prometheus http:\/\/127\.0\.0\.1:1\/api\/v1\/query failed: ECONNREFUSED/);
});

test("Prometheus: malformed PromQL fails at once with Prometheus's own parse error", async () => {
  const prom = new PrometheusClient(config.prometheus, { requestTimeoutMs: TIMEOUT });
  const e = await failsWithin(TIMEOUT, () => prom.expectQuery('sum(rate(up[1m])', parseComparison('greater than'), 0, 60_000));
  assert.ok(e instanceof BadInputError, String(e));
  assert.match(e.message, /bad_data/);
  assert.match(e.message, /parse error/);
  assert.match(e.message, /sum\(rate\(up\[1m\]\)/, 'the message names the query');
});

test('Loki: a stopped endpoint and malformed LogQL both fail fast and say why', async () => {
  const dead = new LokiClient({ name: 'loki', url: DEAD }, { requestTimeoutMs: TIMEOUT });
  const e1 = await failsWithin(TIMEOUT + 1000, () => dead.queryRange('{app="producer"}', Date.now() - 60_000, Date.now()));
  assert.match(e1.message, /127\.0\.0\.1:1/);
  assert.match(e1.message, /\{app="producer"\}/);
  const loki = new LokiClient(config.loki, { requestTimeoutMs: TIMEOUT });
  const e2 = await failsWithin(TIMEOUT, () => loki.expectLines('{app="producer" |= "Speed:"', parseComparison('at least'), 1, 60_000));
  assert.ok(e2 instanceof BadInputError, String(e2));
  assert.match(e2.message, /parse error/);
});

test('InfluxDB: a stopped endpoint fails fast; a bad InfluxQL statement carries the server error', async () => {
  const dead = new InfluxClient({ name: 'influx', url: DEAD }, { requestTimeoutMs: TIMEOUT, database: 'conveyor' });
  const e1 = await failsWithin(TIMEOUT + 1000, () => dead.ping());
  assert.match(e1.message, /127\.0\.0\.1:1/);
  const influx = new InfluxClient(config.influx, { requestTimeoutMs: TIMEOUT, database: config.influx.database });
  const e2 = await failsWithin(TIMEOUT, () => influx.query('SELEKT * FROM conveyor_readings'));
  assert.match(e2.message, /error parsing query/);
});

test('Kafka: a stopped broker fails within the request timeout, naming the brokers and the operation', async () => {
  const kafka = new KafkaClient({ brokers: ['127.0.0.1:1'], clientId: 'kubeproof-test' }, { requestTimeoutMs: TIMEOUT });
  const e = await failsWithin(TIMEOUT * 4, () => kafka.listTopics());
  assert.match(e.message, /127\.0\.0\.1:1/);
  assert.match(e.message, /topics/i);
});

test('k6: a missing binary fails at once with how to get one; a missing script names the script', async () => {
  const e1 = await failsWithin(1000, () => new K6Runner('/nonexistent/k6').run({ script: 'fixtures/k6/smoke.js' }));
  assert.match(e1.message, /k6 binary "\/nonexistent\/k6" not found/);
  assert.match(e1.message, /components:build/);
  const e2 = await failsWithin(1000, () => new K6Runner(config.k6.binary).run({ script: 'fixtures/k6/nope.js' }));
  assert.match(e2.message, /k6 script fixtures\/k6\/nope\.js not found/);
});
