import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { podReady, time } from '../clients/kube/client';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { BadInputError, formatDuration, WaitTimeoutError } from '../engine/errors';
import { hpaChartSpec, renderSvg } from '../engine/evidence/chart';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx, HpaSeries } from './shared/context';
import { scenarioNamespace } from './shared/namespace';
import { timelineText } from './shared/timeline';

/** Resource metrics (metrics.k8s.io) and the HorizontalPodAutoscaler. */

function cpuMillicores(q: string): number {
  if (q.endsWith('n')) return Number(q.slice(0, -1)) / 1e6;
  if (q.endsWith('u')) return Number(q.slice(0, -1)) / 1e3;
  if (q.endsWith('m')) return Number(q.slice(0, -1));
  return Number(q) * 1000;
}

function memMiB(q: string): number {
  const units: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, K: 1e3 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 };
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(q);
  if (!m) return NaN;
  return m[2] ? Number(m[1]) * (units[m[2]] ?? NaN) : Number(m[1]) / 1048576;
}

/** "metrics.k8s.io reports CPU and memory for the pods of `echo` within 2m" (what `kubectl top pods` shows). */
export function podMetricsReported(ctx: Ctx, deployment: string, withinMs: number): StepResult {
  return ctx.check(`pod metrics (kubectl top) for ${deployment}`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = ctx.clients.kube();
    let rows: { pod: string; cpu_m: number; memory_MiB: number; window: string }[] = [];
    const r = await waitUntil({
      what: `metrics.k8s.io to report every pod of ${deployment}`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      intervalMs: 2000,
      check: async () => {
        const pods = (await k.deploymentPods(namespace, deployment)).map((p) => p.metadata!.name!);
        const metrics = await k.podMetrics(namespace);
        rows = metrics
          .filter((m) => pods.includes(m.metadata.name))
          .map((m) => ({
            pod: m.metadata.name,
            cpu_m: +m.containers.reduce((s, c) => s + cpuMillicores(c.usage.cpu), 0).toFixed(2),
            memory_MiB: +m.containers.reduce((s, c) => s + memMiB(c.usage.memory), 0).toFixed(1),
            window: m.window,
          }));
        const complete = pods.length > 0 && rows.length === pods.length && rows.every((x) => Number.isFinite(x.cpu_m) && x.memory_MiB > 0);
        return { ok: complete, summary: `${rows.length}/${pods.length} pods reported` };
      },
    });
    await ctx.evidence.table(`kubectl top pods (${namespace}, ${deployment})`, rows);
    return `${r.summary}: ${rows.map((x) => `${x.pod} ${x.cpu_m}m CPU ${x.memory_MiB}MiB`).join('; ')}`;
  });
}

/** Starts recording an HPA's replicas over time (watch), once per scenario. */
async function hpaRecorder(ctx: Ctx, name: string): Promise<HpaSeries> {
  const existing = ctx.state.hpaSeries.get(name);
  if (existing) return existing;
  const namespace = await scenarioNamespace(ctx);
  const k = ctx.clients.kube();
  const series: HpaSeries = { name, points: [], stop: () => undefined };
  const add = (h: V2HorizontalPodAutoscaler) => {
    const cpu = h.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
    const target = h.spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
    series.points.push({
      t: Date.now(),
      current: h.status?.currentReplicas ?? 0,
      desired: h.status?.desiredReplicas ?? 0,
      cpu: cpu ?? undefined,
      target: target ?? undefined,
      min: h.spec?.minReplicas ?? 1,
      max: h.spec?.maxReplicas ?? 0,
      reference: `${h.spec?.scaleTargetRef?.kind ?? '?'}/${h.spec?.scaleTargetRef?.name ?? '?'}`,
    });
  };
  const read = () => k.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace });
  add(await read());
  const stopWatch = await k.watch(
    `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`,
    { fieldSelector: `metadata.name=${name}` },
    (_t, h) => add(h),
  );
  // A watch can end quietly (the API server closes long watches): a slow poll keeps the record whole.
  const poll = setInterval(() => void read().then(add, () => undefined), 5000);
  series.stop = () => {
    clearInterval(poll);
    stopWatch();
  };
  ctx.cleanup.push(`stop HPA watch ${name}`, async () => {
    series.stop();
    await observeHpa(ctx, namespace, series);
  });
  ctx.state.hpaSeries.set(name, series);
  return series;
}

