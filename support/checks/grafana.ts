import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { dashboardSummary, evaluateDashboard, type PanelEvaluation } from '../clients/dashboards';
import { formatLabels } from '../clients/series';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { BadInputError, NotVerifiedError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

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

/**
 * Loads a dashboard: a JSON file, a ConfigMap YAML carrying one (first `*.json`
 * key), or `grafana:<title>` from a running Grafana.
 */
export async function loadDashboard(ctx: Ctx, source: string): Promise<Record<string, any>> {
  if (source.startsWith('grafana:')) return (await (await ctx.clients.grafana()).dashboardByTitle(source.slice(8))).dashboard;
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    throw new BadInputError(`dashboard file ${source} cannot be read`, 'give a path relative to the project root, or grafana:<title>');
  }
  if (source.endsWith('.json')) return JSON.parse(text);
  for (const doc of text
    .split(/^---$/m)
    .map((d) => parseYaml(d))
    .filter(Boolean)) {
    const key = Object.keys(doc?.data ?? {}).find((k) => k.endsWith('.json'));
    if (key) return JSON.parse(doc.data[key]);
  }
  throw new BadInputError(`${source} holds no dashboard JSON`, 'expected a .json file or a ConfigMap with a *.json data key');
}

/** "every panel of the dashboard `x` shows a value greater than 0": evaluated against Prometheus/Loki directly. */
export function dashboardPanelsShow(ctx: Ctx, source: string, cmp: Comparison, threshold: number): StepResult {
  return ctx.check(`every panel of dashboard ${source} shows a value ${describeComparison(cmp, threshold)}`, async () => {
    const dashboard = await loadDashboard(ctx, source);
    const [prometheus, loki] = await Promise.all([ctx.clients.prometheus().catch(() => undefined), ctx.clients.loki().catch(() => undefined)]);
    const panels = await evaluateDashboard(dashboard, { prometheus, loki });
    await attachPanels(ctx, dashboard.title ?? source, panels);
    const problems: string[] = [];
    let notVerified = 0;
    for (const p of panels) {
      const targets = p.targets.filter((t) => t.status !== 'skipped');
      if (targets.some((t) => t.status === 'not-verified')) notVerified++;
      const ok = targets.some((t) => t.status === 'ok' && t.values.length > 0 && t.values.every((v) => compare(v, cmp, threshold)));
      if (!ok)
        problems.push(
          `panel "${p.title}": ${targets.map((t) => (t.status === 'ok' ? `values [${t.values.join(', ')}]` : `${t.status}: ${t.reason}`)).join('; ') || 'no targets'}`,
        );
    }
    if (panels.length === 0) throw new BadInputError(`dashboard ${source} has no panels with queries`);
    if (problems.length && notVerified === problems.length) throw new NotVerifiedError(problems.join('\n'));
    if (problems.length)
      throw new Error(`${problems.length} of ${panels.length} panels do not show a value ${describeComparison(cmp, threshold)}:\n${problems.join('\n')}`);
    return panels
      .map(
        (p) =>
          `${p.title}=${p.targets
            .find((t) => t.status === 'ok')
            ?.values.map((v) => +v.toFixed(3))
            .join('/')}`,
      )
      .join(', ');
  });
}

/** "the dashboard `x` refreshes every 5s". */
export function dashboardRefresh(ctx: Ctx, source: string, refresh: string): StepResult {
  return ctx.check(`dashboard ${source} refreshes every ${refresh}`, async () => {
    const s = dashboardSummary(await loadDashboard(ctx, source));
    if (s.refresh !== refresh) throw new Error(`dashboard "${s.title}" refresh is "${s.refresh || '(off)'}", expected "${refresh}"`);
    return `"${s.title}" refresh=${s.refresh}`;
  });
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
