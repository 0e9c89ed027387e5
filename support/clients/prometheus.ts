import { compare, type Comparison, describeComparison } from '../engine/compare';
import type { Endpoint } from '../engine/config';
import { BadInputError, EndpointError, errorText, WaitTimeoutError } from '../engine/errors';
import { waitUntil } from '../engine/wait';
import { HttpEndpoint, httpEndpoint } from './http';
import {
  ExpectationTimeoutError,
  formatLabels,
  formatValue,
  type Labels,
  parseSampleValue,
  type RequestRecord,
  requestRecord,
  type Sample,
  type Series,
} from './series';

/**
 * Prometheus HTTP API client (/api/v1). Every method returns what was asked
 * (the request, without credentials: those travel in headers) next to what
 * came back, parsed and raw, so steps can attach both to the report.
 */

export interface InstantQueryResult {
  request: RequestRecord;
  query: string;
  resultType: 'vector' | 'scalar' | 'matrix' | 'string';
  /** vector and scalar results. */
  samples: Sample[];
  /** matrix results (an instant query of a range selector such as `up[5m]`). */
  series: Series[];
  warnings: string[];
  raw: unknown;
}

export interface RangeQueryResult {
  request: RequestRecord;
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  series: Series[];
  warnings: string[];
  raw: unknown;
}

export interface Target {
  job: string;
  instance: string;
  health: 'up' | 'down' | 'unknown';
  scrapeUrl: string;
  scrapePool: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDurationMs: number;
  labels: Labels;
  discoveredLabels: Labels;
  /** The scrape pool's interval as Prometheus prints it (`15s`); absent before Prometheus 2.35. */
  scrapeInterval?: string;
}

export interface TargetsResult {
  request: RequestRecord;
  targets: Target[];
  raw: unknown;
}

export interface Rule {
  group: string;
  file: string;
  name: string;
  type: 'alerting' | 'recording';
  query: string;
  health: string;
  lastError?: string;
  /** alerting rules only: inactive | pending | firing */
  state?: string;
  labels: Labels;
  annotations: Labels;
  alerts: Alert[];
  /** The group's evaluation interval. */
  intervalMs?: number;
  /** When the rule was last evaluated (RFC 3339); Go's zero time before the first evaluation. */
  lastEvaluation?: string;
  /** alerting rules only: the `for` duration. */
  forMs?: number;
}

export interface Alert {
  labels: Labels;
  annotations: Labels;
  state: string;
  activeAt?: string;
  value?: string;
}

export interface BuildInfo {
  request: RequestRecord;
  version: string;
  revision: string;
  branch: string;
  goVersion: string;
  raw: unknown;
}

/** /api/v1/status/config: the loaded configuration, defaults filled in, secrets printed as <secret>. */
export interface ConfigResult {
  request: RequestRecord;
  yaml: string;
}

/** /api/v1/status/flags: every command-line flag with its value. */
export interface FlagsResult {
  request: RequestRecord;
  flags: Record<string, string>;
}

/** /api/v1/status/runtimeinfo, e.g. storageRetention `15d`, `15d or 10GiB`. */
export interface RuntimeInfoResult {
  request: RequestRecord;
  info: Record<string, unknown>;
}

export type Aggregation = 'sum' | 'min' | 'max' | 'avg' | 'count';

/** How several samples must satisfy a comparison: each of them, or at least one. */
export type Quantifier = 'all' | 'any';

export interface QueryExpectation {
  query: string;
  comparison: Comparison;
  threshold: number;
  quantifier: Quantifier;
  /** e.g. "every sample of `up` greater than 0" */
  description: string;
}

export interface QueryExpectationResult {
  expectation: QueryExpectation;
  /** The instant query that satisfied the expectation (or the last one, on failure). */
  observation?: InstantQueryResult;
  elapsedMs: number;
  observations: number;
  timeline: { atMs: number; summary: string }[];
  /** The same query over the wait window (with some look-back), for a chart; absent if it failed. */
  range?: RangeQueryResult;
  rangeError?: string;
}

export interface PrometheusOptions {
  requestTimeoutMs: number;
}

export class PrometheusClient {
  private httpClient?: HttpEndpoint;

  constructor(
    readonly endpoint: Endpoint,
    readonly options: PrometheusOptions,
  ) {}

  /** The base URL requests go to (after in-cluster Service resolution). */
  get url(): string {
    return this.http.url;
  }

  private get http(): HttpEndpoint {
    this.httpClient ??= httpEndpoint(this.endpoint, this.options.requestTimeoutMs);
    return this.httpClient;
  }

