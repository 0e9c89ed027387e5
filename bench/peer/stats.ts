/** Summary statistics of a sample (nearest-rank percentiles, as bench/bench.ts records them). */
export interface Stats {
  n: number;
  mean: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function stats(xs: number[]): Stats | undefined {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return undefined;
  return {
    n: s.length,
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
    median: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    min: round(s[0]),
    max: round(s.at(-1)!),
  };
}

/** Nearest-rank percentile of an ascending sample: the smallest value with at least p % of the sample at or below it. */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}
