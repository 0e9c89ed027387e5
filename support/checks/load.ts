import { formatLabels } from '../clients/series';
import { BadInputError, errorText, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { BackgroundLoad, Ctx } from './shared/context';
import { k6Problems, runK6 } from './shared/k6';
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
  await startLoad(ctx, script, `http://${ip}:${port}`, `Service ${service} (${ip}:${port})`, durationMs);
}

/** Starts a bounded k6 run against a URL (an endpoint outside the cluster, or the component tests' loopback). */
export function startBackgroundLoadAt(ctx: Ctx, script: string, url: string, durationMs: number): Promise<void> {
  return startLoad(ctx, script, url, url, durationMs);
}

async function startLoad(ctx: Ctx, script: string, url: string, target: string, durationMs: number): Promise<void> {
  (await ctx.clients.k6()).preflight(script);
  const abort = new AbortController();
  const signal = AbortSignal.any([abort.signal, ctx.signal]);
  const load: BackgroundLoad = { script, target, startedAtMs: Date.now(), durationMs, abort, run: Promise.resolve(new Error('not started')) };
  load.run = runK6({ ...ctx, signal }, script, { durationMs, env: { TARGET_URL: url } })
    .catch((e: unknown) => (e instanceof Error ? e : new Error(errorText(e))))
    .finally(() => (load.endedAtMs = Date.now()));
  ctx.state.backgroundLoad = load;
  ctx.cleanup.push(`stop k6 ${script}`, async () => {
    abort.abort();
    await load.run;
  });
  await ctx.evidence.log(`k6 ${script} started against ${target} for ${formatDuration(durationMs)}`);
}

function backgroundLoad(ctx: Ctx): BackgroundLoad {
  const load = ctx.state.backgroundLoad;
  if (!load)
    throw new BadInputError('no background load was started in this scenario', 'start one first: When the k6 script … loads … in the background for …');
  return load;
}

/**
 * Waits for the background load to end by itself; fails unless k6 passed
 * its own verdict: every threshold of the script met (the script says what
 * "the load landed" means) and exit code 0.
 */
export function backgroundLoadFinished(ctx: Ctx): StepResult {
  return ctx.check('the background load ran to its end and met its thresholds', async () => {
    const load = backgroundLoad(ctx);
    const r = await load.run;
    if (r instanceof Error) throw r;
    const h0 = r.summary?.headline;
    await ctx.evidence.observe('load', {
      script: load.script,
      target: load.target,
      startedAtMs: load.startedAtMs,
      endedAtMs: load.endedAtMs,
      requests: h0?.httpReqs,
      perSecond: h0?.httpReqsPerSec,
      failedRate: h0?.httpReqFailedRate,
      p95Ms: h0?.httpReqDurationP95Ms,
      exitCode: r.exitCode ?? undefined,
      thresholds: r.summary?.thresholds ?? [],
    });
    const problems = k6Problems(r);
    if (problems.length) throw new Error(`k6 ${load.script} against ${load.target}: ${problems.join('; ')}`);
    const h = r.summary!.headline;
    return `${h.httpReqs ?? 0} requests in ${formatDuration(r.durationMs)} (${(h.httpReqsPerSec ?? 0).toFixed(1)}/s), ${((h.httpReqFailedRate ?? 0) * 100).toFixed(1)}% failed, p95 ${h.httpReqDurationP95Ms?.toFixed(1) ?? '-'} ms; ${r.summary!.thresholds.length} thresholds met, exit 0`;
  });
}

/** "the background load sent at least 300 requests at 2/s or more": k6's own request count and rate. */
export function backgroundLoadVolume(ctx: Ctx, minRequests: number, minRate: number): StepResult {
  return ctx.check(`the background load sent at least ${minRequests} requests at ${minRate}/s or more`, async () => {
    const load = backgroundLoad(ctx);
    const r = await load.run;
    if (r instanceof Error) throw r;
    if (!r.summary) throw new Error(`k6 ${load.script} wrote no summary (exit ${r.exitCode ?? '-'}: ${r.exitMeaning}), so its requests are unknown`);
    const { httpReqs = 0, httpReqsPerSec = 0, httpReqFailedRate = 0 } = r.summary.headline;
    const answered = Math.round(httpReqs * (1 - httpReqFailedRate));
    await ctx.evidence.table('k6 requests against the bounds', [
      { figure: 'requests sent', measured: httpReqs, bound: `≥ ${minRequests}` },
      { figure: 'requests per second', measured: +httpReqsPerSec.toFixed(2), bound: `≥ ${minRate}` },
      { figure: 'requests answered (not failed)', measured: answered, bound: '-' },
    ]);
    const short = volumeShortfall(httpReqs, httpReqsPerSec, minRequests, minRate);
    if (short) throw new Error(`k6 ${load.script} against ${load.target}: ${short} (${answered} answered)`);
    return `${httpReqs} requests at ${httpReqsPerSec.toFixed(1)}/s (${answered} answered)`;
  });
}

/** Why the load was too small, or undefined when it met both bounds. */
export function volumeShortfall(requests: number, rate: number, minRequests: number, minRate: number): string | undefined {
  const short: string[] = [];
  if (requests < minRequests) short.push(`sent ${requests} requests, fewer than ${minRequests}`);
  if (rate < minRate) short.push(`at ${rate.toFixed(2)}/s, slower than ${minRate}/s`);
  return short.length ? short.join(' and ') : undefined;
}

export interface Window {
  startMs: number;
  endMs: number;
}

