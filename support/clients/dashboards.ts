import { errorText, NotVerifiedError } from '../engine/errors';
import type { LogLine, LokiQueryResult } from './loki';
import type { InstantQueryResult, RangeQueryResult } from './prometheus';
import type { RequestRecord, Sample, Series } from './series';

/**
 * Grafana dashboards without Grafana: list every panel target of a dashboard
 * JSON model, substitute its variables the way Grafana would, and evaluate
 * each expression directly against Prometheus or Loki. Listing and
 * substitution are pure; evaluation takes the clients as arguments.
 */

// A dashboard JSON is loosely typed: read it defensively.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type DatasourceKind = 'prometheus' | 'loki' | 'influxdb' | 'expression' | 'grafana' | 'unknown' | (string & {});

export interface DatasourceInfo {
  uid?: string;
  name?: string;
  type: string;
}

export interface PanelTarget {
  panelId?: number;
  panelTitle: string;
  panelType: string;
  /** Title of the row the panel sits in, if any. */
  rowTitle?: string;
  refId: string;
  kind: DatasourceKind;
  datasource?: { uid?: string; name?: string; type?: string };
  /** The expression as written in the dashboard. */
  template: string;
  /** The expression with variables substituted: what is sent. */
  expr: string;
  /** Variables referenced but not known; such a target is not evaluated. */
  unresolved: string[];
  hidden: boolean;
  legendFormat?: string;
}

export interface ListOptions {
  /** Values for template variables (win over the dashboard's current values). */
  variables?: Record<string, string | string[]>;
  /** Grafana's datasources, to resolve datasource references by name or uid. */
  datasources?: DatasourceInfo[];
  /** Kind of a target with no datasource reference (Grafana's default datasource). */
  defaultKind?: DatasourceKind;
  /** Dashboard time range for $__range; default: the dashboard's `time.from`, else 15m. */
  rangeMs?: number;
  /** Prometheus scrape interval, for $__interval and $__rate_interval (default 15s). */
  scrapeIntervalMs?: number;
}

export interface DashboardSummary {
  uid: string;
  title: string;
  refresh: string;
  timeFrom: string;
  panelTitles: string[];
  variables: string[];
}

// ---- listing and substitution (pure) ----

export function dashboardSummary(dashboard: Json): DashboardSummary {
  return {
    uid: String(dashboard.uid ?? ''),
    title: String(dashboard.title ?? ''),
    refresh: String(dashboard.refresh ?? ''),
    timeFrom: String(dashboard.time?.from ?? ''),
    panelTitles: allPanels(dashboard)
      .filter((p) => p.panel.type !== 'row')
      .map((p) => String(p.panel.title ?? '')),
    variables: (dashboard.templating?.list ?? []).map((v: Json) => String(v.name)),
  };
}

/** A dashboard JSON found in a ConfigMap (or why a *.json key is not one). */
export interface StoredDashboard {
  configMap: string;
  key: string;
  dashboard?: Json;
  error?: string;
}

/** Every `*.json` key of the ConfigMaps, parsed: where Grafana's file provider would find dashboards. */
export function dashboardsInConfigMaps(configMaps: { name: string; data?: Record<string, string> }[]): StoredDashboard[] {
  const out: StoredDashboard[] = [];
  for (const cm of configMaps) {
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      if (!key.endsWith('.json')) continue;
      try {
        const dashboard = JSON.parse(text);
        if (dashboard && typeof dashboard === 'object' && !Array.isArray(dashboard)) out.push({ configMap: cm.name, key, dashboard });
        else out.push({ configMap: cm.name, key, error: 'not a JSON object' });
      } catch (e) {
        out.push({ configMap: cm.name, key, error: `not valid JSON: ${errorText(e)}` });
      }
    }
  }
  return out;
}

/** The dashboard's auto-refresh interval ("5s"), or undefined when it does not refresh by itself (missing, "", false). */
export function refreshInterval(dashboard: Json): string | undefined {
  const r = dashboard.refresh;
  return typeof r === 'string' && r.trim() ? r.trim() : undefined;
}

/** Every panel, including those inside rows (collapsed rows nest them; the old schema has `rows`). */
export function allPanels(dashboard: Json): { panel: Json; rowTitle?: string }[] {
  const out: { panel: Json; rowTitle?: string }[] = [];
  let currentRow: string | undefined;
  for (const panel of dashboard.panels ?? []) {
    if (panel.type === 'row') {
      currentRow = panel.title;
      out.push({ panel });
      for (const inner of panel.panels ?? []) out.push({ panel: inner, rowTitle: panel.title });
    } else {
      out.push({ panel, rowTitle: currentRow });
    }
  }
  for (const row of dashboard.rows ?? []) {
    for (const panel of row.panels ?? []) out.push({ panel, rowTitle: row.title });
  }
  return out;
}

