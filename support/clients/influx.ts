import axios from 'axios';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import type { Endpoint } from '../engine/config';
import { BadInputError, EndpointError, errorText } from '../engine/errors';
import { waitUntil } from '../engine/wait';
import { HttpEndpoint, httpEndpoint } from './http';
import type { RequestRecord } from './series';

/**
 * InfluxDB 1.x over HTTP or HTTPS (TLS options come from the endpoint via
 * http.ts). Credentials go as basic auth by default; `credentials: 'params'`
 * sends them as u/p query parameters instead (older setups), and the
 * recorded request then shows p as "***".
 */

export interface InfluxSeries {
  name: string;
  tags: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface InfluxQueryResult {
  request: RequestRecord;
  query: string;
  database?: string;
  /** One entry per statement, in order. */
  statements: { statementId: number; series: InfluxSeries[]; error?: string }[];
  raw: unknown;
}

export interface InfluxCountResult {
  request: RequestRecord;
  query: string;
  measurement: string;
  /** Points in the window: the largest per-field count (count(*) counts each field). */
  count: number;
  /** count_<field> → count, as InfluxDB returned them. */
  perField: Record<string, number>;
}

export interface InfluxOptions {
  requestTimeoutMs: number;
  database?: string;
  credentials?: 'basic' | 'params';
}

export class InfluxClient {
  private httpClient?: HttpEndpoint;

  constructor(
    readonly endpoint: Endpoint & { database?: string },
    readonly options: InfluxOptions,
  ) {}

  get database(): string | undefined {
    return this.options.database ?? this.endpoint.database;
  }

  private get http(): HttpEndpoint {
    if (!this.httpClient) {
      // With u/p parameters, keep basic auth off so the password travels one way only.
      const endpoint = this.options.credentials === 'params' ? { ...this.endpoint, auth: undefined } : this.endpoint;
      this.httpClient = httpEndpoint(endpoint, this.options.requestTimeoutMs);
    }
    return this.httpClient;
  }

  private authParams(): Record<string, string> {
    const auth = this.endpoint.auth;
    return this.options.credentials === 'params' && auth?.username ? { u: auth.username, p: auth.password ?? '' } : {};
  }

  private record(path: string, params: Record<string, string>): RequestRecord {
    const shown = { ...params };
    if ('p' in shown) shown.p = '***';
    const qs = new URLSearchParams(shown).toString();
    return { method: 'GET', url: `${this.http.url}${path}${qs ? `?${qs}` : ''}`, params: shown };
  }

  /** `/ping` answers 204 with the version in a header. */
  async ping(): Promise<{ request: RequestRecord; version: string }> {
    const request = this.record('/ping', {});
    const where = `${this.endpoint.name} ${this.http.url}/ping`;
    let res;
    try {
      res = await this.http.client.get('/ping', { params: this.authParams() });
    } catch (e) {
      throw new EndpointError(where, 'ping', errorText(e), `check that InfluxDB is running and reachable at ${this.http.url}`);
    }
    if (res.status !== 204 && res.status !== 200) throw new EndpointError(where, 'ping', `HTTP ${res.status}`);
    return { request, version: String(res.headers['x-influxdb-version'] ?? 'unknown') };
  }

  /**
   * Runs InfluxQL. Read statements go as GET, others (CREATE, DROP...) as POST,
   * as InfluxDB 1.x requires. A statement error (e.g. "database not found")
   * is an EndpointError so waits retry it; a parse error is a 400 → BadInputError.
   * `database`: default the configured one; null for statements on the server (SHOW DATABASES).
   */
  async query(influxql: string, database?: string | null): Promise<InfluxQueryResult> {
    if (database === undefined) database = this.database;
    const params: Record<string, string> = { q: influxql, epoch: 'ms', ...this.authParams() };
    if (database) params.db = database;
    const request = this.record('/query', params);
    const operation = `InfluxQL query \`${influxql}\`${database ? ` on database ${database}` : ''}`;
    const method = /^\s*(select|show)\b/i.test(influxql) ? 'GET' : 'POST';
    const raw = await this.http.request<RawInfluxResponse>(operation, method, '/query', { params });
    const statements = parseInfluxResponse(raw);
    const failed = statements.find((s) => s.error);
    if (failed) throw new EndpointError(`${this.endpoint.name} ${this.http.url}/query`, operation, failed.error!);
    return { request: { ...request, method }, query: influxql, database: database ?? undefined, statements, raw };
  }

  async showDatabases(): Promise<{ request: RequestRecord; databases: string[] }> {
    const r = await this.query('SHOW DATABASES', null);
    return { request: r.request, databases: firstColumn(r) };
  }

  async createDatabase(name: string): Promise<void> {
    await this.query(`CREATE DATABASE ${quoteIdent(name)}`, null);
  }

  /** Points of `measurement` written in the last `sinceMs` ms, or since a Date. */
  async count(measurement: string, since: number | Date, database = this.database): Promise<InfluxCountResult> {
    const query = countQuery(measurement, since);
    const r = await this.query(query, database);
    return { request: r.request, query, measurement, ...countFromResult(r) };
  }

