import { WaitTimeoutError } from '../engine/errors';

/** Types and helpers shared by the HTTP clients of time series and logs (Prometheus, Loki, InfluxDB, Grafana). */

export type Labels = Record<string, string>;

/** One sample of an instant vector (or a scalar, with no labels). */
export interface Sample {
  metric: Labels;
  timeMs: number;
  value: number;
}

/** One series of a range result: points are [time in ms, value]. */
export interface Series {
  metric: Labels;
  points: [number, number][];
}

/** The request that was made, as a reviewer would retype it. */
export interface RequestRecord {
  method: 'GET' | 'POST';
  /** Full URL with query string; never contains credentials. */
  url: string;
  params: Record<string, string>;
}

/** A failed expectation that still carries its evidence (last observation, range for the chart). */
export class ExpectationTimeoutError<E> extends WaitTimeoutError {
  constructor(
    timeout: WaitTimeoutError,
    readonly evidence: E,
  ) {
    super(timeout.what, timeout.waitedMs, timeout.lastSeen, timeout.observations);
  }
}

export function requestRecord(baseUrl: string, path: string, params: Record<string, string>): RequestRecord {
  const qs = new URLSearchParams(params).toString();
  return { method: 'GET', url: `${baseUrl}${path}${qs ? `?${qs}` : ''}`, params };
}

/** Prometheus sends sample values as strings, including "NaN", "+Inf" and "-Inf". */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

export function formatLabels(metric: Labels): string {
  const { __name__: name, ...rest } = metric;
  const inner = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
}

export function formatValue(v: number): string {
  return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(+v.toPrecision(6));
}
