/** Plain-text tables: readable in the HTML report, in a terminal and in a diff. */
export type Row = Record<string, string | number | boolean | null | undefined>;

export function formatTable(rows: Row[], columns?: string[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: Row[string]) => (v === undefined || v === null ? '' : String(v)).replace(/\s+/g, ' ');
  const widths = cols.map((c) => Math.min(80, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (v.length > widths[i] ? v.slice(0, widths[i] - 1) + '…' : v.padEnd(widths[i])))
      .join(' | ')
      .trimEnd();
  return [line(cols), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}
