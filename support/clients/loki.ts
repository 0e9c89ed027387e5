import { compare, type Comparison, describeComparison } from '../engine/compare';
import type { Endpoint } from '../engine/config';
import { EndpointError, WaitTimeoutError } from '../engine/errors';
import { waitUntil } from '../engine/wait';
import { HttpEndpoint, httpEndpoint } from './http';
import { ExpectationTimeoutError, type Labels, parseSampleValue, type RequestRecord, requestRecord, type Series } from './series';

/**
 * Loki HTTP API client (/loki/api/v1). Auth is the endpoint's bearer or basic
 * credentials; a multi-tenant Loki also needs X-Scope-OrgID, taken from the
 * `tenant` option (KUBEPROOF_LOKI_TENANT).
 */

export interface LogLine {
  /** Loki's nanosecond timestamp, as sent (exact, unlike timeMs). */
  timestampNs: string;
  timeMs: number;
  line: string;
  labels: Labels;
}

export interface LokiQueryResult {
  request: RequestRecord;
  query: string;
  startMs: number;
  endMs: number;
  resultType: 'streams' | 'matrix' | 'vector';
  /** Log queries: every returned line, oldest first. */
  lines: LogLine[];
  /** Metric queries (rate, count_over_time...): Prometheus-shaped series. */
  series: Series[];
  /** Whether Loki may have cut the answer at `limit` lines. */
  limitReached: boolean;
  limit: number;
  raw: unknown;
}

export interface LinesExpectationResult {
  query: string;
  description: string;
  /** The look-back window of the last query: lines between these times counted. */
  startMs: number;
  endMs: number;
  count: number;
  /** Loki stopped at the query's limit: there may be more lines than `count`. */
  limitReached: boolean;
  /** The newest lines (at most `maxLines`), oldest first. */
  lines: LogLine[];
  request?: RequestRecord;
  elapsedMs: number;
  observations: number;
  timeline: { atMs: number; summary: string }[];
}

export interface LokiOptions {
  requestTimeoutMs: number;
  /** X-Scope-OrgID for multi-tenant Loki (KUBEPROOF_LOKI_TENANT). */
  tenant?: string;
}

const MAX_LIMIT = 5000; // Loki's default max_entries_limit_per_query

export class LokiClient {
  private httpClient?: HttpEndpoint;
  private readonly headers: Record<string, string>;

  constructor(
    readonly endpoint: Endpoint,
    readonly options: LokiOptions,
  ) {
    const tenant = options.tenant;
    this.headers = tenant ? { 'X-Scope-OrgID': tenant } : {};
  }

  private get http(): HttpEndpoint {
    this.httpClient ??= httpEndpoint(this.endpoint, this.options.requestTimeoutMs);
    return this.httpClient;
  }

  private async get<T>(operation: string, path: string, params: Record<string, string>): Promise<{ request: RequestRecord; data: T }> {
    const request = requestRecord(this.http.url, path, params);
    const body = await this.http.request<{ status: string; data: T }>(operation, 'GET', path, { params, headers: this.headers });
    if (!body || typeof body !== 'object' || body.status !== 'success') {
      throw new EndpointError(`${this.endpoint.name} ${this.http.url}${path}`, operation, `unexpected answer: ${JSON.stringify(body).slice(0, 500)}`);
    }
    return { request, data: body.data };
  }

  /** Log or metric query over [startMs, endMs]. Malformed LogQL fails with Loki's parse error. */
  async queryRange(
    query: string,
    startMs: number,
    endMs: number,
    opts: { limit?: number; direction?: 'backward' | 'forward'; stepMs?: number } = {},
  ): Promise<LokiQueryResult> {
    const limit = Math.min(opts.limit ?? 100, MAX_LIMIT);
    const params: Record<string, string> = {
      query,
      start: toNs(startMs),
      end: toNs(endMs),
      limit: String(limit),
      direction: opts.direction ?? 'backward',
    };
    if (opts.stepMs) params.step = `${opts.stepMs / 1000}s`;
    const { request, data } = await this.get<RawLokiData>(`LogQL query \`${query}\``, '/loki/api/v1/query_range', params);
    const parsed = parseLokiData(data);
    return { request, query, startMs, endMs, ...parsed, limitReached: parsed.resultType === 'streams' && parsed.lines.length >= limit, limit, raw: data };
  }