  private async api<T>(operation: string, path: string, params: Record<string, string>): Promise<{ request: RequestRecord; data: T; warnings: string[] }> {
    const request = requestRecord(this.http.url, path, params);
    const body = await this.http.get<ApiEnvelope<T>>(operation, path, params);
    if (!body || typeof body !== 'object' || body.status !== 'success') {
      throw new EndpointError(`${this.endpoint.name} ${this.http.url}${path}`, operation, `unexpected answer: ${JSON.stringify(body).slice(0, 500)}`);
    }
    return { request, data: body.data, warnings: body.warnings ?? [] };
  }

  /** Instant query at `atMs` (default: now). Malformed PromQL fails with Prometheus's own error text. */
  async query(query: string, atMs?: number): Promise<InstantQueryResult> {
    const params: Record<string, string> = { query };
    if (atMs !== undefined) params.time = toPromTime(atMs);
    const { request, data, warnings } = await this.api<RawQueryData>(`PromQL query \`${query}\``, '/api/v1/query', params);
    return { request, query, ...parseQueryData(data), warnings, raw: data };
  }

  /** Range query; the step defaults to one giving about 200 points. */
  async queryRange(query: string, startMs: number, endMs: number, stepMs = defaultStepMs(startMs, endMs)): Promise<RangeQueryResult> {
    const params = { query, start: toPromTime(startMs), end: toPromTime(endMs), step: `${stepMs / 1000}` };
    const { request, data, warnings } = await this.api<RawQueryData>(`PromQL range query \`${query}\``, '/api/v1/query_range', params);
    const parsed = parseQueryData(data);
    return { request, query, startMs, endMs, stepMs, series: parsed.series, warnings, raw: data };
  }

  /** Active scrape targets with their health and last error. */
  async targets(): Promise<TargetsResult> {
    const { request, data } = await this.api<{ activeTargets: RawTarget[] }>('list scrape targets', '/api/v1/targets', { state: 'active' });
    return { request, targets: parseTargets(data.activeTargets ?? []), raw: data };
  }

  async rules(type?: 'alert' | 'record'): Promise<{ request: RequestRecord; rules: Rule[]; raw: unknown }> {
    const params: Record<string, string> = type ? { type } : {};
    const { request, data } = await this.api<{ groups: RawRuleGroup[] }>('list rules', '/api/v1/rules', params);
    return { request, rules: parseRules(data.groups ?? []), raw: data };
  }

  async alerts(): Promise<{ request: RequestRecord; alerts: Alert[]; raw: unknown }> {
    const { request, data } = await this.api<{ alerts: RawAlert[] }>('list alerts', '/api/v1/alerts', {});
    return { request, alerts: (data.alerts ?? []).map(parseAlert), raw: data };
  }

  async config(): Promise<ConfigResult> {
    const { request, data } = await this.api<{ yaml: string }>('read the loaded configuration', '/api/v1/status/config', {});
    return { request, yaml: data.yaml ?? '' };
  }

  async flags(): Promise<FlagsResult> {
    const { request, data } = await this.api<Record<string, string>>('read the command-line flags', '/api/v1/status/flags', {});
    return { request, flags: data ?? {} };
  }

  async runtimeInfo(): Promise<RuntimeInfoResult> {
    const { request, data } = await this.api<Record<string, unknown>>('read the runtime information', '/api/v1/status/runtimeinfo', {});
    return { request, info: data ?? {} };
  }

  async buildInfo(): Promise<BuildInfo> {
    const { request, data } = await this.api<Record<string, string>>('read build info', '/api/v1/status/buildinfo', {});
    return { request, version: data.version, revision: data.revision, branch: data.branch, goVersion: data.goVersion, raw: data };
  }

  /** `/-/ready` answers 200 once the TSDB is loaded; anything else is an EndpointError. */
  async ready(): Promise<{ request: RequestRecord; ready: true; text: string }> {
    const request = requestRecord(this.http.url, '/-/ready', {});
    const text = await this.http.get<string>('readiness check', '/-/ready');
    return { request, ready: true, text: String(text).trim() };
  }