  /**
   * What the server answers to plain HTTP on the endpoint's host and port.
   * An HTTPS-only InfluxDB (Go's TLS server) answers 400 "Client sent an HTTP
   * request to an HTTPS server"; 204 means it also accepts plain HTTP.
   */
  async plainHttpAnswer(): Promise<{ url: string; answer: string; acceptsPlain: boolean }> {
    const url = `${this.http.url.replace(/^https:/, 'http:')}/ping`;
    try {
      const res = await axios.get(url, { timeout: this.options.requestTimeoutMs, validateStatus: () => true, proxy: false, responseType: 'text' });
      const body = String(res.data ?? '')
        .trim()
        .slice(0, 200);
      return { url, answer: `HTTP ${res.status}${body ? `: ${body}` : ''}`, acceptsPlain: res.status === 204 || res.status === 200 };
    } catch (e) {
      return { url, answer: errorText(e), acceptsPlain: false };
    }
  }

  /** Values of `field` for the points of `measurement` whose tag `tag` is `value`, since a time: [time ms, value]. */
  async fieldValues(
    measurement: string,
    field: string,
    tag: string,
    value: string,
    since: Date,
  ): Promise<{ request: RequestRecord; query: string; rows: [number, unknown][] }> {
    const query = `SELECT ${quoteIdent(field)} FROM ${quoteIdent(measurement)} WHERE ${quoteIdent(tag)} = ${quoteString(value)} AND time >= '${since.toISOString()}'`;
    const r = await this.query(query);
    const rows = (r.statements[0]?.series ?? []).flatMap((se) => se.values.map((v) => [Number(v[0]), v[1]] as [number, unknown]));
    return { request: r.request, query, rows };
  }

  /** Writes line protocol (one point per line); precision of the timestamps, default ns. */
  async write(lineProtocol: string, database = this.database, precision: 'ns' | 'ms' | 's' = 'ns'): Promise<{ request: RequestRecord; lines: number }> {
    if (!database) throw new BadInputError('InfluxDB write needs a database', 'set KUBEPROOF_INFLUX_DATABASE');
    const params = { db: database, precision, ...this.authParams() };
    await this.http.request(`write to database ${database}`, 'POST', '/write', { params, data: lineProtocol, headers: { 'Content-Type': 'text/plain' } });
    return { request: { ...this.record('/write', params), method: 'POST' }, lines: lineProtocol.split('\n').filter((l) => l.trim()).length };
  }

  /** Waits until the count of `measurement` points over the last `sinceMs` satisfies the comparison. */
  async expectCount(
    measurement: string,
    comparison: Comparison,
    threshold: number,
    sinceMs: number,
    timeoutMs: number,
    database = this.database,
  ): Promise<InfluxCountResult & { elapsedMs: number }> {
    const wait = await waitUntil<InfluxCountResult>({
      what: `InfluxDB measurement ${measurement} to have ${describeComparison(comparison, threshold)} points in the last ${Math.round(sinceMs / 1000)}s`,
      timeoutMs,
      intervalMs: 1000,
      check: async () => {
        const r = await this.count(measurement, sinceMs, database);
        return { ok: compare(r.count, comparison, threshold), value: r, summary: `${r.count} points` };
      },
    });
    return { ...wait.value!, elapsedMs: wait.elapsedMs };
  }
}

// ---- pure helpers (unit tested) ----

interface RawInfluxResponse {
  results?: { statement_id?: number; series?: { name?: string; tags?: Record<string, string>; columns?: string[]; values?: unknown[][] }[]; error?: string }[];
  error?: string;
}

export function parseInfluxResponse(raw: RawInfluxResponse): InfluxQueryResult['statements'] {
  return (raw.results ?? []).map((r, i) => ({
    statementId: r.statement_id ?? i,
    series: (r.series ?? []).map((s) => ({ name: s.name ?? '', tags: s.tags ?? {}, columns: s.columns ?? [], values: s.values ?? [] })),
    error: r.error,
  }));
}

/** Values of the first column of the first statement's series (SHOW DATABASES, SHOW MEASUREMENTS...). */
export function firstColumn(r: Pick<InfluxQueryResult, 'statements'>): string[] {
  return (r.statements[0]?.series ?? []).flatMap((s) => s.values.map((row) => String(row[0])));
}

/** Rows of one series as objects keyed by column. */
export function rowsOf(series: InfluxSeries): Record<string, unknown>[] {
  return series.values.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]])));
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function countQuery(measurement: string, since: number | Date): string {
  const where = since instanceof Date ? `time >= '${since.toISOString()}'` : `time > now() - ${Math.round(since)}ms`;
  return `SELECT count(*) FROM ${quoteIdent(measurement)} WHERE ${where}`;
}

/** count(*) yields count_<field> columns; an empty result means no points. */
export function countFromResult(r: Pick<InfluxQueryResult, 'statements'>): { count: number; perField: Record<string, number> } {
  const perField: Record<string, number> = {};
  for (const s of r.statements[0]?.series ?? []) {
    for (const row of rowsOf(s)) {
      for (const [col, v] of Object.entries(row)) {
        if (col.startsWith('count')) perField[col] = (perField[col] ?? 0) + Number(v ?? 0);
      }
    }
  }
  const counts = Object.values(perField);
  return { count: counts.length ? Math.max(...counts) : 0, perField };
}