  async labels(startMs?: number, endMs?: number): Promise<{ request: RequestRecord; labels: string[] }> {
    const { request, data } = await this.get<string[]>('list labels', '/loki/api/v1/labels', timeRange(startMs, endMs));
    return { request, labels: data ?? [] };
  }

  async labelValues(label: string, startMs?: number, endMs?: number): Promise<{ request: RequestRecord; label: string; values: string[] }> {
    const path = `/loki/api/v1/label/${encodeURIComponent(label)}/values`;
    const { request, data } = await this.get<string[]>(`list values of label ${label}`, path, timeRange(startMs, endMs));
    return { request, label, values: data ?? [] };
  }

  /** Label sets of the streams matching a selector such as `{app="producer"}`. */
  async series(match: string, startMs?: number, endMs?: number): Promise<{ request: RequestRecord; match: string; series: Labels[] }> {
    const params = { 'match[]': match, ...timeRange(startMs, endMs) };
    const { request, data } = await this.get<Labels[]>(`list series matching ${match}`, '/loki/api/v1/series', params);
    return { request, match, series: data ?? [] };
  }

  /** `/ready` answers 200 "ready" once the ingester has joined the ring. */
  async ready(): Promise<{ request: RequestRecord; ready: true; text: string }> {
    const request = requestRecord(this.http.url, '/ready', {});
    const text = await this.http.request<string>('readiness check', 'GET', '/ready', { headers: this.headers });
    return { request, ready: true, text: String(text).trim() };
  }

  /** The running configuration as Loki prints it at /config (YAML, defaults filled in; `mode=diff` for changes only). */
  async config(mode?: 'diff' | 'defaults'): Promise<{ request: RequestRecord; yaml: string }> {
    const params: Record<string, string> = mode ? { mode } : {};
    const request = requestRecord(this.http.url, '/config', params);
    const text = await this.http.request<unknown>('read the configuration', 'GET', '/config', { params, headers: this.headers });
    if (typeof text !== 'string')
      throw new EndpointError(`${this.endpoint.name} ${this.http.url}/config`, 'read the configuration', 'the answer is not YAML text');
    return { request, yaml: text };
  }

  /** Pushes lines into one stream (used by tests and probes). */
  async push(labels: Labels, lines: (string | { line: string; timeMs: number })[]): Promise<{ pushed: number }> {
    const values = lines.map((l) => (typeof l === 'string' ? [toNs(Date.now()), l] : [toNs(l.timeMs), l.line]));
    await this.http.request('push log lines', 'POST', '/loki/api/v1/push', {
      data: { streams: [{ stream: labels, values }] },
      headers: { ...this.headers, 'Content-Type': 'application/json' },
    });
    return { pushed: values.length };
  }

