import type { V1Deployment, V1Pod, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Ctx, StepResult } from '../context';
import type { Comparison } from '../compare';
import { compare, describeComparison } from '../compare';
import { BadInputError, formatDuration } from '../errors';
import type { Span } from '../evidence/chart';
import { pause, waitUntil } from '../wait';
import { httpFromProbe, resolveFromProbe, shq, tcpFromProbe } from '../probe';
import { applyFixture, kube, scenarioNamespace } from './index';
import { podReady } from './client';
import type { WorkloadKind } from './client';

/**
 * Step-level Kubernetes checks. Each takes the scenario context, does one
 * thing, waits by name and within a bound, and records what it observed.
 */

export async function applyManifest(ctx: Ctx, file: string): Promise<void> {
  await applyFixture(ctx, file);
}

// ----------------------------------------------------------------- rollout

function rolloutSummary(d: V1Deployment): { ok: boolean; summary: string } {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const current = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  const ok = current && (s.updatedReplicas ?? 0) === want && (s.readyReplicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.replicas ?? 0) === want;
  const cond = (s.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`).join(' ');
  return { ok, summary: `${s.readyReplicas ?? 0}/${want} ready, ${s.updatedReplicas ?? 0} updated, ${s.availableReplicas ?? 0} available${cond ? `; ${cond}` : ''}` };
}

/** "deployment `echo` rolls out with 2 ready replicas within 2m" — noticed through a watch. */
export function deploymentRollsOut(ctx: Ctx, name: string, replicas: number | undefined, withinMs: number): StepResult {
  return ctx.check(`deployment ${name} rolls out${replicas !== undefined ? ` with ${replicas} ready replica(s)` : ''}`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = kube(ctx);
    const r = await waitUntil<V1Deployment>({
      what: `deployment ${namespace}/${name} to roll out`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      watch: k.watchSource(`/apis/apps/v1/namespaces/${namespace}/deployments`, { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        const d = await k.apps.readNamespacedDeployment({ name, namespace });
        const s = rolloutSummary(d);
        const countOk = replicas === undefined || (d.spec?.replicas ?? 1) === replicas;
        return { ok: s.ok && countOk, value: d, summary: s.summary };
      },
    });
    await ctx.evidence.text(`rollout of ${name}`, timelineText(r.timeline));
    return `${r.summary} after ${formatDuration(r.elapsedMs)}`;
  });
}

// ----------------------------------------------------------------- probe: HTTP, DNS, TCP

/** "the probe gets HTTP 200 from `http://echo/` within 30s" */
export function probeGetsHttp(ctx: Ctx, status: number, url: string, withinMs: number): StepResult {
  return ctx.check(`GET ${url} from inside the cluster answers ${status}`, async () => {
    let body = '';
    const r = await waitUntil({
      what: `${url} to answer HTTP ${status} from the probe pod`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      intervalMs: 1000,
      check: async () => {
        const h = await httpFromProbe(ctx, url);
        body = h.body;
        return { ok: h.status === status, summary: h.summary };
      },
    });
    await ctx.evidence.text(`GET ${url}`, `${timelineText(r.timeline)}\n\nbody (first 500 bytes):\n${body.slice(0, 500)}`);
    return `${r.summary}; body: ${body.slice(0, 80).replace(/\s+/g, ' ')}`;
  });
}

/** "the probe resolves `kubernetes.default`" (optionally to the address of a Service). */
export function probeResolves(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`${name} resolves inside the cluster`, async () => {
    const r = await waitUntil<string[]>({
      what: `${name} to resolve from the probe pod`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const x = await resolveFromProbe(ctx, name);
        return { ok: x.addresses.length > 0, value: x.addresses, summary: x.summary };
      },
    });
    return r.summary;
  });
}

/** "the probe can connect to `echo` port 80" — until it can, within the bound. */
export function probeConnects(ctx: Ctx, host: string, port: number, withinMs: number): StepResult {
  return ctx.check(`TCP ${host}:${port} accepts connections from the probe`, async () => {
    const r = await waitUntil({
      what: `a TCP connection from the probe to ${host}:${port}`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const t = await tcpFromProbe(ctx, host, port);
        return { ok: t.connected, summary: t.summary };
      },
    });
    ctx.memory.set(`connected:${host}:${port}`, Date.now());
    return r.summary;
  });
}

/**
 * "the probe cannot connect to `echo` port 80 within 30s": waits until
 * connections fail, then requires 3 more consecutive failures so a single
 * timeout cannot pass for enforcement. Only meaningful after the same
 * connection succeeded (checked: the scenario must have connected first).
 */
