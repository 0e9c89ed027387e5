import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  allPanels,
  builtinVariables,
  dashboardsInConfigMaps,
  dashboardSummary,
  type PanelEvaluation,
  panelsWithoutValue,
  refreshInterval,
  listPanelTargets,
  parseRelativeTime,
  promDuration,
  resolveKind,
  substituteVariables,
  templateVariableValues,
} from '../../support/clients/dashboards';

const ca3 = JSON.parse(readFileSync(join(__dirname, '../../fixtures/dashboards/ca3-pipeline-metrics.json'), 'utf8'));

test('the CA3 dashboard has the three plan panels, refreshing every 5s', () => {
  const s = dashboardSummary(ca3);
  assert.equal(s.title, 'CA3 Pipeline Metrics');
  assert.equal(s.refresh, '5s');
  assert.deepEqual(s.panelTitles, ['Producer rate (events/sec)', 'Processor rate (messages/sec)', 'Database inserts/sec']);
  const targets = listPanelTargets(ca3);
  assert.deepEqual(
    targets.map((t) => [t.kind, t.expr]),
    [
      ['prometheus', 'sum(rate(producer_messages_sent_total[1m]))'],
      ['prometheus', 'sum(rate(processor_messages_consumed_total[1m]))'],
      ['prometheus', 'sum(rate(processor_influxdb_writes_total[1m]))'],
    ],
  );
});

// A dashboard in the shapes Grafana exports: a collapsed row, a mixed panel,
// datasource variables, template variables, Loki and Influx targets.
const exported = {
  title: 'Pipeline',
  time: { from: 'now-1h', to: 'now' },
  templating: {
    list: [
      { name: 'DS_PROM', type: 'datasource', query: 'prometheus', current: { value: 'P1809F7CD0C75ACF3' } },
      { name: 'namespace', type: 'query', current: { text: 'conveyor-pipeline', value: 'conveyor-pipeline' } },
      { name: 'pod', type: 'query', includeAll: true, current: { value: ['$__all'] } },
      { name: 'app', type: 'custom', query: 'producer,processor', current: { value: ['producer', 'processor'] } },
      { name: 'level', type: 'custom', query: 'error, warn', options: [] },
    ],
  },
  panels: [
    {
      id: 1,
      type: 'timeseries',
      title: 'Rate',
      datasource: { type: 'prometheus', uid: '${DS_PROM}' },
      targets: [{ refId: 'A', expr: 'sum(rate(producer_messages_sent_total{namespace="$namespace", pod=~"${pod}"}[$__rate_interval]))' }],
    },
    {
      id: 2,
      type: 'row',
      title: 'Logs',
      collapsed: true,
      panels: [
        {
          id: 3,
          type: 'logs',
          title: 'Producer logs',
          datasource: { type: 'datasource', uid: '-- Mixed --' },
          targets: [
            { refId: 'A', datasource: { uid: 'loki-uid' }, expr: '{app=~"$app"} |= "Speed:"' },
            { refId: 'B', datasource: 'InfluxDB', query: 'SELECT count(*) FROM m WHERE $timeFilter', hide: true },
          ],
        },
      ],
    },
    {
      id: 4,
      type: 'stat',
      title: 'Old style',
      targets: [{ refId: 'A', expr: 'label_replace(up, "x", "$1", "job", "(.*)") * on() group_left [[level]] $missing' }],
    },
  ],
};

test('panels in collapsed rows are found, with their row', () => {
  const titles = allPanels(exported).map((p) => [p.panel.title, p.rowTitle]);
  assert.deepEqual(titles, [
    ['Rate', undefined],
    ['Logs', undefined],
    ['Producer logs', 'Logs'],
    ['Old style', 'Logs'],
  ]);
});

test('variables are substituted: current values, All as .*, multi-values as a regex, builtins', () => {
  const [rate, logs, influx, old] = listPanelTargets(exported, { datasources: [{ uid: 'loki-uid', name: 'Loki', type: 'loki' }] });
  assert.equal(rate.kind, 'prometheus');
  assert.equal(rate.expr, 'sum(rate(producer_messages_sent_total{namespace="conveyor-pipeline", pod=~".*"}[1m]))');
  assert.deepEqual(rate.unresolved, []);
  assert.equal(logs.kind, 'loki');
  assert.equal(logs.expr, '{app=~"(producer|processor)"} |= "Speed:"');
  assert.equal(influx.kind, 'influxdb');
  assert.equal(influx.hidden, true);
  assert.deepEqual(influx.unresolved, ['timeFilter']);
  // `$1` is a regex group, not a variable; [[level]] falls back to the first custom option.
  assert.equal(old.expr, 'label_replace(up, "x", "$1", "job", "(.*)") * on() group_left error $missing');
  assert.deepEqual(old.unresolved, ['missing']);
});

test('provided values win over the dashboard', () => {
  const [rate] = listPanelTargets(exported, { variables: { namespace: 'staging', pod: 'producer-0' } });
  assert.match(rate.expr, /namespace="staging", pod=~"producer-0"/);
});

test('formats: ${var:csv}, ${var:pipe}, ${var:regex}', () => {
  const values = { app: ['a.b', 'c'] };
  assert.equal(substituteVariables('${app:csv}', values).text, 'a.b,c');
  assert.equal(substituteVariables('${app:pipe}', values).text, 'a.b|c');
  assert.equal(substituteVariables('${app:regex}', values).text, '(a\\.b|c)');
  assert.equal(substituteVariables('[[app]]', { app: 'x' }).text, 'x');
});