/** Every query target of every panel, with its datasource kind and substituted expression. */
export function listPanelTargets(dashboard: Json, opts: ListOptions = {}): PanelTarget[] {
  const rangeMs = opts.rangeMs ?? parseRelativeTime(dashboard.time?.from) ?? 15 * 60_000;
  const values = { ...builtinVariables(rangeMs, opts.scrapeIntervalMs), ...templateVariableValues(dashboard), ...(opts.variables ?? {}) };
  const targets: PanelTarget[] = [];
  for (const { panel, rowTitle } of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      const ref = target.datasource ?? panel.datasource;
      const kind = resolveKind(isMixed(ref) ? target.datasource : ref, dashboard, opts);
      const template = String(target.expr ?? target.query ?? target.rawSql ?? '');
      const { text, unresolved } = substituteVariables(template, values);
      targets.push({
        panelId: panel.id,
        panelTitle: String(panel.title ?? ''),
        panelType: String(panel.type ?? ''),
        rowTitle,
        refId: String(target.refId ?? 'A'),
        kind,
        datasource: typeof ref === 'object' && ref ? { uid: ref.uid, type: ref.type } : typeof ref === 'string' ? { name: ref } : undefined,
        template,
        expr: text,
        unresolved,
        hidden: Boolean(target.hide),
        legendFormat: target.legendFormat,
      });
    }
  }
  return targets;
}

/** Grafana's global variables, with the defaults Grafana computes for a ~1000 px wide panel. */
export function builtinVariables(rangeMs: number, scrapeIntervalMs = 15_000): Record<string, string> {
  // $__interval is range / max data points, never below the scrape interval.
  const intervalMs = Math.max(scrapeIntervalMs, Math.round(rangeMs / 1000 / 1000) * 1000);
  // Grafana: max($__interval + scrape interval, 4 × scrape interval).
  const rateIntervalMs = Math.max(intervalMs + scrapeIntervalMs, 4 * scrapeIntervalMs);
  const rangeS = Math.round(rangeMs / 1000);
  return {
    __interval: promDuration(intervalMs),
    __interval_ms: String(intervalMs),
    __rate_interval: promDuration(rateIntervalMs),
    __rate_interval_ms: String(rateIntervalMs),
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(rangeMs),
    __auto: promDuration(intervalMs),
  };
}

/** The dashboard's own current values of its template variables. */
export function templateVariableValues(dashboard: Json): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const v of dashboard.templating?.list ?? []) {
    if (!v?.name || v.type === 'datasource' || v.type === 'adhoc') continue;
    let value: unknown = v.current?.value;
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
      value = v.options?.find((o: Json) => o.selected)?.value ?? v.options?.[0]?.value;
    }
    if ((value === undefined || value === '') && typeof v.query === 'string' && ['custom', 'constant', 'textbox', 'interval'].includes(v.type)) {
      value = v.type === 'constant' || v.type === 'textbox' ? v.query : v.query.split(',')[0]?.trim();
    }
    if (value === undefined) continue;
    const all = v.allValue || '.*';
    values[v.name] = Array.isArray(value) ? value.map((x) => (x === '$__all' ? all : String(x))) : value === '$__all' ? all : String(value);
  }
  return values;
}

// $var, ${var}, ${var:format}, [[var]], [[var:format]]
const VARIABLE = /\$\{(\w+)(?::([^}]+))?\}|\[\[(\w+)(?::([^\]]+))?\]\]|\$(\w+)/g;

/**
 * Replaces variable references by their values, as Grafana does for
 * Prometheus/Loki: several values become a regex alternation `(a|b)`.
 * Unknown names are left in place and reported (`$1` in label_replace is not a variable).
 */
export function substituteVariables(expr: string, values: Record<string, string | string[]>): { text: string; unresolved: string[] } {
  const unresolved = new Set<string>();
  const text = expr.replace(VARIABLE, (whole, braced?: string, bracedFmt?: string, bracket?: string, bracketFmt?: string, plain?: string) => {
    const name = braced ?? bracket ?? plain!;
    const format = bracedFmt ?? bracketFmt;
    const value = values[name];
    if (value === undefined) {
      if (!/^\d+$/.test(name)) unresolved.add(name);
      return whole;
    }
    return formatValue(value, format);
  });
  return { text, unresolved: [...unresolved] };
}

