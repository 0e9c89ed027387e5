import { BadInputError } from './errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Pattern shared with the `{duration}` parameter type: `500ms`, `30s`, `2m`, `1.5h`, `1m30s`. */
export const DURATION_PATTERN = /(?:\d+(?:\.\d+)?(?:ms|s|m|h))+/;

/** Parses `30s`, `2m`, `1m30s`, `250ms` into milliseconds. */
export function parseDuration(text: string, where = 'duration'): number {
  const trimmed = text.trim();
  if (!new RegExp(`^${DURATION_PATTERN.source}$`).test(trimmed)) {
    throw new BadInputError(`${where}: "${text}" is not a duration`, 'write it like 500ms, 30s, 2m, 1m30s or 1h');
  }
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * UNIT_MS[unit];
  return total;
}
