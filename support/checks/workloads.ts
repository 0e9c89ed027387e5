import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { podReady, type WorkloadKind } from '../clients/kube/client';
import { BadInputError, errorText, formatDuration, WaitTimeoutError } from '../engine/errors';
import { formatTable } from '../engine/evidence/table';
import type { Span } from '../engine/evidence/chart';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx, PodDeletion } from './shared/context';
import { platformNamespace, scenarioNamespace } from './shared/namespace';
import { shq } from './shared/probe';
import { timelineText } from './shared/timeline';

/** Workloads: rollouts, pods Ready, exec and files in pods, pod deletion and recovery. */

/** "crasher-7d9 (Running, CrashLoopBackOff, 3 restarts)": why a pod is not Ready, in one line. */
function podState(p: V1Pod): string {
  const r = podRow(p);
  return `${r.pod} (${[r.phase, r.waiting, r.restarts ? `${r.restarts} restart(s)` : ''].filter(Boolean).join(', ')})`;
}

function podRow(p: V1Pod) {
  return {
    pod: p.metadata?.name,
    phase: p.status?.phase,
    ready: podReady(p),
    restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
    node: p.spec?.nodeName ?? '',
    ip: p.status?.podIP ?? '',
    age: formatDuration(Date.now() - new Date(p.metadata?.creationTimestamp ?? Date.now()).getTime()),
    waiting: (p.status?.containerStatuses ?? [])
      .map((c) => c.state?.waiting?.reason)
      .filter(Boolean)
      .join(','),
  };
}

/** Every pod of the namespace Running and Ready (finished Job pods aside), noticed through a watch: `kubectl get all` as evidence. */
export function allPodsReady(ctx: Ctx, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`all pods in ${namespace} are Running and Ready`, async () => {
    const k = ctx.clients.kube();
    let pods: V1Pod[] = [];
    try {
      await waitUntil({
        what: `every pod in namespace ${namespace} to be Running and Ready`,
        holdMs: ctx.config.readyHoldMs,
        timeoutMs: withinMs,
        signal: ctx.signal,
        watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
        check: async () => {
          pods = (await k.listPods(namespace)).filter((p) => p.status?.phase !== 'Succeeded');
          const notReady = pods.filter((p) => !podReady(p));
          return {
            ok: pods.length > 0 && notReady.length === 0,
            summary: pods.length
              ? `${pods.length - notReady.length}/${pods.length} Ready${notReady.length ? `; not ready: ${notReady.map(podState).join(', ')}` : ''}`
              : 'no pods in the namespace',
          };
        },
      });
    } finally {
      await ctx.evidence.table(`pods in ${namespace}`, pods.map(podRow));
    }
    return `${pods.length} pod(s) Running and Ready`;
  });
}

/** The pods of a workload all Ready, at least `min` of them. */
export function workloadReady(ctx: Ctx, kind: WorkloadKind, name: string, min: number, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${kind} ${name} has at least ${min} Ready pod(s)`, async () => {
    const k = ctx.clients.kube();
    let pods: V1Pod[] = [];
    try {
      await waitUntil({
        what: `${kind} ${namespace}/${name} to have at least ${min} Ready pod(s)`,
        holdMs: ctx.config.readyHoldMs,
        timeoutMs: withinMs,
        signal: ctx.signal,
        watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
        check: async () => {
          pods = (await ctx.clients.kube().workloadPods(namespace, kind, name)).pods;
          const ready = pods.filter(podReady).length;
          const notReady = pods.filter((p) => !podReady(p));
          return {
            ok: ready >= min && ready === pods.length,
            summary: `${ready}/${pods.length} Ready${notReady.length ? `; not ready: ${notReady.map(podState).join(', ')}` : ''}`,
          };
        },
      });
    } finally {
      await ctx.evidence.table(`pods of ${kind} ${name}`, pods.map(podRow));
    }
    return `${pods.length} pod(s) Ready`;
  });
}

/** A DaemonSet with one Ready pod on every schedulable node. */
export function daemonSetOnEveryNode(ctx: Ctx, name: string, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`DaemonSet ${name} runs one Ready pod per node`, async () => {
    const k = ctx.clients.kube();
    const r = await waitUntil({
      what: `DaemonSet ${namespace}/${name} to have one Ready pod on every node`,
      holdMs: ctx.config.readyHoldMs,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const nodes = (await k.core.listNode()).items.filter((n) => !n.spec?.unschedulable);
        const ds = await k.apps.readNamespacedDaemonSet({ name, namespace });
        const s = ds.status;
        return {
          ok: !!s && s.numberReady === nodes.length && s.desiredNumberScheduled === nodes.length,
          value: { nodes: nodes.length, ...s },
          summary: `nodes ${nodes.length}, desired ${s?.desiredNumberScheduled}, ready ${s?.numberReady}`,
        };
      },
    });
    await ctx.evidence.table(`pods of DaemonSet ${name}`, (await ctx.clients.kube().workloadPods(namespace, 'daemonset', name)).pods.map(podRow));
    return r.summary;
  });
}

/** The workload's pods mount the Secret as a volume. */
export function podsMountSecret(ctx: Ctx, kind: WorkloadKind, name: string, secret: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${kind} ${name} mounts Secret ${secret}`, async () => {
    const pods = (await ctx.clients.kube().workloadPods(namespace, kind, name)).pods;
    if (!pods.length) throw new Error(`${kind} ${name} has no pods`);
    const rows = pods.map((p) => {
      const vol = (p.spec?.volumes ?? []).find((v) => v.secret?.secretName === secret || v.projected?.sources?.some((s) => s.secret?.name === secret));
      const mounts = vol
        ? (p.spec?.containers ?? []).flatMap((c) => (c.volumeMounts ?? []).filter((m) => m.name === vol.name).map((m) => `${c.name}:${m.mountPath}`))
        : [];
      return { pod: p.metadata?.name ?? '', volume: vol?.name ?? '(none)', mounts: mounts.join(', ') || '(not mounted)' };
    });
    await ctx.evidence.table(`Secret ${secret} in pods of ${kind} ${name}`, rows);
    const bad = rows.filter((r) => r.mounts === '(not mounted)');
    if (bad.length) throw new Error(`pod(s) ${bad.map((b) => b.pod).join(', ')} do not mount Secret ${secret}`);
    return rows.map((r) => `${r.pod} → ${r.mounts}`).join('; ');
  });
}