  /**
   * Waits at most `withinMs` until the number of lines the log query returns
   * over the look-back window (default 5 minutes before the wait began, up to
   * now) satisfies `comparison count`. Returns the newest lines (capped).
   */
  async expectLines(
    logql: string,
    comparison: Comparison,
    count: number,
    withinMs: number,
    opts: { lookbackMs?: number; maxLines?: number; intervalMs?: number; signal?: AbortSignal } = {},
  ): Promise<LinesExpectationResult> {
    const startedMs = Date.now();
    const windowStartMs = startedMs - (opts.lookbackMs ?? 5 * 60_000);
    // One more line than the threshold is enough to decide any comparison.
    const limit = Math.min(Math.max(count + 1, opts.maxLines ?? 50), MAX_LIMIT);
    const description = `LogQL \`${logql}\` to return ${describeComparison(comparison, count)} line${count === 1 ? '' : 's'}`;
    const timeline: LinesExpectationResult['timeline'] = [];
    let last: LokiQueryResult | undefined;
    let observations = 0;

    const evidence = (elapsedMs: number): LinesExpectationResult => ({
      query: logql,
      description,
      startMs: last?.startMs ?? windowStartMs,
      endMs: last?.endMs ?? startedMs,
      count: last?.lines.length ?? 0,
      limitReached: last?.limitReached ?? false,
      lines: (last?.lines ?? []).slice(-(opts.maxLines ?? 50)),
      request: last?.request,
      elapsedMs,
      observations,
      timeline,
    });

    try {
      const wait = await waitUntil<LokiQueryResult>({
        what: description,
        timeoutMs: withinMs,
        intervalMs: opts.intervalMs ?? 1000,
        signal: opts.signal,
        check: async () => {
          last = await this.queryRange(logql, windowStartMs, Date.now(), { limit });
          observations++;
          const n = last.lines.length;
          const summary =
            last.resultType === 'streams'
              ? `${n}${last.limitReached ? '+' : ''} line${n === 1 ? '' : 's'}${n ? `; newest: ${last.lines[n - 1].line.slice(0, 200)}` : ''}`
              : `metric query (${last.resultType}), not a log query`;
          if (timeline.at(-1)?.summary !== summary) timeline.push({ atMs: Date.now() - startedMs, summary });
          return { ok: last.resultType === 'streams' && compare(n, comparison, count), value: last, summary };
        },
      });
      return evidence(wait.elapsedMs);
    } catch (e) {
      if (e instanceof WaitTimeoutError) throw new ExpectationTimeoutError(e, evidence(e.waitedMs));
      throw e;
    }
  }
}

// ---- pure helpers (unit tested) ----

interface RawLokiData {
  resultType: 'streams' | 'matrix' | 'vector';
  result: unknown;
  stats?: unknown;
}

function toNs(ms: number): string {
  return `${Math.round(ms)}000000`;
}

function timeRange(startMs?: number, endMs?: number): Record<string, string> {
  const params: Record<string, string> = {};
  if (startMs !== undefined) params.start = toNs(startMs);
  if (endMs !== undefined) params.end = toNs(endMs);
  return params;
}

/** Nanosecond string → ms, without losing precision through a float of 19 digits. */
export function nsToMs(ns: string): number {
  return ns.length > 6 ? Number(ns.slice(0, -6)) : 0;
}

/** Streams → flat lines (oldest first); matrix/vector → Prometheus-shaped series. */
export function parseLokiData(data: RawLokiData): Pick<LokiQueryResult, 'resultType' | 'lines' | 'series'> {
  switch (data.resultType) {
    case 'streams': {
      const streams = (data.result ?? []) as { stream: Labels; values: [string, string, unknown?][] }[];
      const lines = streams.flatMap((s) => (s.values ?? []).map(([ts, line]) => ({ timestampNs: ts, timeMs: nsToMs(ts), line, labels: s.stream ?? {} })));
      lines.sort((a, b) => compareNs(a.timestampNs, b.timestampNs));
      return { resultType: 'streams', lines, series: [] };
    }
    case 'matrix': {
      const result = (data.result ?? []) as { metric: Labels; values: [number, string][] }[];
      const series = result.map((r) => ({
        metric: r.metric ?? {},
        points: (r.values ?? []).map(([t, v]) => [Math.round(t * 1000), parseSampleValue(v)] as [number, number]),
      }));
      return { resultType: 'matrix', lines: [], series };
    }
    case 'vector': {
      const result = (data.result ?? []) as { metric: Labels; value: [number, string] }[];
      const series = result.map((r) => ({
        metric: r.metric ?? {},
        points: [[Math.round(r.value[0] * 1000), parseSampleValue(r.value[1])] as [number, number]],
      }));
      return { resultType: 'vector', lines: [], series };
    }
    default:
      throw new EndpointError('loki', 'parse query result', `unknown result type "${String(data.resultType)}"`);
  }
}

function compareNs(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