/** The HPA over the whole scenario, with its events and the scenario's load, for hpa-scaling-events.txt and friends. */
async function observeHpa(ctx: Ctx, namespace: string, series: HpaSeries): Promise<void> {
  const events = (await ctx.clients.kube().events(namespace))
    .filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler' && e.involvedObject.name === series.name)
    .map((e) => ({ atMs: time(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp), reason: e.reason ?? '', message: e.message ?? '' }))
    .filter((e) => e.atMs >= (series.points[0]?.t ?? 0) - 60_000);
  const load = ctx.state.backgroundLoad;
  const rows = series.points.map(({ t, ...p }) => ({ atMs: t, ...p }));
  // The same chart as outputs/hpa-scaling.png, in the report where the cycle was observed.
  await ctx.evidence.svg(
    `HPA ${series.name}: replicas and CPU over the scenario`,
    await renderSvg(hpaChartSpec(rows, `HPA ${series.name}: replicas and CPU over the scenario`, load && { startMs: load.startedAtMs, endMs: load.endedAtMs })),
  );
  await ctx.evidence.observe('hpa', {
    namespace,
    hpa: series.name,
    rows,
    events,
    load: load && { script: load.script, target: load.target, startedAtMs: load.startedAtMs, endedAtMs: load.endedAtMs, plannedMs: load.durationMs },
  });
}

/** "the HPA `burner` scales to at least 2 replicas within 3m" — replicas charted over time. */
export function hpaScales(ctx: Ctx, name: string, cmp: Comparison, replicas: number, withinMs: number): StepResult {
  return ctx.check(`HPA ${name} scales to ${describeComparison(cmp, replicas)} replicas`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = ctx.clients.kube();
    const series = await hpaRecorder(ctx, name);
    const r = await waitUntil({
      what: `HPA ${namespace}/${name} to have ${describeComparison(cmp, replicas)} current replicas`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      intervalMs: 2000,
      watch: k.watchSource(`/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`, { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        const h = await k.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace });
        const current = h.status?.currentReplicas ?? 0;
        const cpu = h.status?.currentMetrics?.find((m) => m.type === 'Resource')?.resource?.current?.averageUtilization;
        const target = h.spec?.metrics?.find((m) => m.type === 'Resource')?.resource?.target?.averageUtilization;
        const cond = (h.status?.conditions ?? [])
          .filter((c) => c.status !== 'True' || c.type === 'ScalingLimited')
          .map((c) => `${c.type}=${c.status}(${c.reason})`)
          .join(' ');
        return {
          ok: compare(current, cmp, replicas),
          summary: `current ${current}, desired ${h.status?.desiredReplicas ?? 0}, CPU ${cpu ?? '?'}% of ${target ?? '?'}% target${cond ? `; ${cond}` : ''}`,
        };
      },
    });
    await ctx.evidence.lineChart(
      [
        { name: 'current replicas', points: series.points.map((p) => [p.t, p.current]) },
        { name: 'desired replicas', points: series.points.map((p) => [p.t, p.desired]) },
      ],
      { title: `HPA ${name}: replicas over time`, yTitle: 'replicas', step: true, threshold: { value: replicas, label: `${cmp.words} ${replicas}` } },
    );
    await ctx.evidence.text(`HPA ${name} observations`, timelineText(r.timeline));
    return `${r.summary} after ${formatDuration(r.elapsedMs)}`;
  });
}

/** What an HPA's SuccessfulRescale event says: "New size: 4; reason: cpu resource utilization (percentage of request) above target". */
export function parseRescale(message: string): { size: number; reason: string; aboveTarget: boolean } | undefined {
  const m = /New size:\s*(\d+);\s*reason:\s*(.*)$/s.exec(message);
  if (!m) return undefined;
  return { size: Number(m[1]), reason: m[2].trim(), aboveTarget: /above target/i.test(m[2]) };
}

export interface RescaleEvent {
  atMs: number;
  message: string;
}

/**
 * Which rescale events are scale-ups caused by the load: recorded after the
 * load began (event times are whole seconds), a reason "above target", and
 * a new size above the replicas before the load (when known).
 */
export function scaleUpsAfter(
  events: RescaleEvent[],
  loadStartMs: number,
  before: number | undefined,
): { event: RescaleEvent; size?: number; counted: boolean; why: string }[] {
  const since = Math.floor(loadStartMs / 1000) * 1000;
  return events.map((event) => {
    const r = parseRescale(event.message);
    const why =
      event.atMs < since
        ? 'before the load began'
        : !r
          ? 'message not understood'
          : !r.aboveTarget
            ? 'not a scale-up (reason is not "above target")'
            : before !== undefined && r.size <= before
              ? `new size ${r.size} is not above the ${before} before the load`
              : 'scale-up after the load began';
    return { event, size: r?.size, counted: why === 'scale-up after the load began', why };
  });
}

/**
 * "the HPA `producer` scaled up to at least 2 replicas within 4m of the load's start":
 * a SuccessfulRescale scale-up event, after the scenario's background load began,
 * to at least N replicas, recorded within the bound of the load's start.
 */