export function probeBlocked(ctx: Ctx, host: string, port: number, withinMs: number): StepResult {
  return ctx.check(`TCP ${host}:${port} is blocked for the probe`, async () => {
    if (!ctx.memory.has(`connected:${host}:${port}`)) {
      throw new BadInputError(`no earlier successful connection to ${host}:${port} in this scenario`, 'first assert that the probe can connect, so a block proves enforcement and not a broken service');
    }
    const r = await waitUntil({
      what: `TCP connections from the probe to ${host}:${port} to be refused or dropped`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const t = await tcpFromProbe(ctx, host, port);
        return { ok: !t.connected, summary: t.summary };
      },
    });
    const confirm: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await tcpFromProbe(ctx, host, port);
      confirm.push(t.summary);
      if (t.connected) throw new Error(`connection to ${host}:${port} succeeded again after being blocked: ${t.summary}`);
    }
    await ctx.evidence.text(`blocked ${host}:${port}`, `${timelineText(r.timeline)}\n\nconfirmation attempts:\n${confirm.map((c) => `  ${c}`).join('\n')}`);
    return `blocked after ${formatDuration(r.elapsedMs)}; 3 more attempts also failed (${confirm[0]})`;
  });
}

// ----------------------------------------------------------------- exec

async function newestReadyPod(ctx: Ctx, deployment: string, kind: WorkloadKind = 'deployment'): Promise<V1Pod> {
  const namespace = await scenarioNamespace(ctx);
  const pods = (await kube(ctx).workloadPods(namespace, kind, deployment)).pods.filter(podReady);
  if (!pods.length) throw new Error(`${kind} ${namespace}/${deployment} has no Ready pod`);
  return pods[0];
}

/** "running `hostname` in a pod of deployment `echo` prints the pod's name" */
export function execPrintsPodName(ctx: Ctx, command: string, deployment: string): StepResult {
  return ctx.check(`exec \`${command}\` in a pod of ${deployment} prints the pod name`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const pod = await newestReadyPod(ctx, deployment);
    const r = await kube(ctx).exec(namespace, pod.metadata!.name!, undefined, ['sh', '-c', command], ctx.config.timeouts.assert);
    await ctx.evidence.text(`exec in ${pod.metadata!.name}`, `$ ${command}\n${r.stdout}${r.stderr ? `\n[stderr]\n${r.stderr}` : ''}\n[exit ${r.exitCode} after ${formatDuration(r.elapsedMs)}]`);
    if (r.exitCode !== 0) throw new Error(`\`${command}\` exited ${r.exitCode}: ${r.stderr.trim()}`);
    if (r.stdout.trim() !== pod.metadata!.name) throw new Error(`expected "${pod.metadata!.name}", got "${r.stdout.trim()}"`);
    return `"${r.stdout.trim()}" (exit 0, ${formatDuration(r.elapsedMs)})`;
  });
}

