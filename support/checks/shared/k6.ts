import type { K6RunResult } from '../../clients/k6';
import { formatDuration } from '../../engine/errors';
import type { Ctx } from './context';

export interface LoadOptions {
  durationMs?: number;
  vus?: number;
  /** Passed to the script as __ENV; the configured endpoints are passed too (PROMETHEUS_URL, LOKI_URL...). */
  env?: Record<string, string>;
}

/** Runs k6 and attaches what it did; no verdict (used by load steps that check something else, e.g. HPA). */
export async function runK6(ctx: Ctx, script: string, opts: LoadOptions): Promise<K6RunResult> {
  const k6 = await ctx.clients.k6();
  const env: Record<string, string> = { ...endpointEnv(ctx), ...opts.env };
  const r = await k6.run({ script, duration: opts.durationMs, vus: opts.vus, env, signal: ctx.signal });
  await attachK6(ctx, r);
  return r;
}

/**
 * k6's own verdict on a run: it must have stopped by itself (not killed),
 * written its summary, defined at least one threshold, met every threshold
 * and exited 0. Returns the problems, each naming what failed; none = passed.
 */
export function k6Problems(r: Pick<K6RunResult, 'script' | 'exitCode' | 'exitMeaning' | 'timedOut' | 'durationMs' | 'summary'>): string[] {
  if (r.timedOut) return [`k6 ${r.script} did not stop within its time limit and was killed after ${formatDuration(r.durationMs)}`];
  if (!r.summary) return [`k6 ${r.script} wrote no summary (exit ${r.exitCode ?? '-'}: ${r.exitMeaning})`];
  const problems: string[] = [];
  if (r.summary.thresholds.length === 0) problems.push(`k6 script ${r.script} defines no thresholds, so nothing says the load landed`);
  const failed = r.summary.thresholds.filter((t) => !t.ok);
  if (failed.length)
    problems.push(`failed thresholds: ${failed.map((t) => `${t.metric} ${t.expression} (${describeMetric(r.summary!.metrics[t.metric])})`).join(', ')}`);
  if (r.exitCode !== 0) problems.push(`k6 exited ${r.exitCode ?? '-'} (${r.exitMeaning})`);
  return problems;
}

/** A threshold's metric as k6 measured it, e.g. "rate 1.000 of 120" or "p(95) 812.3". */
function describeMetric(values: Record<string, number> | undefined): string {
  if (!values) return 'not measured';
  if (values.value !== undefined) return `measured ${values.value.toFixed(3)}`;
  if (values.rate !== undefined && values.count !== undefined) return `measured ${values.count} at ${values.rate.toFixed(2)}/s`;
  return Object.entries(values)
    .slice(0, 4)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(2)}`)
    .join(', ');
}

function endpointEnv(ctx: Ctx): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, e] of Object.entries({
    PROMETHEUS_URL: ctx.config.prometheus,
    LOKI_URL: ctx.config.loki,
    INFLUX_URL: ctx.config.influx,
    GRAFANA_URL: ctx.config.grafana,
  }))
    if (e.url) env[name] = e.url;
  return env;
}

async function attachK6(ctx: Ctx, r: K6RunResult): Promise<void> {
  await ctx.evidence.text(
    `k6 run ${r.script}`,
    `Command:  ${r.command.join(' ')}\nExit:     ${r.exitCode} (${r.exitMeaning})${r.timedOut ? ' — killed at its time limit' : ''}\nDuration: ${formatDuration(r.durationMs)}`,
  );
  if (r.summary) {
    await ctx.evidence.table(
      'k6 thresholds',
      r.summary.thresholds.map((t) => ({ metric: t.metric, threshold: t.expression, result: t.ok ? 'passed' : 'FAILED' })),
    );
    await ctx.evidence.json('k6 headline figures', r.summary.headline);
    if (r.summary.checks.length)
      await ctx.evidence.table(
        'k6 checks',
        r.summary.checks.map((c) => ({ check: c.path || c.name, passes: c.passes, fails: c.fails })),
      );
  }
  if (r.stdoutTail) await ctx.evidence.text('k6 end-of-test summary', r.stdoutTail);
}
