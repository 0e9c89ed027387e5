import { BadInputError } from './errors';

const DAY_MS = 86_400_000;
// d, w and y as Prometheus and Loki write them (a year is 365 days there), so retention like `15d` reads as written.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS, y: 365 * DAY_MS };

/** Pattern shared with the `{duration}` parameter type: `500ms`, `30s`, `2m`, `1.5h`, `1m30s`, `15d`, `1w`. */
export const DURATION_PATTERN = /(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y))+/;

/** Parses `30s`, `2m`, `1m30s`, `250ms`, `15d` into milliseconds. */
export function parseDuration(text: string, where = 'duration'): number {
  const trimmed = text.trim();
  if (!new RegExp(`^${DURATION_PATTERN.source}$`).test(trimmed)) {
    throw new BadInputError(`${where}: "${text}" is not a duration`, 'write it like 500ms, 30s, 2m, 1m30s or 1h');
  }
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_MS[unit];
  return total;
}

/** A duration as Prometheus and Loki print it (`15d`, `1m`, `0s`; a bare `0` too); undefined for anything else. */
export function parsePrometheusDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!new RegExp(`^${DURATION_PATTERN.source}$`).test(trimmed)) return undefined;
  return parseDuration(trimmed);
}

/** Milliseconds in Prometheus's own notation: 1296000000 → `15d`, 90000 → `1m30s`, 0 → `0s`. */
export function formatPrometheusDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unbounded';
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let text = '';
  // Years and weeks only when exact, as Prometheus does: `90d` reads better than `12w6d`.
  for (const [unit, exact] of [
    ['y', true],
    ['w', true],
    ['d', false],
    ['h', false],
    ['m', false],
    ['s', false],
    ['ms', false],
  ] as const) {
    const size = UNIT_MS[unit];
    if (exact && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      text += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return text;
}
