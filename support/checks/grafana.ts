import { X509Certificate } from 'node:crypto';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { dashboardsInConfigMaps, dashboardSummary, evaluateDashboard, panelsWithoutValue, type PanelEvaluation, refreshInterval } from '../clients/dashboards';
import { datasourceCaPem, datasourceProbeSpec, joinUrl, type ProvisionedDatasource, provisionedDatasources } from '../clients/grafana';
import { formatLabels } from '../clients/series';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { errorText, NotVerifiedError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';
import { ensureLabelledProbe, httpFromProbe, labelText } from './shared/probe';

// A dashboard JSON is loosely typed: read it defensively.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---- Grafana's own server (not verified only when the run declares Grafana absent) ----

/** "Grafana is healthy". */
export function grafanaHealthy(ctx: Ctx): StepResult {
  return ctx.check('Grafana is healthy', async () => {
    const g = await ctx.clients.grafana();
    const h = await g.health();
    return `${h.request.url}: version ${h.version}, database ${h.database}`;
  });
}

/** "Grafana shows the `Prometheus` datasource as connected" — Grafana's own "Save & test". */
export function grafanaDatasourceConnected(ctx: Ctx, nameOrType: string): StepResult {
  return ctx.check(`Grafana datasource "${nameOrType}" is connected`, async () => {
    const g = await ctx.clients.grafana();
    const ds = await g.findDatasource(nameOrType);
    const h = await g.datasourceHealth(ds);
    await ctx.evidence.json(`datasource ${ds.name} health`, {
      datasource: ds,
      status: h.status,
      message: h.message,
      httpStatus: h.httpStatus,
      asked: h.request.url,
    });
    if (!h.ok) throw new Error(`Grafana datasource ${ds.name} (${ds.type}, ${ds.url}) is not healthy: ${h.status}: ${h.message}`);
    return `${ds.name} (${ds.type} at ${ds.url}): ${h.status} — ${h.message}`;
  });
}

/** "Grafana has a dashboard titled `CA3 Pipeline Metrics`". */
export function grafanaDashboardExists(ctx: Ctx, title: string): StepResult {
  return ctx.check(`Grafana has dashboard "${title}"`, async () => {
    const g = await ctx.clients.grafana();
    const d = await g.dashboardByTitle(title);
    const s = dashboardSummary(d.dashboard);
    await ctx.evidence.json(`dashboard ${title} summary`, s);
    return `uid ${s.uid}, ${s.panelTitles.length} panels: ${s.panelTitles.join(', ')}`;
  });
}

// ---- what the platform provisions for Grafana, read from the cluster ----

async function readConfigMap(ctx: Ctx, name: string): Promise<V1ConfigMap> {
  const namespace = platformNamespace(ctx);
  return ctx.clients
    .kube()
    .core.readNamespacedConfigMap({ name, namespace })
    .catch((e) => {
      throw new Error(`ConfigMap ${namespace}/${name} cannot be read: ${errorText(e).split('\n')[0]}`);
    });
}

/** "the dashboard ConfigMap `grafana-dashboards` holds a dashboard titled `CA3 Pipeline Metrics` with 3 panels" */
export function dashboardConfigMapHolds(ctx: Ctx, configMap: string, title: string, panels: number): StepResult {
  return ctx.check(`ConfigMap ${configMap} holds dashboard "${title}" with ${panels} panels`, async () => {
    const cm = await readConfigMap(ctx, configMap);
    const found = dashboardsInConfigMaps([{ name: configMap, data: cm.data }]);
    await ctx.evidence.table(
      `dashboards in ConfigMap ${configMap}`,
      found.map((d) => ({
        key: d.key,
        title: d.dashboard?.title ?? '',
        panels: d.dashboard ? dashboardSummary(d.dashboard).panelTitles.length : '',
        error: d.error ?? '',
      })),
    );
    const d = found.find((x) => x.dashboard?.title === title);
    if (!d?.dashboard)
      throw new Error(
        `ConfigMap ${configMap} holds no dashboard titled "${title}"; it holds: ${found.map((x) => (x.dashboard ? `"${x.dashboard.title}" (${x.key})` : `${x.key}: ${x.error}`)).join(', ') || 'no *.json key'}`,
      );
    const s = dashboardSummary(d.dashboard);
    if (s.panelTitles.length !== panels)
      throw new Error(`dashboard "${title}" in ConfigMap ${configMap} has ${s.panelTitles.length} panels (${s.panelTitles.join(', ')}), expected ${panels}`);
    return `${configMap}/${d.key}: "${title}", ${panels} panels: ${s.panelTitles.join(', ')}`;
  });
}

/** The dashboard titled `title` in any ConfigMap of the platform namespace (where Grafana's file provider would load it from). */
async function platformDashboard(ctx: Ctx, title: string): Promise<{ where: string; dashboard: Json }> {
  const namespace = platformNamespace(ctx);
  const list = await ctx.clients.kube().core.listNamespacedConfigMap({ namespace });
  const found = dashboardsInConfigMaps(list.items.map((cm) => ({ name: cm.metadata?.name ?? '', data: cm.data })));
  const hit = found.filter((d) => d.dashboard?.title === title);
  if (hit.length === 0)
    throw new Error(
      `no ConfigMap in ${namespace} holds a dashboard titled "${title}"; dashboards found: ${found.map((d) => `${d.configMap}/${d.key}${d.dashboard ? ` "${d.dashboard.title}"` : ` (${d.error})`}`).join(', ') || 'none'}`,
    );
  if (hit.length > 1)
    throw new Error(`${hit.length} ConfigMaps in ${namespace} hold a dashboard titled "${title}": ${hit.map((d) => `${d.configMap}/${d.key}`).join(', ')}`);
  return { where: `ConfigMap ${namespace}/${hit[0].configMap} key ${hit[0].key}`, dashboard: hit[0].dashboard! };
}

/** "every panel of the platform's dashboard `CA3 Pipeline Metrics` shows a value greater than 0": its queries evaluated against Prometheus/Loki. */
export function platformDashboardPanelsShow(ctx: Ctx, title: string, cmp: Comparison, threshold: number): StepResult {
  return ctx.check(`every panel of the platform's dashboard "${title}" shows a value ${describeComparison(cmp, threshold)}`, async () => {
    const { where, dashboard } = await platformDashboard(ctx, title);
    const [prometheus, loki] = await Promise.all([ctx.clients.prometheus().catch(() => undefined), ctx.clients.loki().catch(() => undefined)]);
    const panels = await evaluateDashboard(dashboard, { prometheus, loki });
    await attachPanels(ctx, title, panels);
    if (panels.length === 0) throw new Error(`dashboard "${title}" (${where}) has no panels with queries`);
    const { problems, notVerified } = panelsWithoutValue(panels, (v) => compare(v, cmp, threshold));
    if (problems.length && notVerified === problems.length) throw new NotVerifiedError(problems.join('\n'));
    if (problems.length)
      throw new Error(
        `${problems.length} of ${panels.length} panels of "${title}" (${where}) do not show a value ${describeComparison(cmp, threshold)}:\n${problems.join('\n')}`,
      );
    const shown = panels.map(
      (p) =>
        `${p.title}=${p.targets
          .find((t) => t.status === 'ok')
          ?.values.map((v) => +v.toFixed(3))
          .join('/')}`,
    );
    return `${where}: ${shown.join(', ')}`;
  });
}

/** "the platform's dashboard `CA3 Pipeline Metrics` refreshes every 5s" */
export function platformDashboardRefresh(ctx: Ctx, title: string, refresh: string): StepResult {
  return ctx.check(`the platform's dashboard "${title}" refreshes every ${refresh}`, async () => {
    const { where, dashboard } = await platformDashboard(ctx, title);
    const actual = refreshInterval(dashboard);
    if (actual !== refresh)
      throw new Error(`dashboard "${title}" (${where}) refreshes ${actual ? `every ${actual}` : 'never (no refresh set)'}, expected every ${refresh}`);
    return `${where}: refresh "${actual}"`;
  });
}

async function provisionedDatasource(ctx: Ctx, configMap: string, name: string): Promise<{ ds: ProvisionedDatasource; files: Record<string, string> }> {
  const files = (await readConfigMap(ctx, configMap)).data ?? {};
  const all = provisionedDatasources(files);
  await ctx.evidence.table(
    `datasources provisioned by ConfigMap ${configMap}`,
    all.map((d) => ({ file: d.file, name: d.name, type: d.type, url: d.url, ca: d.tlsCACert ?? '', secureFields: d.secureFields.join(', ') })),
  );
  const ds = all.find((d) => d.name === name);
  if (!ds)
    throw new Error(
      `ConfigMap ${configMap} provisions no datasource named "${name}"; it provisions: ${all.map((d) => `${d.name} (${d.type})`).join(', ') || 'none'}`,
    );
  if (!ds.url) throw new Error(`datasource ${name} (ConfigMap ${configMap}, ${ds.file}) has no url`);
  return { ds, files };
}

/**
 * "Grafana's `Prometheus` datasource in ConfigMap `grafana-datasources` answers
 * from a pod labelled like Service `grafana`": the datasource's URL, asked from
 * a probe pod carrying the Service's selector labels in its namespace — so
 * DNS, the NetworkPolicies that admit Grafana and the server itself are all on
 * the path. HTTPS is validated against the datasource's own CA, never skipped;
 * `httpsOnly` also requires the URL to be HTTPS.
 */
export function datasourceAnswersAsGrafana(ctx: Ctx, name: string, configMap: string, service: string, httpsOnly: boolean): StepResult {
  const over = httpsOnly ? ' over HTTPS' : '';
  return ctx.check(`Grafana datasource ${name} (ConfigMap ${configMap}) answers${over} from a pod labelled like Service ${service}`, async () => {
    const namespace = platformNamespace(ctx);
    const { ds, files } = await provisionedDatasource(ctx, configMap, name);
    const https = ds.url.startsWith('https://');
    if (httpsOnly && !https) throw new Error(`datasource ${name} uses ${ds.url}, not HTTPS`);
    let caPem: string | undefined;
    if (https) {
      if (ds.jsonData.tlsSkipVerify === true) throw new Error(`datasource ${name} (${ds.url}) skips certificate verification (jsonData.tlsSkipVerify)`);
      if (ds.jsonData.tlsAuthWithCACert !== true)
        throw new Error(`datasource ${name} (${ds.url}) does not verify against its own CA (jsonData.tlsAuthWithCACert is not true)`);
      caPem = datasourceCaPem(ds, files);
      await ctx.evidence.text(`CA of datasource ${name}`, caDescription(caPem));
    }
    const spec = datasourceProbeSpec(ds.type);
    if (!spec) throw new NotVerifiedError(`datasource ${name} has type ${ds.type}, for which kubeproof knows no health endpoint`);
    const svc = await ctx.clients
      .kube()
      .core.readNamespacedService({ name: service, namespace })
      .catch((e) => {
        throw new Error(`Service ${namespace}/${service}, whose selector names Grafana's pods, cannot be read: ${errorText(e).split('\n')[0]}`);
      });
    const labels = svc.spec?.selector ?? {};
    if (Object.keys(labels).length === 0) throw new Error(`Service ${namespace}/${service} has no selector: it names no pods whose labels a probe could carry`);
    const probe = await ensureLabelledProbe(ctx, namespace, labels);
    const url = joinUrl(ds.url, spec.path);
    const who = `pod ${probe.pod} (${labelText(labels)})`;
    // A new pod is admitted by the NetworkPolicies once the enforcer has seen it: a few seconds.
    const r = await waitUntil({
      what: `datasource ${name} (${url}) to answer ${spec.status} from ${who}`,
      timeoutMs: 20_000,
      intervalMs: 2000,
      signal: ctx.signal,
      check: async () => {
        const h = await httpFromProbe(ctx, url, { probe, caPem, timeoutS: 4 });
        const wrong = h.status === spec.status ? spec.wrongBody?.(h.body) : undefined;
        const summary = h.tlsError
          ? `TLS does not validate against the datasource's CA: ${h.tlsError}`
          : h.status !== spec.status
            ? `${h.summary}, expected HTTP ${spec.status}`
            : (wrong ?? h.summary);
        return { ok: h.status === spec.status && !wrong, summary, value: h };
      },
    }).catch((e) => {
      throw new Error(`Grafana datasource ${name} (${ds.url}) does not answer from ${who}: ${errorText(e)}`);
    });
    return `${url} from ${who}: ${r.summary}${caPem ? ', certificate validated against the datasource CA' : ''}`;
  });
}

function caDescription(pem: string): string {
  try {
    const c = new X509Certificate(pem);
    return `subject: ${c.subject.replace(/\n/g, ', ')}\nvalid: ${c.validFrom} → ${c.validTo}\nsha256: ${c.fingerprint256}`;
  } catch (e) {
    throw new Error(`the datasource's CA is not a PEM certificate: ${errorText(e)}`, { cause: e });
  }
}

async function attachPanels(ctx: Ctx, title: string, panels: PanelEvaluation[]): Promise<void> {
  await ctx.evidence.table(
    `panels of ${title}`,
    panels.flatMap((p) =>
      p.targets.map((t) => ({
        panel: p.title,
        kind: t.kind,
        expr: t.expr,
        status: t.status,
        values: t.values.map((v) => +v.toFixed(4)).join(', '),
        reason: t.reason ?? '',
      })),
    ),
  );
  for (const p of panels) {
    const series = p.targets.flatMap((t) => (t.series ?? []).map((s) => ({ name: `${t.refId} ${formatLabels(s.metric)}`.trim(), points: s.points })));
    if (series.length) await ctx.evidence.lineChart(series, { title: `panel: ${p.title}` });
  }
}
