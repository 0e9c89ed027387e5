import { formatLabels } from '../clients/series';
import { errorText, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { BackgroundLoad, Ctx } from './shared/context';
import { runK6 } from './shared/k6';
import { platformNamespace } from './shared/namespace';

/**
 * Load that runs while other steps observe its effect (an HPA scaling, a
 * throughput rising). k6 stops by itself at its duration; the cleanup stack
 * also stops it if the scenario ends first.
 */

/** Starts a bounded k6 run against a Service of the platform (its ClusterIP), without waiting for it. */
export async function startBackgroundLoad(ctx: Ctx, script: string, service: string, port: number, durationMs: number): Promise<void> {
  const namespace = platformNamespace(ctx);
  const svc = await ctx.clients.kube().core.readNamespacedService({ name: service, namespace });
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') throw new Error(`Service ${namespace}/${service} has no ClusterIP to send load to`);
  const abort = new AbortController();
  const signal = AbortSignal.any([abort.signal, ctx.signal]);
  const startedAtMs = Date.now();
  const run = runK6({ ...ctx, signal }, script, { durationMs, env: { TARGET_URL: `http://${ip}:${port}` } }).catch((e: unknown) =>
    e instanceof Error ? e : new Error(errorText(e)),
  );
  ctx.state.backgroundLoad = { script, startedAtMs, run, abort };
  ctx.cleanup.push(`stop k6 ${script}`, async () => {
    abort.abort();
    await run;
  });
  await ctx.evidence.log(`k6 ${script} started against ${service} (${ip}:${port}) for ${formatDuration(durationMs)}`);
}

function backgroundLoad(ctx: Ctx): BackgroundLoad {
  const load = ctx.state.backgroundLoad;
  if (!load) throw new Error('no background load was started in this scenario');
  return load;
}

/** Waits for the background load to end by itself and shows its k6 summary. */
export function backgroundLoadFinished(ctx: Ctx): StepResult {
  return ctx.check('the background load ran to its end', async () => {
    const load = backgroundLoad(ctx);
    const r = await load.run;
    if (r instanceof Error) throw r;
    if (r.timedOut) throw new Error(`k6 ${load.script} had to be killed at its time limit`);
    if (!r.summary) throw new Error(`k6 ${load.script} ended without a summary (exit ${r.exitCode}: ${r.exitMeaning})`);
    const h = r.summary.headline;
    return `${h.httpReqs ?? 0} requests in ${formatDuration(r.durationMs)} (${(h.httpReqsPerSec ?? 0).toFixed(1)}/s), p95 ${h.httpReqDurationP95Ms?.toFixed(1) ?? '-'} ms, exit ${r.exitCode} (${r.exitMeaning})`;
  });
}

/**
 * The PromQL value during the load rose above its value before the load: the
 * peak since the load started against the mean of the minutes before it.
 */
export function promqlRoseDuringLoad(ctx: Ctx, query: string): StepResult {
  return ctx.check(`PromQL \`${query}\` rose during the load`, async () => {
    const load = backgroundLoad(ctx);
    const prom = await ctx.clients.prometheus();
    const r = await prom.queryRange(query, load.startedAtMs - 3 * 60_000, Date.now());
    const points = r.series.flatMap((s) => s.points);
    const before = points
      .filter(([t]) => t < load.startedAtMs)
      .map(([, v]) => v)
      .filter(Number.isFinite);
    const during = points
      .filter(([t]) => t >= load.startedAtMs)
      .map(([, v]) => v)
      .filter(Number.isFinite);
    const baseline = before.length ? before.reduce((a, b) => a + b, 0) / before.length : 0;
    const peak = during.length ? Math.max(...during) : NaN;
    await ctx.evidence.lineChart(
      [
        ...r.series.map((s) => ({ name: Object.keys(s.metric).length ? formatLabels(s.metric) : query, points: s.points })),
        {
          name: 'load started',
          points: [
            [load.startedAtMs, 0],
            [load.startedAtMs, Number.isFinite(peak) ? peak : 1],
          ] as [number, number][],
        },
      ],
      { title: `${query} before and during the load`, threshold: { value: baseline, label: `baseline ${baseline.toFixed(2)}` } },
    );
    if (!during.length) throw new Error(`\`${query}\` has no values since the load started`);
    if (!(peak > baseline)) throw new Error(`\`${query}\` peaked at ${peak.toFixed(3)} during the load, not above its baseline ${baseline.toFixed(3)}`);
    return `baseline ${baseline.toFixed(3)} → peak ${peak.toFixed(3)} during the load`;
  });
}
