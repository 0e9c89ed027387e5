import { BadInputError } from './errors';

/**
 * Kubernetes resource quantities (`100m`, `2`, `128Mi`, `4Gi`, `1G`, `12345n`, `1e3`) as numbers in base
 * units: cores for CPU, bytes for memory. Pure, so features and the API server's own strings are read alike.
 */
export interface Quantity {
  /** As written, e.g. `500m`. */
  text: string;
  /** In base units: 500m → 0.5, 128Mi → 134217728. */
  value: number;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
// The exponent of ten of each decimal suffix; negative ones divide, so 300m is exactly 0.3, not 0.30000000000000004.
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Pattern shared with the `{quantity}` parameter type (two-letter binary suffixes first, so `128Mi` is not `128M`). */
export const QUANTITY_PATTERN = /\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?/;

/** Parses a quantity; `where` names what it is for in the error. */
export function parseQuantity(text: string, where = 'quantity'): Quantity {
  const trimmed = text.trim();
  const m = /^(\d+(?:\.\d+)?)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|([numkMGTPE]?))$/.exec(trimmed);
  if (!m) throw new BadInputError(`${where}: "${text}" is not a Kubernetes quantity`, 'write it like 100m, 0.5, 2, 128Mi, 4Gi or 1G');
  const [, digits, binary, exponent, decimal] = m;
  const n = Number(digits);
  let value: number;
  if (binary) value = n * BINARY[binary];
  else {
    const e = exponent !== undefined ? Number(exponent) : DECIMAL[decimal ?? ''];
    value = e < 0 ? n / 10 ** -e : n * 10 ** e;
  }
  return { text: trimmed, value };
}

/** A quantity from the API server (a container's requests, a PodMetric's usage); undefined when absent. */
export function quantityValue(text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : parseQuantity(String(text)).value;
}

/** Equal up to rounding: `500m` and `0.5`, `1Gi` and `1024Mi`. */
export function sameQuantity(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** At most, up to rounding: a sum of 0.1 + 0.2 cores is at most 300m. */
export function atMost(actual: number, bound: number): boolean {
  return actual < bound || sameQuantity(actual, bound);
}

/** CPU in the way `kubectl top` shows it: `250m`, `1.5` cores. */
export function formatCpu(cores: number | undefined): string {
  if (cores === undefined) return '-';
  if (!Number.isFinite(cores)) return 'unbounded';
  if (cores < 1) return `${+(cores * 1000).toFixed(cores < 0.01 ? 2 : 1)}m`;
  return `${+cores.toFixed(3)}`;
}

/** Memory in binary units: `96Mi`, `1.5Gi`, `512Ki`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  if (!Number.isFinite(bytes)) return 'unbounded';
  for (const [unit, size] of [
    ['Gi', BINARY.Gi],
    ['Mi', BINARY.Mi],
    ['Ki', BINARY.Ki],
  ] as const) {
    if (bytes >= size) return `${+(bytes / size).toFixed(2)}${unit}`;
  }
  return `${bytes}`;
}

/** The parts of a pod spec that count towards its resources (structural, so plain objects and client-node types both fit). */
export interface ResourcePodSpec {
  containers: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[];
  initContainers?: { restartPolicy?: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[];
  overhead?: Record<string, string>;
}

/**
 * A pod's effective request or limit of one resource, as the scheduler and ResourceQuota count it:
 * the larger of the app containers' sum (with sidecars, i.e. init containers that keep running) and
 * the largest init container (with the sidecars started before it), plus the pod overhead.
 * A limit that a container does not set is unbounded (Infinity); a missing request counts as 0.
 */
export function podResource(spec: ResourcePodSpec, which: 'requests' | 'limits', resource: 'cpu' | 'memory'): number {
  const of = (c: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }): number => {
    const v = quantityValue(c.resources?.[which]?.[resource]);
    if (v !== undefined) return v;
    // A limit left out is no limit; a request left out defaults to the limit (the API server does that), else 0.
    if (which === 'limits') return Infinity;
    return quantityValue(c.resources?.limits?.[resource]) ?? 0;
  };
  let sidecars = 0;
  let initPeak = 0;
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') sidecars += of(c);
    else initPeak = Math.max(initPeak, sidecars + of(c));
  }
  const running = spec.containers.reduce((sum, c) => sum + of(c), 0) + sidecars;
  return Math.max(running, initPeak) + (quantityValue(spec.overhead?.[resource]) ?? 0);
}