/**
 * The windows compared by "rose during the load". The load window is the
 * second half of the load (from half its planned duration until it ended, or
 * now): by then the load is well underway, rate windows of up to half the
 * load hold only load, and an autoscaler has had time to react. The baseline
 * is a window of the same length ending when the load started.
 */
export function loadWindows(load: Pick<BackgroundLoad, 'startedAtMs' | 'durationMs' | 'endedAtMs'>, nowMs: number): { before: Window; during: Window } {
  const duringStart = load.startedAtMs + load.durationMs / 2;
  const duringEnd = Math.min(load.endedAtMs ?? nowMs, nowMs, load.startedAtMs + load.durationMs);
  const length = duringEnd - duringStart;
  if (length <= 0)
    throw new Error(
      `the load has not reached the second half of its ${formatDuration(load.durationMs)} yet (it ${load.endedAtMs ? `ended after ${formatDuration(load.endedAtMs - load.startedAtMs)}` : `started ${formatDuration(nowMs - load.startedAtMs)} ago`}), so there is no load window to compare`,
    );
  return { before: { startMs: load.startedAtMs - length, endMs: load.startedAtMs }, during: { startMs: duringStart, endMs: duringEnd } };
}

export interface RiseVerdict {
  ok: boolean;
  baseline: number;
  loaded: number;
  /** (loaded - baseline) / baseline in %, Infinity from a zero baseline. */
  risePct: number;
  reason: string;
}

/** Mean during the load against the mean of the baseline, which must rise by at least `minRisePct` %. */
export function riseVerdict(before: number[], during: number[], minRisePct: number): RiseVerdict {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const b = before.filter(Number.isFinite);
  const d = during.filter(Number.isFinite);
  if (!b.length) return { ok: false, baseline: NaN, loaded: d.length ? mean(d) : NaN, risePct: NaN, reason: 'no value in the baseline window before the load' };
  const baseline = mean(b);
  if (!d.length) return { ok: false, baseline, loaded: NaN, risePct: NaN, reason: 'no value in the load window' };
  const loaded = mean(d);
  const risePct = baseline === 0 ? (loaded > 0 ? Infinity : loaded === 0 ? 0 : -Infinity) : ((loaded - baseline) / Math.abs(baseline)) * 100;
  const ok = risePct >= minRisePct;
  const rose = Number.isFinite(risePct) ? `${risePct >= 0 ? '+' : ''}${risePct.toFixed(1)}%` : baseline === 0 && loaded > 0 ? 'up from 0' : 'no rise';
  return {
    ok,
    baseline,
    loaded,
    risePct,
    reason: `mean ${loaded.toFixed(3)} during the load against ${baseline.toFixed(3)} before (${rose}; at least +${minRisePct}% required)`,
  };
}

/** "the PromQL … rose by at least 50% during the load": means over like windows, see loadWindows. */
export function promqlRoseDuringLoad(ctx: Ctx, query: string, minRisePct: number): StepResult {
  return ctx.check(`PromQL \`${query}\` rose by at least ${minRisePct}% during the load`, async () => {
    const load = backgroundLoad(ctx);
    const { before, during } = loadWindows(load, Date.now());
    const prom = await ctx.clients.prometheus();
    const stepMs = Math.max(1000, Math.round((during.endMs - during.startMs) / 30 / 1000) * 1000);
    const r = await prom.queryRange(query, before.startMs, during.endMs, stepMs);
    if (r.series.length > 1)
      throw new BadInputError(`\`${query}\` returns ${r.series.length} series; the rise is judged on one`, 'aggregate it, e.g. sum(rate(…[1m]))');
    const points = r.series[0]?.points ?? [];
    const inWindow = (w: Window) => points.filter(([t]) => t >= w.startMs && t <= w.endMs).map(([, v]) => v);
    const v = riseVerdict(inWindow(before), inWindow(during), minRisePct);
    await ctx.evidence.observe('throughput', { query, points, baseline: v.baseline, loaded: v.loaded, risePct: v.risePct });
    const span = (w: Window, name: string, value: number) => ({
      name,
      points: [
        [w.startMs, value],
        [w.endMs, value],
      ] as [number, number][],
    });
    await ctx.evidence.lineChart(
      [
        ...r.series.map((s) => ({ name: Object.keys(s.metric).length ? formatLabels(s.metric) : query, points: s.points })),
        ...(Number.isFinite(v.baseline) ? [span(before, `baseline mean ${v.baseline.toFixed(2)}`, v.baseline)] : []),
        ...(Number.isFinite(v.loaded) ? [span(during, `load mean ${v.loaded.toFixed(2)}`, v.loaded)] : []),
      ],
      {
        title: `${query}: baseline window vs second half of the load`,
        threshold: Number.isFinite(v.baseline) ? { value: v.baseline * (1 + minRisePct / 100), label: `+${minRisePct}%` } : undefined,
      },
    );
    await ctx.evidence.text(
      `windows compared for ${query}`,
      `Load started: ${new Date(load.startedAtMs).toISOString()} (planned ${formatDuration(load.durationMs)}${load.endedAtMs ? `, ended after ${formatDuration(load.endedAtMs - load.startedAtMs)}` : ''})\n` +
        `Baseline:     ${new Date(before.startMs).toISOString()} → ${new Date(before.endMs).toISOString()}\n` +
        `Load window:  ${new Date(during.startMs).toISOString()} → ${new Date(during.endMs).toISOString()} (second half of the load)\n` +
        `Step:         ${formatDuration(stepMs)}\nVerdict:      ${v.reason}`,
    );
    if (!v.ok) throw new Error(`\`${query}\`: ${v.reason}`);
    return v.reason;
  });
}