function formatValue(value: string | string[], format?: string): string {
  const list = Array.isArray(value) ? value : [value];
  switch (format) {
    case 'csv':
      return list.join(',');
    case 'pipe':
      return list.join('|');
    case 'json':
      return JSON.stringify(Array.isArray(value) ? list : value);
    case 'glob':
      return list.length > 1 ? `{${list.join(',')}}` : list[0];
    case 'regex':
      return list.length > 1 ? `(${list.map(escapeRegex).join('|')})` : escapeRegex(list[0]);
    case 'raw':
    case 'text':
      return list.join(',');
    default:
      return list.length > 1 ? `(${list.map(escapeRegex).join('|')})` : (list[0] ?? '');
  }
}

function escapeRegex(s: string): string {
  // `.*` (the "All" value) is meant as a regex; keep it.
  return s === '.*' ? s : s.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

function isMixed(ref: unknown): boolean {
  if (typeof ref === 'string') return ref === '-- Mixed --';
  return typeof ref === 'object' && ref !== null && ((ref as Json).uid === '-- Mixed --' || (ref as Json).type === 'mixed');
}

/** Datasource reference (object, name, `${DS_VAR}` or none) → kind. */
export function resolveKind(ref: unknown, dashboard: Json, opts: Pick<ListOptions, 'datasources' | 'defaultKind'> = {}): DatasourceKind {
  const fallback = opts.defaultKind ?? 'prometheus';
  if (ref === undefined || ref === null || ref === '' || ref === 'default') return fallback;
  const known = opts.datasources ?? [];
  const byUidOrName = (key: string) => known.find((d) => d.uid === key || d.name === key)?.type;
  const fromVariable = (key: string): string | undefined => {
    const m = /^\$\{?(\w+)\}?$/.exec(key);
    if (!m) return undefined;
    const v = (dashboard.templating?.list ?? []).find((x: Json) => x.name === m[1] && x.type === 'datasource');
    return v ? String(v.query) : undefined;
  };
  if (typeof ref === 'string') {
    if (ref === '-- Grafana --') return 'grafana';
    if (ref === '-- Dashboard --') return 'grafana';
    return normalizeKind(fromVariable(ref) ?? byUidOrName(ref) ?? guessFromName(ref) ?? 'unknown');
  }
  const o = ref as Json;
  if (o.type === '__expr__') return 'expression';
  if (o.type && o.type !== 'datasource') return normalizeKind(o.type);
  if (o.uid) return normalizeKind(fromVariable(o.uid) ?? byUidOrName(o.uid) ?? guessFromName(o.uid) ?? 'unknown');
  return fallback;
}

function normalizeKind(type: string): DatasourceKind {
  const t = type.toLowerCase();
  if (t.includes('prometheus')) return 'prometheus';
  if (t.includes('loki')) return 'loki';
  if (t.includes('influx')) return 'influxdb';
  return t;
}

function guessFromName(name: string): string | undefined {
  return /prom/i.test(name) ? 'prometheus' : /loki/i.test(name) ? 'loki' : /influx/i.test(name) ? 'influxdb' : undefined;
}

/** `now-15m`, `now-6h`, `now-2d` → ms; anything else (absolute times) → undefined. */
export function parseRelativeTime(from: unknown): number | undefined {
  const m = typeof from === 'string' ? /^now-(\d+)([smhdw])$/.exec(from.trim()) : null;
  if (!m) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

/** 60000 → "1m", 90000 → "90s": the shortest exact PromQL duration. */
export function promDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

// ---- evaluation against the real backends ----

export interface DashboardBackends {
  prometheus?: {
    query(q: string): Promise<InstantQueryResult>;
    queryRange(q: string, startMs: number, endMs: number): Promise<RangeQueryResult>;
  };
  loki?: { queryRange(q: string, startMs: number, endMs: number, opts?: { limit?: number }): Promise<LokiQueryResult> };
}

export interface TargetEvaluation extends PanelTarget {
  status: 'ok' | 'error' | 'not-verified' | 'skipped';
  /** Why it is not ok; the backend's own error text for a failed query. */
  reason?: string;
  requests: RequestRecord[];
  /** Prometheus instant samples at evaluation time. */
  samples?: Sample[];
  /** One number per sample (Prometheus) or the last point of each series (Loki metric query). */
  values: number[];
  /** Series over the dashboard range, for charts. */
  series?: Series[];
  /** Loki log queries: the newest lines (capped). */
  lines?: LogLine[];
}

export interface PanelEvaluation {
  panelId?: number;
  title: string;
  type: string;
  rowTitle?: string;
  targets: TargetEvaluation[];
}

export interface EvaluateOptions extends ListOptions {
  /** Also fetch each Prometheus target's range over the dashboard time range (default true). */
  withRange?: boolean;
  maxLines?: number;
  nowMs?: number;
}

/** Evaluates every panel target; a failing target is reported in its result, never thrown. */
export async function evaluateDashboard(dashboard: Json, backends: DashboardBackends, opts: EvaluateOptions = {}): Promise<PanelEvaluation[]> {
  const targets = listPanelTargets(dashboard, opts);
  const nowMs = opts.nowMs ?? Date.now();
  const rangeMs = opts.rangeMs ?? parseRelativeTime(dashboard.time?.from) ?? 15 * 60_000;
  const evaluated = await Promise.all(targets.map((t) => evaluateTarget(t, backends, nowMs - rangeMs, nowMs, opts)));
  const panels: PanelEvaluation[] = [];
  for (const t of evaluated) {
    let panel = panels.find((p) => p.panelId === t.panelId && p.title === t.panelTitle);
    if (!panel) panels.push((panel = { panelId: t.panelId, title: t.panelTitle, type: t.panelType, rowTitle: t.rowTitle, targets: [] }));
    panel.targets.push(t);
  }
  return panels;
}

/**
 * Which panels do not show a wanted value: a panel shows one when one of its
 * evaluated targets returned values and all of them satisfy `wanted`. Panels
 * whose every failing target could not be evaluated here are counted apart.
 */
export function panelsWithoutValue(panels: PanelEvaluation[], wanted: (v: number) => boolean): { problems: string[]; notVerified: number } {
  const problems: string[] = [];
  let notVerified = 0;
  for (const p of panels) {
    const targets = p.targets.filter((t) => t.status !== 'skipped');
    const ok = targets.some((t) => t.status === 'ok' && t.values.length > 0 && t.values.every(wanted));
    if (ok) continue;
    if (targets.length && targets.every((t) => t.status === 'not-verified')) notVerified++;
    problems.push(
      `panel "${p.title}": ${targets.map((t) => (t.status === 'ok' ? `values [${t.values.join(', ')}]` : `${t.status}: ${t.reason}`)).join('; ') || 'no targets'}`,
    );
  }
  return { problems, notVerified };
}

async function evaluateTarget(t: PanelTarget, backends: DashboardBackends, startMs: number, endMs: number, opts: EvaluateOptions): Promise<TargetEvaluation> {
  const base: TargetEvaluation = { ...t, status: 'ok', requests: [], values: [] };
  if (t.hidden) return { ...base, status: 'skipped', reason: 'target is hidden in the dashboard' };
  if (!t.expr.trim()) return { ...base, status: 'skipped', reason: 'target has no expression' };
  if (t.unresolved.length) {
    return {
      ...base,
      status: 'error',
      reason: `unresolved variable${t.unresolved.length > 1 ? 's' : ''} ${t.unresolved.map((n) => `$${n}`).join(', ')}: pass a value for ${t.unresolved.length > 1 ? 'them' : 'it'}`,
    };
  }
  try {
    if (t.kind === 'prometheus') {
      if (!backends.prometheus) throw new NotVerifiedError('no Prometheus client to evaluate this target');
      const instant = await backends.prometheus.query(t.expr);
      const out: TargetEvaluation = { ...base, requests: [instant.request], samples: instant.samples, values: instant.samples.map((s) => s.value) };
      if (opts.withRange !== false) {
        const range = await backends.prometheus.queryRange(t.expr, startMs, endMs);
        out.requests.push(range.request);
        out.series = range.series;
      }
      return out;
    }
    if (t.kind === 'loki') {
      if (!backends.loki) throw new NotVerifiedError('no Loki client to evaluate this target');
      const r = await backends.loki.queryRange(t.expr, startMs, endMs, { limit: opts.maxLines ?? 50 });
      if (r.resultType === 'streams') return { ...base, requests: [r.request], lines: r.lines.slice(-(opts.maxLines ?? 50)), values: [r.lines.length] };
      return { ...base, requests: [r.request], series: r.series, values: r.series.map((s) => s.points.at(-1)?.[1] ?? NaN) };
    }
    return { ...base, status: 'not-verified', reason: `targets of kind "${t.kind}" are not evaluated directly; only Prometheus and Loki are` };
  } catch (e) {
    if (e instanceof NotVerifiedError) return { ...base, status: 'not-verified', reason: errorText(e) };
    return { ...base, status: 'error', reason: errorText(e) };
  }
}