export function hpaScaledUpDuringLoad(ctx: Ctx, name: string, atLeast: number, withinMs: number): StepResult {
  return ctx.check(`HPA ${name} scaled up to at least ${atLeast} replicas within ${formatDuration(withinMs)} of the load's start`, async () => {
    const load = ctx.state.backgroundLoad;
    if (!load)
      throw new BadInputError('no background load was started in this scenario', 'start one first: When the k6 script … loads … in the background for …');
    const namespace = await scenarioNamespace(ctx);
    const k = ctx.clients.kube();
    const recorded = ctx.state.hpaSeries.get(name)?.points.filter((p) => p.t <= load.startedAtMs);
    const before = recorded?.length ? recorded[recorded.length - 1].current : undefined;
    const look = async () => {
      const events = (await k.events(namespace))
        .filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler' && e.involvedObject.name === name && e.reason === 'SuccessfulRescale')
        .map((e) => ({ atMs: time(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp), message: e.message ?? '' }));
      const judged = scaleUpsAfter(events, load.startedAtMs, before);
      const hit = judged.find((j) => j.counted && (j.size ?? 0) >= atLeast);
      return { judged, hit };
    };
    const deadline = load.startedAtMs + withinMs;
    const r = await waitUntil({
      what: `HPA ${namespace}/${name} to record a scale-up to at least ${atLeast} replicas after the load began`,
      timeoutMs: Math.max(0, deadline - Date.now()),
      intervalMs: 5000,
      signal: ctx.signal,
      check: async () => {
        const v = await look();
        const ups = v.judged.filter((j) => j.counted).map((j) => j.size);
        return { ok: !!v.hit, value: v, summary: ups.length ? `scale-ups to ${ups.join(', ')}` : 'no scale-up event since the load began' };
      },
    }).catch(async (e: unknown) => {
      // Past the bound: judge what was recorded.
      if (e instanceof WaitTimeoutError) return { value: await look() };
      throw e;
    });
    const { judged, hit } = r.value!;
    await ctx.evidence.table(
      `SuccessfulRescale events of HPA ${name} (load began ${new Date(load.startedAtMs).toISOString()}, ${before ?? 'unknown'} replicas before)`,
      judged.map((j) => ({
        time: new Date(j.event.atMs).toISOString(),
        after_load_start: formatDuration(j.event.atMs - load.startedAtMs),
        message: j.event.message,
        counted: j.counted ? 'yes' : 'no',
        why: j.why,
      })),
    );
    const tookMs = hit ? hit.event.atMs - load.startedAtMs : undefined;
    if (hit && tookMs! <= withinMs)
      return `scaled up ${before ?? '?'} → ${hit.size} replicas ${formatDuration(Math.max(0, tookMs!))} after the load began (${hit.event.message})`;
    const h = await k.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace });
    const ref = h.spec?.scaleTargetRef;
    const conditions = (h.status?.conditions ?? [])
      .filter((c) => c.status !== 'True')
      .map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`)
      .join('; ');
    const seen = judged.filter((j) => j.counted).map((j) => `${j.size} at +${formatDuration(j.event.atMs - load.startedAtMs)}`);
    throw new Error(
      `HPA ${namespace}/${name} (target ${ref?.kind ?? '?'} ${ref?.name ?? '?'}, ${before ?? 'unknown'} replicas before the load) recorded no scale-up to at least ${atLeast} replicas within ${formatDuration(withinMs)} of the load's start` +
        `; scale-ups after the load began: ${seen.join(', ') || 'none'}; current ${h.status?.currentReplicas ?? 0}, desired ${h.status?.desiredReplicas ?? 0}` +
        (conditions ? `; conditions: ${conditions}` : ''),
    );
  });
}

/**
 * Switches the CPU burner of a deployment's pods on or off (the fixture's
 * container burns a core while /tmp/burn exists). Load stops by itself when
 * the scenario's namespace is deleted.
 */
export async function cpuLoad(ctx: Ctx, deployment: string, on: boolean): Promise<void> {
  const namespace = await scenarioNamespace(ctx);
  const k = ctx.clients.kube();
  const pods = (await k.deploymentPods(namespace, deployment)).filter(podReady);
  if (!pods.length) throw new Error(`deployment ${deployment} has no Ready pod to ${on ? 'load' : 'unload'}`);
  const targets = on ? [pods[pods.length - 1]] : pods;
  for (const p of targets) {
    const r = await k.exec(namespace, p.metadata!.name!, undefined, ['sh', '-c', on ? 'touch /tmp/burn' : 'rm -f /tmp/burn'], ctx.config.timeouts.assert);
    if (r.exitCode !== 0) throw new Error(`switching CPU load ${on ? 'on' : 'off'} in ${p.metadata!.name} failed: ${r.stderr}`);
  }
  await ctx.evidence.log(`CPU load ${on ? 'on' : 'off'} in ${targets.map((p) => p.metadata!.name).join(', ')}`);
  if (on) await hpaRecorder(ctx, deployment).catch(() => undefined);
}
