import type { K6RunResult } from '../clients/k6';
import { time } from '../clients/kube/client';
import { formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

export interface LoadOptions {
  durationMs?: number;
  vus?: number;
  /** Passed to the script as __ENV; the configured endpoints are passed too (PROMETHEUS_URL, LOKI_URL...). */
  env?: Record<string, string>;
}

/** Runs a bounded k6 load test and checks its thresholds; shows the thresholds, headline figures and checks. */
export function k6MeetsThresholds(ctx: Ctx, script: string, opts: LoadOptions, expect: 'pass' | 'fail' = 'pass'): StepResult {
  const wording = expect === 'pass' ? 'meets its thresholds' : 'fails its thresholds';
  return ctx.check(`k6 script ${script} ${wording}`, async () => {
    const r = await runK6(ctx, script, opts);
    if (r.timedOut) throw new Error(`k6 ${script} did not stop within its time limit and was killed after ${formatDuration(r.durationMs)}`);
    if (!r.summary) throw new Error(`k6 ${script} wrote no summary (exit ${r.exitCode}: ${r.exitMeaning}); its output ends:\n${r.stderrTail || r.stdoutTail}`);
    const failed = r.summary.thresholds.filter((t) => !t.ok);
    if (r.summary.thresholds.length === 0) throw new Error(`k6 script ${script} defines no thresholds, so there is nothing to meet`);
    if (expect === 'pass' && !r.ok) throw new Error(`k6 ${script}: exit ${r.exitCode} (${r.exitMeaning}); failed thresholds: ${failed.map((t) => `${t.metric} ${t.expression}`).join(', ') || 'none'}`);
    if (expect === 'fail' && failed.length === 0) throw new Error(`k6 ${script}: every threshold passed, expected at least one to fail`);
    const h = r.summary.headline;
    return `${r.summary.thresholds.length - failed.length}/${r.summary.thresholds.length} thresholds passed; ${h.httpReqs ?? 0} requests (${(h.httpReqsPerSec ?? 0).toFixed(1)}/s), p95 ${h.httpReqDurationP95Ms?.toFixed(1) ?? '-'} ms`;
  });
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
  for (const [name, e] of Object.entries({ PROMETHEUS_URL: ctx.config.prometheus, LOKI_URL: ctx.config.loki, INFLUX_URL: ctx.config.influx, GRAFANA_URL: ctx.config.grafana })) if (e.url) env[name] = e.url;
  return env;
}

async function attachK6(ctx: Ctx, r: K6RunResult): Promise<void> {
  await ctx.evidence.text(`k6 run ${r.script}`, `Command:  ${r.command.join(' ')}\nExit:     ${r.exitCode} (${r.exitMeaning})${r.timedOut ? ' — killed at its time limit' : ''}\nDuration: ${formatDuration(r.durationMs)}`);
  if (r.summary) {
    await ctx.evidence.table('k6 thresholds', r.summary.thresholds.map((t) => ({ metric: t.metric, threshold: t.expression, result: t.ok ? 'passed' : 'FAILED' })));
    await ctx.evidence.json('k6 headline figures', r.summary.headline);
    if (r.summary.checks.length) await ctx.evidence.table('k6 checks', r.summary.checks.map((c) => ({ check: c.path || c.name, passes: c.passes, fails: c.fails })));
  }
  if (r.stdoutTail) await ctx.evidence.text('k6 end-of-test summary', r.stdoutTail);
}
