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
