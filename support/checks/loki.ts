import type { LinesExpectationResult } from '../clients/loki';
import { ExpectationTimeoutError, formatLabels } from '../clients/series';
import { type Comparison, describeComparison } from '../engine/compare';
import { formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';

/** "the LogQL `{app="producer"} |= "Speed:"` returns at least 1 line within 1m". */
export function logqlReturnsLines(ctx: Ctx, logql: string, cmp: Comparison, count: number, withinMs: number): StepResult {
  return ctx.check(`LogQL \`${logql}\` returns ${describeComparison(cmp, count)} lines`, async () => {
    const loki = await ctx.clients.loki();
    try {
      const r = await loki.expectLines(logql, cmp, count, withinMs);
      await attachLines(ctx, r);
      await ctx.evidence.observe('log-search', {
        query: r.query,
        sinceMs: r.startMs,
        untilMs: r.endMs,
        count: r.count,
        limitReached: r.limitReached,
        lines: r.lines.slice(-30).map((l) => [l.timeMs, l.labels.pod ?? formatLabels(l.labels), l.line]),
      });
      return `${r.count} line(s) after ${formatDuration(r.elapsedMs)}${r.lines.length ? `; newest: ${r.lines.at(-1)!.line.slice(0, 160)}` : ''}`;
    } catch (e) {
      if (e instanceof ExpectationTimeoutError) await attachLines(ctx, e.evidence as LinesExpectationResult);
      throw e;
    }
  });
}

/** "Loki has label `app` with value `producer`". */
export function lokiLabelHasValue(ctx: Ctx, label: string, value: string, withinMs: number): StepResult {
  return ctx.check(`Loki label "${label}" has value "${value}"`, async () => {
    const loki = await ctx.clients.loki();
    const r = await waitUntil<string[]>({
      what: `Loki label "${label}" to have value "${value}"`,
      timeoutMs: withinMs,
      check: async () => {
        const { values } = await loki.labelValues(label, Date.now() - 3_600_000, Date.now());
        return { ok: values.includes(value), value: values, summary: `values: ${values.join(', ') || '(none)'}` };
      },
    });
    await ctx.evidence.text(`Loki label ${label}`, `values of label "${label}" in the last hour:\n${(r.value ?? []).join('\n')}`);
    return `label ${label} has ${r.value?.length} value(s) including ${value}`;
  });
}

async function attachLines(ctx: Ctx, r: LinesExpectationResult): Promise<void> {
  await ctx.evidence.text(
    `LogQL: ${r.query}`,
    [
      `Query:     ${r.query}`,
      `Expected:  ${r.description}`,
      `Window:    ${new Date(r.startMs).toISOString()} → ${new Date(r.endMs).toISOString()}`,
      `Asked:     ${r.request?.url ?? '(no answer)'}`,
      `Observed:  ${r.count} line(s)`,
      `Waited:    ${formatDuration(r.elapsedMs)} over ${r.observations} observation(s)`,
      '',
      'Timeline:',
      ...r.timeline.map((t) => `  +${formatDuration(t.atMs).padEnd(7)} ${t.summary}`),
    ].join('\n'),
  );
  if (r.lines.length) {
    await ctx.evidence.text(
      `newest ${r.lines.length} line(s)`,
      r.lines.map((l) => `${new Date(l.timeMs).toISOString()} ${formatLabels(l.labels)}  ${l.line}`).join('\n'),
    );
    // Lines per 10 s bucket: shows whether logs keep flowing or arrived in one burst.
    const buckets = new Map<number, number>();
    for (const l of r.lines) buckets.set(Math.floor(l.timeMs / 10_000) * 10_000, (buckets.get(Math.floor(l.timeMs / 10_000) * 10_000) ?? 0) + 1);
    await ctx.evidence.lineChart([{ name: 'lines per 10s (returned lines)', points: [...buckets.entries()].sort((a, b) => a[0] - b[0]) }], {
      title: `log lines over time: ${r.query}`,
      yTitle: 'lines',
      step: true,
    });
  }
}
