import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Clients } from '../../support/clients';
import { datasourceCaPem, datasourceProbeSpec, joinUrl, provisionedDatasources } from '../../support/clients/grafana';
import { grafanaDashboardExists, grafanaDatasourceConnected, grafanaHealthy } from '../../support/checks/grafana';
import type { Ctx } from '../../support/checks/shared/context';
import { loadConfig } from '../../support/engine/config';
import { EvidenceRecorder } from '../../support/engine/evidence/recorder';
import { Redactor } from '../../support/engine/evidence/redact';
import { check } from '../../support/engine/verdict';

/** Grafana's provisioning files as the checks read them from the platform's ConfigMaps (no Grafana server). */

function configMapData(file: string, name: string): Record<string, string> {
  const docs = parseAllDocuments(readFileSync(join(__dirname, '../..', file), 'utf8')).map((d) => d.toJS());
  const cm = docs.find((d) => d?.kind === 'ConfigMap' && d.metadata?.name === name);
  assert.ok(cm, `${file} has ConfigMap ${name}`);
  return cm.data;
}

const base = configMapData('manifests/base/grafana-datasources.yaml', 'grafana-datasources');
const labTls = configMapData('manifests/overlays/lab/grafana-tls.yaml', 'grafana-datasources');
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

test("the base provisions Prometheus, Loki and InfluxDB at the platform's Service names", () => {
  const ds = provisionedDatasources(base);
  assert.deepEqual(
    ds.map((d) => [d.name, d.type, d.url]),
    [
      ['Prometheus', 'prometheus', 'http://prometheus-service:9090'],
      ['Loki', 'loki', 'http://loki:3100'],
      ['InfluxDB', 'influxdb', 'http://influxdb:8086'],
    ],
  );
  const influx = ds.find((d) => d.name === 'InfluxDB')!;
  assert.equal(influx.jsonData.dbName, 'conveyor');
  assert.deepEqual(influx.secureFields, ['password'], 'secure values are not kept, only their names');
});

test('the lab (M7) switches InfluxDB to HTTPS with the CA file beside the datasource files', () => {
  const files = { ...base, ...labTls, 'influxdb-ca.crt': CA };
  const influx = provisionedDatasources(files).find((d) => d.name === 'InfluxDB')!;
  assert.equal(influx.url, 'https://influxdb:8086');
  assert.equal(influx.jsonData.tlsAuthWithCACert, true);
  assert.equal(datasourceCaPem(influx, files), CA);
});

test('a CA that cannot be found fails, naming the datasource and the path', () => {
  const influx = provisionedDatasources(labTls)[0];
  assert.throws(
    () => datasourceCaPem(influx, labTls),
    /datasource InfluxDB: its CA file \/etc\/grafana\/provisioning\/datasources\/influxdb-ca\.crt is not a file/,
  );
  const elsewhere = { ...influx, tlsCACert: '$__file{/etc/ssl/influx/ca.crt}' };
  assert.throws(() => datasourceCaPem(elsewhere, { 'ca.crt': CA }), /\/etc\/ssl\/influx\/ca\.crt is not a file of the provisioning directory/);
  assert.throws(() => datasourceCaPem({ ...influx, tlsCACert: undefined }, {}), /datasource InfluxDB has no CA/);
  assert.equal(datasourceCaPem({ ...influx, tlsCACert: CA }, {}), CA, 'an inline PEM is the CA itself');
});

test('a provisioning file that is not YAML is named; other files (a CA) are data, not datasources', () => {
  assert.throws(() => provisionedDatasources({ 'bad.yaml': 'datasources: [' }), /bad\.yaml is not valid YAML/);
  assert.deepEqual(provisionedDatasources({ 'influxdb-ca.crt': CA }), []);
});

test('each datasource type is probed where its server proves it answers, not by any 200', () => {
  const prom = datasourceProbeSpec('prometheus')!;
  assert.equal(prom.path, '/api/v1/query?query=1%2B1');
  assert.equal(prom.wrongBody!('{"status":"success","data":{"resultType":"scalar","result":[1700000000,"2"]}}'), undefined);
  assert.match(prom.wrongBody!('<html>login</html>')!, /not JSON/);
  assert.match(prom.wrongBody!('{"status":"success","data":{"result":[1,"3"]}}')!, /not the result 2 of 1\+1/);
  const loki = datasourceProbeSpec('loki')!;
  assert.equal(loki.wrongBody!('{"status":"success","data":["app","namespace"]}'), undefined);
  assert.match(loki.wrongBody!('{"status":"error"}')!, /not a label list/);
  assert.deepEqual(datasourceProbeSpec('InfluxDB'), { path: '/ping', status: 204 });
  assert.equal(datasourceProbeSpec('elasticsearch'), undefined);
  assert.equal(joinUrl('http://loki:3100/', '/ready'), 'http://loki:3100/ready');
});

// ---- the Grafana-server checks: not verified only when the run declares Grafana absent ----

function serverCtx(env: Record<string, string>): { ctx: Ctx; evidence: EvidenceRecorder } {
  const config = loadConfig({ KUBECONFIG: '/nonexistent', ...env });
  const evidence = new EvidenceRecorder(() => undefined, new Redactor());
  const ctx = {
    config,
    clients: new Clients(config),
    evidence,
    signal: new AbortController().signal,
    check: (name: string, run: () => Promise<string>) => check(evidence, name, run),
  } as unknown as Ctx;
  return { ctx, evidence };
}

const REASON = 'no Grafana server can be built from the package registries here';

test('declared absent: every Grafana-server check is not verified, with exactly the declared reason', async () => {
  const { ctx, evidence } = serverCtx({ KUBEPROOF_ABSENT: `grafana=${REASON}`, KUBEPROOF_GRAFANA_URL: 'http://127.0.0.1:1' });
  assert.equal(await grafanaHealthy(ctx), 'pending');
  assert.equal(await grafanaDatasourceConnected(ctx, 'Prometheus'), 'pending');
  assert.equal(await grafanaDashboardExists(ctx, 'CA3 Pipeline Metrics'), 'pending');
  assert.deepEqual(
    evidence.checks.map((c) => [c.status, c.reason]),
    Array(3).fill(['not verified', `grafana is declared absent in this run: ${REASON}`]),
  );
});

test('not declared absent: a Grafana that refuses fails the check, naming where', async () => {
  const { ctx, evidence } = serverCtx({ KUBEPROOF_GRAFANA_URL: 'http://127.0.0.1:1' });
  await assert.rejects(grafanaHealthy(ctx), /127\.0\.0\.1:1.*ECONNREFUSED/s);
  assert.equal(evidence.checks[0].status, 'failed');
});