/** Writes text into a file in the newest Ready pod of a deployment (and remembers it). */
export async function writeFileInPod(ctx: Ctx, deployment: string, path: string, kind: WorkloadKind = 'deployment'): Promise<void> {
  const namespace = await scenarioNamespace(ctx);
  const pod = await newestReadyPod(ctx, deployment, kind);
  const text = `kubeproof ${ctx.unique('data')} ${new Date().toISOString()}`;
  const r = await kube(ctx).exec(namespace, pod.metadata!.name!, undefined, ['sh', '-c', `printf '%s' ${shq(text)} > ${shq(path)} && sync && cat ${shq(path)}`], ctx.config.timeouts.assert);
  if (r.exitCode !== 0 || r.stdout !== text) throw new Error(`writing ${path} in ${pod.metadata!.name} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  ctx.memory.set(`file:${deployment}:${path}`, { text, pod: pod.metadata!.name, uid: pod.metadata!.uid });
  await ctx.evidence.log(`wrote "${text}" to ${path} in pod ${pod.metadata!.name}`);
}

/** The file written earlier is still there, read from a different (replacement) pod. */
export function fileSurvivesInNewPod(ctx: Ctx, deployment: string, path: string, kind: WorkloadKind = 'deployment'): StepResult {
  return ctx.check(`${path} keeps its content in a new pod of ${kind} ${deployment}`, async () => {
    const written = ctx.memory.get(`file:${deployment}:${path}`) as { text: string; pod: string; uid: string } | undefined;
    if (!written) throw new BadInputError(`nothing was written to ${path} in ${deployment} in this scenario`);
    const namespace = await scenarioNamespace(ctx);
    const pod = await newestReadyPod(ctx, deployment, kind);
    if (pod.metadata!.uid === written.uid) throw new Error(`pod ${pod.metadata!.name} is the pod that wrote the file; restart the pods first`);
    const r = await kube(ctx).exec(namespace, pod.metadata!.name!, undefined, ['cat', path], ctx.config.timeouts.assert);
    await ctx.evidence.table(`${path} across a pod restart`, [
      { pod: written.pod, role: 'writer (deleted)', content: written.text },
      { pod: pod.metadata!.name, role: 'replacement', content: r.stdout },
    ]);
    if (r.stdout !== written.text) throw new Error(`expected "${written.text}" in ${path}, found "${r.stdout}" (exit ${r.exitCode} ${r.stderr.trim()})`);
    return `pod ${pod.metadata!.name} reads "${r.stdout}" written by ${written.pod}`;
  });
}

// ----------------------------------------------------------------- PVC

export function pvcBound(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`PVC ${name} is Bound`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = kube(ctx);
    const r = await waitUntil({
      what: `PersistentVolumeClaim ${namespace}/${name} to be Bound`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      watch: k.watchSource(`/api/v1/namespaces/${namespace}/persistentvolumeclaims`, { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        const c = await k.core.readNamespacedPersistentVolumeClaim({ name, namespace });
        return {
          ok: c.status?.phase === 'Bound',
          summary: `phase ${c.status?.phase}${c.spec?.volumeName ? `, volume ${c.spec.volumeName}` : ''}, class ${c.spec?.storageClassName ?? '(default)'}, capacity ${c.status?.capacity?.storage ?? '-'}`,
        };
      },
    });
    return `${r.summary} after ${formatDuration(r.elapsedMs)}`;
  });
}

// ----------------------------------------------------------------- pod deletion and recovery

interface Deleted {
  kind: WorkloadKind;
  name: string;
  pods: { name: string; uid: string }[];
  atMs: number;
  marks: { label: string; atMs: number }[];
  stop: () => void;
}

/**
 * Deletes pods of a workload (one, or all) and starts watching the
 * namespace's pods so the replacement's creation, scheduling, start and
 * readiness are time-stamped the moment the API server reports them.
 */
export async function deletePods(ctx: Ctx, kind: WorkloadKind, name: string, which: 'one' | 'all'): Promise<void> {
  const namespace = await scenarioNamespace(ctx);
  const k = kube(ctx);
  const { pods } = await k.workloadPods(namespace, kind, name);
  if (!pods.length) throw new Error(`${kind} ${namespace}/${name} has no pods to delete`);
  const victims = which === 'one' ? [pods[pods.length - 1]] : pods;
  const victimUids = new Set(victims.map((p) => p.metadata!.uid!));
  const untouched = new Set(pods.map((p) => p.metadata!.uid!).filter((u) => !victimUids.has(u)));
  const selector = new Set(pods.map((p) => p.metadata!.name!.replace(/-[^-]+$/, '')));
  const seen = new Map<string, string>();
  const marks: Deleted['marks'] = [];
  const mark = (label: string) => marks.push({ label, atMs: Date.now() });
  const order = ['created', 'scheduled', 'running', 'ready'];
  const stop = await k.watch(`/api/v1/namespaces/${namespace}/pods`, {}, (type, p: V1Pod) => {
    const uid = p.metadata?.uid ?? '';
    if (untouched.has(uid)) return;
    if (victimUids.has(uid)) {
      if (type === 'DELETED' && seen.get(uid) !== 'gone') {
        seen.set(uid, 'gone');
        mark(`old pod ${p.metadata?.name} gone`);
      }
      return;
    }
    // a replacement: same name stem (ReplicaSet hash / StatefulSet ordinal / DaemonSet hash)
    if (!selector.has((p.metadata?.name ?? '').replace(/-[^-]+$/, '')) || type === 'DELETED') return;
    const state = podReady(p) ? 'ready' : p.status?.phase === 'Running' ? 'running' : p.spec?.nodeName ? 'scheduled' : 'created';
    const before = seen.get(uid);
    if (before === undefined || order.indexOf(state) > order.indexOf(before)) {
      seen.set(uid, state);
      mark(`${p.metadata?.name} ${state}`);
    }
  });
  ctx.cleanup.push('stop pod watch', async () => stop());
  const atMs = Date.now();
  for (const v of victims) await k.core.deleteNamespacedPod({ name: v.metadata!.name!, namespace });
  mark(`deleted ${victims.map((v) => v.metadata!.name).join(', ')}`);
  ctx.memory.set(`deleted:${kind}:${name}`, { kind, name, pods: victims.map((v) => ({ name: v.metadata!.name!, uid: v.metadata!.uid! })), atMs, marks, stop } satisfies Deleted);
}

/** "deployment `echo` has all replicas Ready again within 1m" — with the recovery time and a timeline in the report. */
export function recoversWithin(ctx: Ctx, kind: WorkloadKind, name: string, withinMs: number): StepResult {
  return ctx.check(`${kind} ${name} recovers from pod deletion`, async () => {
    const d = ctx.memory.get(`deleted:${kind}:${name}`) as Deleted | undefined;
    if (!d) throw new BadInputError(`no pod of ${kind} ${name} was deleted in this scenario`);
    const namespace = await scenarioNamespace(ctx);
    const k = kube(ctx);
    const gone = new Set(d.pods.map((p) => p.uid));
    const r = await waitUntil({
      what: `${kind} ${name} to have all replicas Ready again, none of them a deleted pod`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      intervalMs: 1000,
      watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
      check: async () => {
        const { pods: all, desired } = await k.workloadPods(namespace, kind, name);
        const pods = all.filter((p) => !gone.has(p.metadata!.uid!));
        const ready = pods.filter(podReady).length;
        return { ok: ready >= desired, summary: `${ready}/${desired} Ready (pods: ${pods.map((p) => p.metadata?.name).join(', ') || 'none'})` };
      },
    });
    const readyAt = Date.now();
    d.stop();
    const recoveryMs = readyAt - d.atMs;
    const spans: Span[] = [];
    let prev = d.atMs;
    for (const m of [...d.marks].sort((a, b) => a.atMs - b.atMs)) {
      spans.push({ label: m.label, startMs: prev, endMs: Math.max(m.atMs, prev), phase: m.label.replace(/^.* /, '') });
      prev = Math.max(prev, m.atMs);
    }
    spans.push({ label: 'all replicas Ready', startMs: d.atMs, endMs: readyAt, phase: 'recovery' });
    await ctx.evidence.timeline(spans, `recovery of ${kind} ${name} after deleting ${d.pods.map((p) => p.name).join(', ')}: ${formatDuration(recoveryMs)}`);
    await ctx.evidence.table(
      `recovery timeline of ${kind} ${name}`,
      d.marks.map((m) => ({ at: `+${formatDuration(m.atMs - d.atMs)}`, event: m.label })).concat([{ at: `+${formatDuration(recoveryMs)}`, event: 'all replicas Ready (check)' }]),
    );
    ctx.memory.set(`recovery:${kind}:${name}`, recoveryMs);
    return `recovered in ${formatDuration(recoveryMs)} (${r.summary})`;
  });
}

// ----------------------------------------------------------------- metrics

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
    const k = kube(ctx);
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

// ----------------------------------------------------------------- HPA

interface HpaSeries {
  name: string;
  points: { t: number; current: number; desired: number; cpu?: number }[];
  stop: () => void;
}

/** Starts recording an HPA's replicas over time (watch), once per scenario. */
async function hpaRecorder(ctx: Ctx, name: string): Promise<HpaSeries> {
  const key = `hpa:${name}`;
  const existing = ctx.memory.get(key) as HpaSeries | undefined;
  if (existing) return existing;
  const namespace = await scenarioNamespace(ctx);
  const k = kube(ctx);
  const series: HpaSeries = { name, points: [], stop: () => undefined };
  const add = (h: V2HorizontalPodAutoscaler) => {
    const cpu = h.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
    series.points.push({ t: Date.now(), current: h.status?.currentReplicas ?? 0, desired: h.status?.desiredReplicas ?? 0, cpu: cpu ?? undefined });
  };
  add(await k.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace }));
  series.stop = await k.watch(`/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`, { fieldSelector: `metadata.name=${name}` }, (_t, h) => add(h));
  ctx.cleanup.push(`stop HPA watch ${name}`, async () => series.stop());
  ctx.memory.set(key, series);
  return series;
}

/** "the HPA `burner` scales to at least 2 replicas within 3m" — replicas charted over time. */
export function hpaScales(ctx: Ctx, name: string, cmp: Comparison, replicas: number, withinMs: number): StepResult {
  return ctx.check(`HPA ${name} scales to ${describeComparison(cmp, replicas)} replicas`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = kube(ctx);
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
        const cond = (h.status?.conditions ?? []).filter((c) => c.status !== 'True' || c.type === 'ScalingLimited').map((c) => `${c.type}=${c.status}(${c.reason})`).join(' ');
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

/**
 * Switches the CPU burner of a deployment's pods on or off (the fixture's
 * container burns a core while /tmp/burn exists). Load stops by itself when
 * the scenario's namespace is deleted.
 */
export async function cpuLoad(ctx: Ctx, deployment: string, on: boolean): Promise<void> {
  const namespace = await scenarioNamespace(ctx);
  const k = kube(ctx);
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

/** Short settle time, named so the report says why (e.g. for metrics to catch up). */
export async function settle(ctx: Ctx, ms: number, why: string): Promise<void> {
  await ctx.evidence.log(`waiting ${formatDuration(ms)}: ${why}`);
  await pause(ms, ctx.signal);
}

function timelineText(timeline: { atMs: number; summary: string }[]): string {
  return timeline.map((t) => `+${formatDuration(t.atMs).padEnd(7)} ${t.summary}`).join('\n');
}