test('builtin intervals follow Grafana: $__rate_interval is at least 4 scrape intervals', () => {
  assert.deepEqual(
    [builtinVariables(15 * 60_000).__interval, builtinVariables(15 * 60_000).__rate_interval, builtinVariables(15 * 60_000).__range],
    ['15s', '1m', '900s'],
  );
  const day = builtinVariables(24 * 3_600_000);
  assert.equal(day.__interval, '86s', 'range / 1000 points, in whole seconds');
  assert.equal(day.__rate_interval, '101s');
  assert.equal(builtinVariables(60_000, 30_000).__rate_interval, '2m');
});

test('datasource references resolve by type, uid, name, variable or default', () => {
  assert.equal(resolveKind(undefined, {}), 'prometheus');
  assert.equal(resolveKind(undefined, {}, { defaultKind: 'loki' }), 'loki');
  assert.equal(resolveKind({ type: 'loki', uid: 'x' }, {}), 'loki');
  assert.equal(resolveKind('Loki Logs', {}), 'loki');
  assert.equal(resolveKind('${DS_PROM}', exported), 'prometheus');
  assert.equal(resolveKind({ uid: 'abc' }, {}, { datasources: [{ uid: 'abc', type: 'influxdb' }] }), 'influxdb');
  assert.equal(resolveKind({ type: '__expr__', uid: '__expr__' }, {}), 'expression');
});

test('template values and relative times', () => {
  assert.deepEqual(templateVariableValues(exported), { namespace: 'conveyor-pipeline', pod: ['.*'], app: ['producer', 'processor'], level: 'error' });
  assert.equal(parseRelativeTime('now-6h'), 6 * 3_600_000);
  assert.equal(parseRelativeTime('2026-01-01'), undefined);
  assert.equal(promDuration(90_000), '90s');
  assert.equal(promDuration(120_000), '2m');
});

// ---- the platform's dashboard, as the checks read it from a ConfigMap ----

function manifestConfigMap(file: string, name: string): { name: string; data: Record<string, string> } {
  const docs = parseAllDocuments(readFileSync(join(__dirname, '../..', file), 'utf8')).map((d) => d.toJS());
  const cm = docs.find((d) => d?.kind === 'ConfigMap' && d.metadata?.name === name);
  assert.ok(cm, `${file} has ConfigMap ${name}`);
  return { name, data: cm.data };
}

test("the platform's dashboard ConfigMap holds the CA3 dashboard (this fixture), three panels, refresh 5s", () => {
  const found = dashboardsInConfigMaps([manifestConfigMap('manifests/base/grafana-dashboards.yaml', 'grafana-dashboards')]);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].dashboard, ca3, 'the unit tests use the dashboard the platform deploys');
  assert.equal(dashboardSummary(found[0].dashboard!).panelTitles.length, 3);
  assert.equal(refreshInterval(found[0].dashboard!), '5s');
});

test('a dashboard that lost a panel counts two; a key that is not JSON is named, not skipped', () => {
  const two = { ...ca3, panels: ca3.panels.slice(0, 2) };
  const found = dashboardsInConfigMaps([
    { name: 'grafana-dashboards', data: { 'ca3.json': JSON.stringify(two), 'broken.json': '{"title": ', 'README.md': '# not a dashboard' } },
  ]);
  assert.equal(found.length, 2);
  assert.equal(dashboardSummary(found[0].dashboard!).panelTitles.length, 2);
  assert.equal(found[1].key, 'broken.json');
  assert.match(found[1].error!, /not valid JSON/);
});

test('refresh: only a set interval counts; missing, empty and false mean the dashboard never refreshes', () => {
  assert.equal(refreshInterval({ refresh: '5s' }), '5s');
  assert.equal(refreshInterval({ refresh: '1m' }), '1m');
  assert.equal(refreshInterval({}), undefined);
  assert.equal(refreshInterval({ refresh: '' }), undefined);
  assert.equal(refreshInterval({ refresh: false }), undefined);
});

function panel(title: string, ...targets: Partial<PanelEvaluation['targets'][number]>[]): PanelEvaluation {
  return {
    title,
    type: 'timeseries',
    targets: targets.map((t) => ({
      panelTitle: title,
      panelType: 'timeseries',
      refId: 'A',
      kind: 'prometheus',
      template: '',
      expr: 'x',
      unresolved: [],
      hidden: false,
      status: 'ok',
      requests: [],
      values: [],
      ...t,
    })),
  };
}

test('a panel shows a value only when a target returned values and all of them pass', () => {
  const above0 = (v: number) => v > 0;
  const ok = panelsWithoutValue([panel('rate', { values: [3.2] })], above0);
  assert.deepEqual(ok, { problems: [], notVerified: 0 });
  const bad = panelsWithoutValue(
    [
      panel('empty', { values: [] }),
      panel('zero', { values: [0] }),
      panel('one of two', { values: [1, 0] }),
      panel('error', { status: 'error', reason: 'bad_data' }),
    ],
    above0,
  );
  assert.equal(bad.notVerified, 0);
  assert.deepEqual(bad.problems, [
    'panel "empty": values []',
    'panel "zero": values [0]',
    'panel "one of two": values [1, 0]',
    'panel "error": error: bad_data',
  ]);
  const nv = panelsWithoutValue([panel('influx', { status: 'not-verified', reason: 'no client' })], above0);
  assert.deepEqual(nv, { problems: ['panel "influx": not-verified: no client'], notVerified: 1 });
});
