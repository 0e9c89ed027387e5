import { BadInputError } from './errors';

/** A comparison as worded in features: "greater than 0", "at least 2", ... */
export type Operator = '>' | '>=' | '<' | '<=' | '==' | '!=';

export const COMPARISON_WORDS: Record<string, Operator> = {
  'greater than': '>',
  above: '>',
  'more than': '>',
  'at least': '>=',
  'less than': '<',
  below: '<',
  'fewer than': '<',
  'at most': '<=',
  'equal to': '==',
  exactly: '==',
  'not equal to': '!=',
};

/** Regexp source for the `{comparison}` parameter type (longest alternatives first). */
export const COMPARISON_PATTERN = new RegExp(
  Object.keys(COMPARISON_WORDS)
    .sort((a, b) => b.length - a.length)
    .join('|'),
);

export interface Comparison {
  op: Operator;
  words: string;
}

export function parseComparison(words: string): Comparison {
  const op = COMPARISON_WORDS[words.trim().toLowerCase()];
  if (!op) {
    throw new BadInputError(`"${words}" is not a comparison`, `use one of: ${Object.keys(COMPARISON_WORDS).join(', ')}`);
  }
  return { op, words: words.trim() };
}

export function compare(actual: number, cmp: Comparison, expected: number): boolean {
  if (Number.isNaN(actual)) return false;
  switch (cmp.op) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}

export function describeComparison(cmp: Comparison, expected: number): string {
  return `${cmp.words} ${expected}`;
}