  /**
   * Waits until the instant query's value(s) satisfy `comparison threshold`
   * (every sample by default; an empty result never does). Returns the
   * satisfying observation and the query's range over the wait window; on
   * timeout throws ExpectationTimeoutError carrying the same evidence.
   */
  async expectQuery(
    query: string,
    comparison: Comparison,
    threshold: number,
    timeoutMs: number,
    opts: { quantifier?: Quantifier; intervalMs?: number; chartLookbackMs?: number; signal?: AbortSignal } = {},
  ): Promise<QueryExpectationResult> {
    const quantifier = opts.quantifier ?? 'all';
    const expectation: QueryExpectation = {
      query,
      comparison,
      threshold,
      quantifier,
      description: `${quantifier === 'all' ? 'every' : 'some'} sample of \`${query}\` ${describeComparison(comparison, threshold)}`,
    };
    const startedMs = Date.now();
    let last: InstantQueryResult | undefined;
    // Kept here as well as in waitUntil so a timeout still has its timeline.
    const timeline: QueryExpectationResult['timeline'] = [];
    const evidence = async (wait: { elapsedMs: number; observations: number }): Promise<QueryExpectationResult> => {
      const result: QueryExpectationResult = { expectation, observation: last, elapsedMs: wait.elapsedMs, observations: wait.observations, timeline };
      // Without one answer the endpoint is down or the query broken: don't spend another timeout.
      if (!last) {
        result.rangeError = 'not fetched: the instant query never answered';
        return result;
      }
      // A little look-back makes a chart readable even when the wait resolved at once.
      const start = Math.min(startedMs, Date.now() - (opts.chartLookbackMs ?? 60_000));
      try {
        result.range = await this.queryRange(query, start, Date.now());
      } catch (e) {
        result.rangeError = errorText(e);
      }
      return result;
    };
    try {
      const wait = await waitUntil<InstantQueryResult>({
        what: expectation.description,
        timeoutMs,
        intervalMs: opts.intervalMs ?? 1000,
        signal: opts.signal,
        check: async () => {
          last = await this.query(query);
          const summary = summarizeInstant(last);
          if (timeline.at(-1)?.summary !== summary) timeline.push({ atMs: Date.now() - startedMs, summary });
          return { ok: satisfies(last, comparison, threshold, quantifier), value: last, summary };
        },
      });
      return await evidence(wait);
    } catch (e) {
      if (e instanceof WaitTimeoutError) {
        const result = await evidence({ elapsedMs: e.waitedMs, observations: e.observations });
        throw new ExpectationTimeoutError(e, result);
      }
      throw e;
    }
  }

  /** Waits until some active target of `job` has the given health; returns that job's targets. */
  async waitForTarget(
    job: string,
    health: Target['health'] = 'up',
    timeoutMs = 30_000,
    intervalMs = 1000,
  ): Promise<{ job: string; health: string; targets: Target[]; request: RequestRecord; elapsedMs: number }> {
    let last: TargetsResult | undefined;
    const wait = await waitUntil<Target[]>({
      what: `Prometheus target of job "${job}" to be ${health}`,
      timeoutMs,
      intervalMs,
      check: async () => {
        last = await this.targets();
        const ofJob = last.targets.filter((t) => t.job === job);
        return { ok: ofJob.some((t) => t.health === health), value: ofJob, summary: summarizeTargets(job, ofJob, last.targets) };
      },
    });
    return { job, health, targets: wait.value ?? [], request: last!.request, elapsedMs: wait.elapsedMs };
  }
}

interface ApiEnvelope<T> {
  status: 'success' | 'error';
  data: T;
  warnings?: string[];
  errorType?: string;
  error?: string;
}

type RawValue = [number, string];

interface RawQueryData {
  resultType: 'vector' | 'scalar' | 'matrix' | 'string';
  result: unknown;
}

interface RawTarget {
  discoveredLabels?: Labels;
  labels?: Labels;
  scrapePool?: string;
  scrapeUrl?: string;
  lastError?: string;
  lastScrape?: string;
  lastScrapeDuration?: number;
  health?: string;
  scrapeInterval?: string;
}

interface RawAlert {
  labels?: Labels;
  annotations?: Labels;
  state?: string;
  activeAt?: string;
  value?: string;
}

interface RawRuleGroup {
  name: string;
  file: string;
  /** seconds */
  interval?: number;
  rules: {
    name: string;
    type: 'alerting' | 'recording';
    query: string;
    health: string;
    lastError?: string;
    state?: string;
    labels?: Labels;
    annotations?: Labels;
    alerts?: RawAlert[];
    lastEvaluation?: string;
    /** alerting rules: `for`, in seconds */
    duration?: number;
  }[];
}

function toPromTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** About 200 points, never finer than one second. */
export function defaultStepMs(startMs: number, endMs: number): number {
  return Math.max(1000, Math.ceil((endMs - startMs) / 200 / 1000) * 1000);
}

const pointOf = ([t, v]: RawValue): [number, number] => [Math.round(t * 1000), parseSampleValue(v)];