function rolloutSummary(d: V1Deployment): { ok: boolean; summary: string } {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const current = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  const ok =
    current && (s.updatedReplicas ?? 0) === want && (s.readyReplicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.replicas ?? 0) === want;
  const cond = (s.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`).join(' ');
  return {
    ok,
    summary: `${s.readyReplicas ?? 0}/${want} ready, ${s.updatedReplicas ?? 0} updated, ${s.availableReplicas ?? 0} available${cond ? `; ${cond}` : ''}`,
  };
}

/** "deployment `echo` rolls out with 2 ready replicas within 2m" — noticed through a watch. */
export function deploymentRollsOut(ctx: Ctx, name: string, replicas: number | undefined, withinMs: number): StepResult {
  return ctx.check(`deployment ${name} rolls out${replicas !== undefined ? ` with ${replicas} ready replica(s)` : ''}`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = ctx.clients.kube();
    const judge = (d: V1Deployment) => {
      const s = rolloutSummary(d);
      const countOk = replicas === undefined || (d.spec?.replicas ?? 1) === replicas;
      return { ok: s.ok && countOk, value: d, summary: `${s.summary}${countOk ? '' : `; spec.replicas is ${d.spec?.replicas ?? 1}, not ${replicas}`}` };
    };
    const r = await waitUntil<V1Deployment>({
      what: `deployment ${namespace}/${name} to roll out${replicas !== undefined ? ` with ${replicas} ready replica(s)` : ''}`,
      holdMs: ctx.config.readyHoldMs,
      timeoutMs: withinMs,
      signal: ctx.signal,
      watch: k.watchJudged(`/apis/apps/v1/namespaces/${namespace}/deployments`, { fieldSelector: `metadata.name=${name}` }, judge),
      check: async () => judge(await k.apps.readNamespacedDeployment({ name, namespace })),
    }).catch(async (e: unknown) => {
      // The Deployment's status does not say why a pod is not Ready (ErrImagePull, CrashLoopBackOff): its pods do.
      if (!(e instanceof WaitTimeoutError)) throw e;
      const notReady = (await k.workloadPods(namespace, 'deployment', name)).pods.filter((p) => !podReady(p));
      throw notReady.length ? new WaitTimeoutError(e.what, e.waitedMs, `${e.lastSeen}; not ready: ${notReady.map(podState).join(', ')}`, e.observations) : e;
    });
    await ctx.evidence.text(`rollout of ${name}`, timelineText(r.timeline));
    return `${r.summary} after ${formatDuration(r.elapsedMs)}`;
  });
}

async function newestReadyPod(ctx: Ctx, deployment: string, kind: WorkloadKind = 'deployment'): Promise<V1Pod> {
  const namespace = await scenarioNamespace(ctx);
  return ctx.clients.kube().newestReadyPod(namespace, kind, deployment, 'to read');
}

/** "running `hostname` in a pod of deployment `echo` prints the pod's name" */
export function execPrintsPodName(ctx: Ctx, command: string, deployment: string): StepResult {
  return ctx.check(`exec \`${command}\` in a pod of ${deployment} prints the pod name`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const pod = await newestReadyPod(ctx, deployment);
    const r = await ctx.clients.kube().exec(namespace, pod.metadata!.name!, undefined, ['sh', '-c', command], ctx.config.timeouts.assert);
    await ctx.evidence.text(
      `exec in ${pod.metadata!.name}`,
      `$ ${command}\n${r.stdout}${r.stderr ? `\n[stderr]\n${r.stderr}` : ''}\n[exit ${r.exitCode} after ${formatDuration(r.elapsedMs)}]`,
    );
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
  const r = await ctx.clients
    .kube()
    .exec(
      namespace,
      pod.metadata!.name!,
      undefined,
      ['sh', '-c', `printf '%s' ${shq(text)} > ${shq(path)} && sync && cat ${shq(path)}`],
      ctx.config.timeouts.assert,
    );
  if (r.exitCode !== 0 || r.stdout !== text) throw new Error(`writing ${path} in ${pod.metadata!.name} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  ctx.state.writtenFiles.set(`${deployment}:${path}`, { text, pod: pod.metadata!.name!, uid: pod.metadata!.uid! });
  await ctx.evidence.log(`wrote "${text}" to ${path} in pod ${pod.metadata!.name}`);
}

/** The file written earlier is still there, read from a different (replacement) pod. */
export function fileSurvivesInNewPod(ctx: Ctx, deployment: string, path: string, kind: WorkloadKind = 'deployment'): StepResult {
  return ctx.check(`${path} keeps its content in a new pod of ${kind} ${deployment}`, async () => {
    const written = ctx.state.writtenFiles.get(`${deployment}:${path}`);
    if (!written) throw new BadInputError(`nothing was written to ${path} in ${deployment} in this scenario`);
    const namespace = await scenarioNamespace(ctx);
    const pod = await newestReadyPod(ctx, deployment, kind);
    if (pod.metadata!.uid === written.uid) throw new Error(`pod ${pod.metadata!.name} is the pod that wrote the file; restart the pods first`);
    const r = await ctx.clients.kube().exec(namespace, pod.metadata!.name!, undefined, ['cat', path], ctx.config.timeouts.assert);
    await ctx.evidence.table(`${path} across a pod restart`, [
      { pod: written.pod, role: 'writer (deleted)', content: written.text },
      { pod: pod.metadata!.name, role: 'replacement', content: r.stdout },
    ]);
    if (r.stdout !== written.text) throw new Error(`expected "${written.text}" in ${path}, found "${r.stdout}" (exit ${r.exitCode} ${r.stderr.trim()})`);
    return `pod ${pod.metadata!.name} reads "${r.stdout}" written by ${written.pod}`;
  });
}

/**
 * Deletes pods of a workload (one, or all) and starts watching the
 * namespace's pods so the replacement's creation, scheduling, start and
 * readiness are time-stamped the moment the API server reports them.
 */
export async function deletePods(ctx: Ctx, kind: WorkloadKind, name: string, which: 'one' | 'all'): Promise<void> {
  const namespace = await scenarioNamespace(ctx);
  const k = ctx.clients.kube();
  const { pods } = await k.workloadPods(namespace, kind, name);
  if (!pods.length) throw new Error(`${kind} ${namespace}/${name} has no pods to delete`);
  const victims = which === 'one' ? [pods[pods.length - 1]] : pods;
  const victimUids = new Set(victims.map((p) => p.metadata!.uid!));
  const untouched = new Set(pods.map((p) => p.metadata!.uid!).filter((u) => !victimUids.has(u)));
  const selector = new Set(pods.map((p) => p.metadata!.name!.replace(/-[^-]+$/, '')));
  const seen = new Map<string, string>();
  const marks: PodDeletion['marks'] = [];
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
  ctx.state.deletions.set(`${kind}:${name}`, {
    kind,
    name,
    pods: victims.map((v) => ({ name: v.metadata!.name!, uid: v.metadata!.uid! })),
    atMs,
    marks,
    stop,
    podsBefore: podsTable(pods),
  });
}

/**
 * "deployment `echo` has all replicas Ready again within 30s": the bound runs
 * from the deletion, and the recovery time — deletion to the moment the API
 * server reported the last replacement Ready (watch) — is compared with it.
 * The timeline of each phase is in the report either way.
 */
export function recoversWithin(ctx: Ctx, kind: WorkloadKind, name: string, withinMs: number): StepResult {
  return ctx.check(`${kind} ${name} recovers from pod deletion within ${formatDuration(withinMs)}`, async () => {
    const d = ctx.state.deletions.get(`${kind}:${name}`);
    if (!d) throw new BadInputError(`no pod of ${kind} ${name} was deleted in this scenario`);
    const namespace = await scenarioNamespace(ctx);
    const k = ctx.clients.kube();
    const gone = new Set(d.pods.map((p) => p.uid));
    let outcome: string;
    try {
      const r = await waitUntil({
        what: `${kind} ${name} to have all replicas Ready again, none of them a deleted pod, within ${formatDuration(withinMs)} of the deletion`,
        holdMs: ctx.config.readyHoldMs,
        // The bound counts from the deletion; a little grace lets a late recovery be measured and reported as late.
        timeoutMs: Math.max(0, d.atMs + withinMs - Date.now()) + RECOVERY_GRACE_MS,
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
      outcome = r.summary;
    } catch (e) {
      // Not recovered at all: the timeline of what did happen is the evidence.
      d.stop();
      await recordRecovery(ctx, d, Date.now());
      await observeRecovery(ctx, namespace, d, withinMs, undefined);
      throw e;
    }
    setImmediate(d.stop); // aborting the watch costs milliseconds; the marks are complete
    const readyMarks = d.marks.filter((m) => m.label.endsWith(' ready')).map((m) => m.atMs);
    const readyAt = readyMarks.length ? Math.max(...readyMarks) : Date.now();
    const recoveryMs = readyAt - d.atMs;
    // the chart renders while the replacement's logs are read
    await Promise.all([recordRecovery(ctx, d, readyAt), observeRecovery(ctx, namespace, d, withinMs, readyAt)]);
    if (recoveryMs > withinMs)
      throw new Error(
        `${kind} ${name} recovered in ${formatDuration(recoveryMs)} after the deletion of ${d.pods.map((p) => p.name).join(', ')}, over the ${formatDuration(withinMs)} bound`,
      );
    return `recovered in ${formatDuration(recoveryMs)} (bound ${formatDuration(withinMs)}; ${outcome})`;
  });
}

const RECOVERY_GRACE_MS = 15_000;

function podsTable(pods: V1Pod[]): string[] {
  return formatTable(pods.map(podRow)).split('\n');
}

/** The recovery for the plan's outputs (resilience-observations.md, the drill video): pods before and after, phases, the replacement's first log lines. */
async function observeRecovery(ctx: Ctx, namespace: string, d: PodDeletion, boundMs: number, readyAtMs: number | undefined): Promise<void> {
  const k = ctx.clients.kube();
  const gone = new Set(d.pods.map((p) => p.uid));
  const { pods } = await k.workloadPods(namespace, d.kind, d.name);
  const logs: string[] = [];
  for (const p of pods.filter((x) => !gone.has(x.metadata!.uid!)).slice(0, 2)) {
    const text = await k.logs(namespace, p.metadata!.name!, undefined, 12, { timestamps: true }).catch((e: unknown) => `(logs unreadable: ${errorText(e)})`);
    logs.push(
      ...text
        .split('\n')
        .filter(Boolean)
        // kubelet's timestamp, shortened to the time of day: the line's own text follows
        .map((l) => `${p.metadata!.name}: ${l.replace(/^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d(?:\.\d{1,3})?)\d*Z /, '$1 ')}`),
    );
  }
  await ctx.evidence.observe('recovery', {
    kind: d.kind,
    name: d.name,
    namespace,
    deletedPods: d.pods.map((p) => p.name),
    deletedAtMs: d.atMs,
    boundMs,
    readyAtMs,
    marks: d.marks,
    podsBefore: d.podsBefore,
    podsAfter: podsTable(pods),
    logs,
  });
}

async function recordRecovery(ctx: Ctx, d: PodDeletion, readyAt: number): Promise<void> {
  const spans: Span[] = [];
  let prev = d.atMs;
  for (const m of [...d.marks].sort((a, b) => a.atMs - b.atMs)) {
    spans.push({ label: m.label, startMs: prev, endMs: Math.max(m.atMs, prev), phase: m.label.replace(/^.* /, '') });
    prev = Math.max(prev, m.atMs);
  }
  spans.push({ label: 'all replicas Ready', startMs: d.atMs, endMs: readyAt, phase: 'recovery' });
  await ctx.evidence.timeline(
    spans,
    `recovery of ${d.kind} ${d.name} after deleting ${d.pods.map((p) => p.name).join(', ')}: ${formatDuration(readyAt - d.atMs)}`,
  );
  await ctx.evidence.table(
    `recovery timeline of ${d.kind} ${d.name}`,
    d.marks.map((m) => ({ at: `+${formatDuration(m.atMs - d.atMs)}`, event: m.label })),
  );
}