/** Turns the API's `data` of a query or query_range into samples (vector/scalar) or series (matrix). */
export function parseQueryData(data: RawQueryData): Pick<InstantQueryResult, 'resultType' | 'samples' | 'series'> {
  const { resultType, result } = data;
  switch (resultType) {
    case 'vector': {
      const samples = (result as { metric: Labels; value: RawValue }[]).map((r) => {
        const [timeMs, value] = pointOf(r.value);
        return { metric: r.metric ?? {}, timeMs, value };
      });
      return { resultType, samples, series: [] };
    }
    case 'matrix': {
      const series = (result as { metric: Labels; values: RawValue[] }[]).map((r) => ({ metric: r.metric ?? {}, points: (r.values ?? []).map(pointOf) }));
      return { resultType, samples: [], series };
    }
    case 'scalar': {
      const [timeMs, value] = pointOf(result as RawValue);
      return { resultType, samples: [{ metric: {}, timeMs, value }], series: [] };
    }
    case 'string':
      // A string result has no numeric value; keep it visible in raw only.
      return { resultType, samples: [], series: [] };
    default:
      throw new BadInputError(`unknown Prometheus result type "${resultType as string}"`);
  }
}

export function parseTargets(raw: RawTarget[]): Target[] {
  return raw.map((t) => ({
    job: t.labels?.job ?? t.discoveredLabels?.job ?? '',
    instance: t.labels?.instance ?? '',
    health: (t.health ?? 'unknown') as Target['health'],
    scrapeUrl: t.scrapeUrl ?? '',
    scrapePool: t.scrapePool ?? '',
    lastError: t.lastError ?? '',
    lastScrape: t.lastScrape ?? '',
    lastScrapeDurationMs: Math.round((t.lastScrapeDuration ?? 0) * 1000),
    labels: t.labels ?? {},
    discoveredLabels: t.discoveredLabels ?? {},
    scrapeInterval: t.scrapeInterval,
  }));
}

function parseAlert(a: RawAlert): Alert {
  return { labels: a.labels ?? {}, annotations: a.annotations ?? {}, state: a.state ?? '', activeAt: a.activeAt, value: a.value };
}

export function parseRules(groups: RawRuleGroup[]): Rule[] {
  return groups.flatMap((g) =>
    (g.rules ?? []).map((r) => ({
      group: g.name,
      file: g.file,
      name: r.name,
      type: r.type,
      query: r.query,
      health: r.health,
      lastError: r.lastError || undefined,
      state: r.state,
      labels: r.labels ?? {},
      annotations: r.annotations ?? {},
      alerts: (r.alerts ?? []).map(parseAlert),
      intervalMs: g.interval === undefined ? undefined : g.interval * 1000,
      lastEvaluation: r.lastEvaluation,
      forMs: r.duration === undefined ? undefined : r.duration * 1000,
    })),
  );
}

/** Aggregates sample values; undefined for no samples (nothing to compare is never a pass). */
export function aggregate(samples: { value: number }[], how: Aggregation = 'sum'): number | undefined {
  if (samples.length === 0) return undefined;
  const values = samples.map((s) => s.value);
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'count':
      return values.length;
  }
}

/** The one value of a single-sample result; an error names the query when there are several or none. */
export function scalar(result: Pick<InstantQueryResult, 'query' | 'samples'>): number {
  if (result.samples.length !== 1) {
    throw new BadInputError(
      `\`${result.query}\` returned ${result.samples.length} samples, expected exactly one`,
      result.samples.length ? 'aggregate it, e.g. sum(...), or compare every sample' : 'the series may not exist (yet): check the metric name and labels',
    );
  }
  return result.samples[0].value;
}

export function satisfies(result: Pick<InstantQueryResult, 'samples'>, cmp: Comparison, threshold: number, quantifier: Quantifier = 'all'): boolean {
  if (result.samples.length === 0) return false;
  const ok = (s: Sample) => compare(s.value, cmp, threshold);
  return quantifier === 'all' ? result.samples.every(ok) : result.samples.some(ok);
}

/** One line for timeline and timeout messages: "2 samples: {job="a"}=3, {job="b"}=0". */
export function summarizeInstant(result: Pick<InstantQueryResult, 'resultType' | 'samples' | 'series'>): string {
  if (result.resultType === 'matrix') return `${result.series.length} series (range result)`;
  if (result.samples.length === 0) return 'empty result (no series match)';
  const shown = result.samples.slice(0, 5).map((s) => `${formatLabels(s.metric)}=${formatValue(s.value)}`);
  const more = result.samples.length > 5 ? `, ... (${result.samples.length - 5} more)` : '';
  return `${result.samples.length} sample${result.samples.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}

function summarizeTargets(job: string, ofJob: Target[], all: Target[]): string {
  if (ofJob.length === 0) {
    const jobs = [...new Set(all.map((t) => t.job))].sort();
    return `no active target with job="${job}"; jobs seen: ${jobs.length ? jobs.join(', ') : '(none)'}`;
  }
  return ofJob.map((t) => `${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('; ');
}
