import {
  type KubernetesObject,
  type V1Deployment,
  type V1LabelSelector,
  type V1NetworkPolicy,
  type V1Pod,
  type V1PodDisruptionBudget,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { apiErrorText, describe, type ExecResult, podReady, selectorString, statusCode, type WorkloadKind } from '../clients/kube/client';
import { loadManifest } from '../clients/kube/manifests';
import { BadInputError, errorText, formatDuration, WaitTimeoutError } from '../engine/errors';
import type { Span } from '../engine/evidence/chart';
import type { StepResult } from '../engine/verdict';
import { pause, waitUntil } from '../engine/wait';
import type { BackgroundRequest, BackgroundRequests, Ctx } from './shared/context';
import { fixtureVars, platformNamespace, scenarioNamespace } from './shared/namespace';
import { intoNamespace, serverSideDryRun } from './shared/dry-run';
import { ensureProbe, probeExec, shq } from './shared/probe';
import { timelineText } from './shared/timeline';

/**
 * Workload actions and what they leave behind: scale, set an image, restart,
 * roll back; requests in the background while that happens; exec in a pod;
 * evictions under PodDisruptionBudgets; a temporary network partition;
 * teardown; admission refusing a manifest.
 */

const REVISION = 'deployment.kubernetes.io/revision';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** A mark on the background requests' chart, when requests run: what the scenario did, and when. */
function mark(ctx: Ctx, label: string): void {
  ctx.state.backgroundRequests?.marks.push({ label, atMs: Date.now() });
}

function podRow(p: V1Pod) {
  return {
    pod: p.metadata?.name ?? '',
    phase: p.status?.phase ?? '',
    ready: podReady(p),
    restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
    image: (p.spec?.containers ?? []).map((c) => c.image).join(', '),
    waiting: waitingReasons(p),
    node: p.spec?.nodeName ?? '',
  };
}

function waitingReasons(p: V1Pod): string {
  return [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
    .map((c) => c.state?.waiting?.reason)
    .filter(Boolean)
    .join(',');
}

/** "echo-7d9 (Pending, ErrImagePull)": why a pod is not Ready, in one line. */
function podState(p: V1Pod): string {
  const r = podRow(p);
  return `${r.pod} (${[r.phase, r.waiting, r.restarts ? `${r.restarts} restart(s)` : ''].filter(Boolean).join(', ')})`;
}

// ─── A1: scale, and exactly N Ready pods ───────────────────────────────────

/** "deployment `echo` is scaled to 3 replicas" — through the scale subresource; the cleanup stack gives back the count it had first. */
export async function scaleWorkload(ctx: Ctx, kind: WorkloadKind, name: string, replicas: number): Promise<void> {
  if (kind === 'daemonset')
    throw new BadInputError(`daemonset ${name} cannot be scaled: a DaemonSet runs one pod per eligible node`, 'scale a deployment or a statefulset');
  if (replicas < 0) throw new BadInputError(`${replicas} is not a replica count`, 'use 0 or more');
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const from = await ctx.clients.kube().replicas(kind, namespace, name);
  const key = `${kind}:${name}`;
  const scaled = (ctx.state.scaledWorkloads ??= new Map());
  if (!scaled.has(key)) {
    scaled.set(key, from);
    ctx.cleanup.push(`scale ${kind} ${name} back to ${from} replica(s)`, () => ctx.clients.kube().scale(kind, namespace, name, from));
  }
  await ctx.clients.kube().scale(kind, namespace, name, replicas);
  mark(ctx, `${kind} ${name} scaled ${from} → ${replicas}`);
  // An HPA on the workload will set its own count again: say so next to the action.
  const hpas = (await k.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })).items.filter(
    (h) => h.spec?.scaleTargetRef.kind.toLowerCase() === kind && h.spec.scaleTargetRef.name === name,
  );
  const note = hpas.length
    ? `; note: the HPA ${hpas.map((h) => `${h.metadata?.name} (${h.spec?.minReplicas ?? 1}–${h.spec?.maxReplicas})`).join(', ')} manages its replicas and may change them again`
    : '';
  await ctx.evidence.log(`${kind} ${namespace}/${name} scaled from ${from} to ${replicas} replica(s)${note}`);
}

/**
 * "deployment `echo` has exactly 3 Ready pods within 1m" — noticed through a watch and held for
 * the ready hold; pods being deleted do not count. On timeout the workload's latest warning
 * (a quota, an image pull) is named beside the pods.
 */
export function hasExactlyReadyPods(ctx: Ctx, kind: WorkloadKind, name: string, count: number, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${kind} ${name} has exactly ${count} Ready pod(s)`, async () => {
    const k = ctx.clients.kube();
    const started = Date.now();
    let pods: V1Pod[] = [];
    try {
      const r = await waitUntil({
        what: `${kind} ${namespace}/${name} to have exactly ${count} Ready pod(s)`,
        holdMs: ctx.config.readyHoldMs,
        timeoutMs: withinMs,
        signal: ctx.signal,
        watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
        check: async () => {
          pods = (await k.workloadPods(namespace, kind, name)).pods;
          const ready = pods.filter(podReady);
          const notReady = pods.filter((p) => !podReady(p));
          return {
            ok: ready.length === count,
            summary: `${ready.length} Ready${notReady.length ? `; not Ready: ${notReady.map(podState).join(', ')}` : ''}`,
          };
        },
      });
      await ctx.evidence.text(`Ready pods of ${kind} ${name}`, timelineText(r.timeline));
      return `${r.summary} (held ${formatDuration(ctx.config.readyHoldMs)}; first seen after ${formatDuration(r.okSinceMs)})`;
    } catch (e) {
      const warning = e instanceof WaitTimeoutError ? await latestWarning(ctx, namespace, name, started) : undefined;
      if (warning) throw new Error(`${errorText(e)}; latest warning: ${warning}`, { cause: e });
      throw e;
    } finally {
      await ctx.evidence.table(`pods of ${kind} ${name}`, pods.map(podRow));
    }
  });
}

/** The newest Warning event of a workload or its ReplicaSets and pods since `sinceMs` (e.g. FailedCreate: exceeded quota). */
async function latestWarning(ctx: Ctx, namespace: string, name: string, sinceMs: number): Promise<string | undefined> {
  const events = await ctx.clients
    .kube()
    .events(namespace)
    .catch(() => []);
  const mine = events.filter((e) => {
    const at = new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();
    const n = e.involvedObject.name ?? '';
    return e.type === 'Warning' && at >= sinceMs - 60_000 && (n === name || n.startsWith(`${name}-`));
  });
  const e = mine[mine.length - 1];
  return e ? `${e.involvedObject.kind} ${e.involvedObject.name} ${e.reason}: ${e.message}` : undefined;
}

// ─── A2: image, restart, roll back ─────────────────────────────────────────

/**
 * A JSON Patch of the deployment (client-node sends patches as application/json-patch+json):
 * only the changed path is written, so no field the client's model does not know is lost.
 */
async function patchDeployment(ctx: Ctx, namespace: string, name: string, patch: object[]): Promise<void> {
  await ctx.clients.kube().apps.patchNamespacedDeployment({ name, namespace, body: patch, fieldManager: 'kubeproof' });
}

function images(template?: V1PodTemplateSpec): string {
  return (template?.spec?.containers ?? []).map((c) => `${c.name}=${c.image}`).join(', ');
}

async function recordDeploymentChange(ctx: Ctx, d: V1Deployment, podsBefore: string[], action: string, change: string): Promise<void> {
  const name = d.metadata?.name ?? '';
  const revision = d.metadata?.annotations?.[REVISION] ?? '?';
  mark(ctx, `deployment ${name} ${action}`);
  await ctx.evidence.table(`deployment ${name} ${action}`, [
    { deployment: `${d.metadata?.namespace}/${name}`, change, 'revision before': revision, 'pods before': podsBefore.join(', ') },
  ]);
  await ctx.evidence.log(`deployment ${d.metadata?.namespace}/${name} ${action}: ${change} (was revision ${revision}; the rollout step shows the new one)`);
}

/** The deployment and its pods as they are before a change. */
async function deploymentBefore(ctx: Ctx, namespace: string, name: string): Promise<{ d: V1Deployment; pods: string[] }> {
  const k = ctx.clients.kube();
  const d = await k.apps.readNamespacedDeployment({ name, namespace });
  return { d, pods: (await k.deploymentPods(namespace, name)).map((p) => p.metadata?.name ?? '') };
}

/** "deployment `echo` is updated to the image `x`" — the first container, or the one named. */
export async function updateImage(ctx: Ctx, name: string, image: string, container?: string): Promise<void> {
  const namespace = platformNamespace(ctx);
  const { d, pods } = await deploymentBefore(ctx, namespace, name);
  const containers = d.spec?.template.spec?.containers ?? [];
  const i = container === undefined ? 0 : containers.findIndex((x) => x.name === container);
  const c = containers[i];
  if (!c)
    throw new BadInputError(
      `deployment ${namespace}/${name} has no container ${container ?? ''}`.trim(),
      `its containers: ${containers.map((x) => x.name).join(', ') || 'none'}`,
    );
  if (c.image === image) throw new BadInputError(`container ${c.name} of deployment ${namespace}/${name} already runs ${image}: nothing would roll out`);
  const path = `/spec/template/spec/containers/${i}`;
  // The test ops make the patch fail rather than change another container if the list changed meanwhile.
  await patchDeployment(ctx, namespace, name, [
    { op: 'test', path: `${path}/name`, value: c.name },
    { op: 'test', path: `${path}/image`, value: c.image },
    { op: 'replace', path: `${path}/image`, value: image },
  ]);
  await recordDeploymentChange(ctx, d, pods, `updated to ${image}`, `container ${c.name}: ${c.image} → ${image}`);
}

/** "deployment `echo` is restarted" — as `kubectl rollout restart`: a new pod template annotation. */
export async function restartDeployment(ctx: Ctx, name: string): Promise<void> {
  const namespace = platformNamespace(ctx);
  const { d, pods } = await deploymentBefore(ctx, namespace, name);
  const at = new Date().toISOString();
  const annotations = d.spec?.template.metadata?.annotations;
  await patchDeployment(
    ctx,
    namespace,
    name,
    annotations
      ? [{ op: 'add', path: `/spec/template/metadata/annotations/${RESTARTED_AT.replace(/~/g, '~0').replace(/\//g, '~1')}`, value: at }]
      : [{ op: 'add', path: '/spec/template/metadata/annotations', value: { [RESTARTED_AT]: at } }],
  );
  await recordDeploymentChange(ctx, d, pods, 'restarted', `pod template annotation ${RESTARTED_AT}: ${annotations?.[RESTARTED_AT] ?? '(none)'} → ${at}`);
}

/**
 * "deployment `echo` is rolled back" — as `kubectl rollout undo`: the pod template of the
 * ReplicaSet with the highest revision below the newest one (its pod-template-hash label dropped).
 */
export async function rollBackDeployment(ctx: Ctx, name: string): Promise<void> {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const { d, pods } = await deploymentBefore(ctx, namespace, name);
  const owned = (await k.apps.listNamespacedReplicaSet({ namespace, labelSelector: selectorString(d.spec?.selector) })).items.filter((rs) =>
    rs.metadata?.ownerReferences?.some((o) => o.uid === d.metadata?.uid),
  );
  const byRevision = owned
    .map((rs) => ({ rs, revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0) }))
    .filter((x) => x.revision > 0)
    .sort((a, b) => b.revision - a.revision);
  await ctx.evidence.table(
    `ReplicaSets of deployment ${name}`,
    byRevision.map((x) => ({
      replicaset: x.rs.metadata?.name,
      revision: x.revision,
      replicas: x.rs.status?.replicas ?? 0,
      images: images(x.rs.spec?.template),
    })),
  );
  const [newest, previous] = byRevision;
  if (!previous)
    throw new BadInputError(
      `deployment ${namespace}/${name} has no previous revision to roll back to (ReplicaSets: ${byRevision.map((x) => `${x.rs.metadata?.name} revision ${x.revision}`).join(', ') || 'none'})`,
      'change the deployment first (a new image, a restart), or check its revisionHistoryLimit',
    );
  // A pod template holds no field client-node renames, so its JSON form is the API's.
  const template = JSON.parse(JSON.stringify(previous.rs.spec!.template!)) as V1PodTemplateSpec;
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  await patchDeployment(ctx, namespace, name, [{ op: 'replace', path: '/spec/template', value: template }]);
  await recordDeploymentChange(
    ctx,
    d,
    pods,
    'rolled back',
    `revision ${newest.revision} (${images(newest.rs.spec?.template)}) → the pod template of revision ${previous.revision} (${images(template)})`,
  );
}

// ─── A3: requests in the background ────────────────────────────────────────

/** The loop ends by itself after this long: a scenario that never judges its requests cannot leave it running. */
const BACKGROUND_LIMIT_MS = 15 * 60_000;
const REQUEST_TIMEOUT_S = 3;

/** The loop the probe runs: one line per request (start on the probe's clock in ms, HTTP status, seconds, curl exit, curl's message). */
function requestLoop(url: string, intervalMs: number, fileBase: string, limitMs: number): string {
  // Few processes per request (date, curl, date, sleep): the probe asks for little CPU and must keep its pace on a busy node.
  return [
    `f=${shq(fileBase)}; end=$(( $(date +%s%3N) + ${limitMs} ))`,
    `while [ ! -e "$f.stop" ]; do`,
    `  t=$(date +%s%3N); [ "$t" -lt "$end" ] || break`,
    `  w=$(curl -sS -o /dev/null --connect-timeout 2 -m ${REQUEST_TIMEOUT_S} -w '%{http_code} %{time_total}' ${shq(url)} 2>"$f.err"); rc=$?`,
    `  e=; [ "$rc" -eq 0 ] || e=$(head -c 300 "$f.err" | tr '\n\t' '  ')`,
    `  echo "$t \${w:-000 0} $rc $e" >> "$f.log"`,
    `  left=$(( t + ${intervalMs} - $(date +%s%3N) ))`,
    `  if [ "$left" -gt 0 ]; then sleep "$(( left / 1000 )).$(printf '%03d' $(( left % 1000 )))"; fi`,
    `done`,
    `echo "end $(date +%s%3N)" >> "$f.log"`,
  ].join('\n');
}

/**
 * "the probe requests `http://echo/` every 500ms in the background" — a loop in the probe pod,
 * started detached so no exec stays open; it stops when a step judges it, when the scenario
 * ends (cleanup), or after 15 minutes by itself.
 */
export async function startBackgroundRequests(ctx: Ctx, url: string, intervalMs: number): Promise<void> {
  if (!/^https?:\/\/\S+$/.test(url)) throw new BadInputError(`"${url}" is not an http(s) URL`, 'write it like http://echo/ or https://api.shop:8443/health');
  if (intervalMs < 100) throw new BadInputError(`every ${formatDuration(intervalMs)} is too often for the probe`, 'request every 100ms or more');
  const running = ctx.state.backgroundRequests;
  if (running && !running.requests)
    throw new BadInputError(`the probe already requests ${running.url} in the background in this scenario`, 'judge those first');
  const probe = await ensureProbe(ctx);
  const fileBase = `/tmp/${ctx.unique('kubeproof-requests')}`;
  const before = Date.now();
  const r = await probeExec(
    ctx,
    `printf '%s\\n' ${shq(requestLoop(url, intervalMs, fileBase, BACKGROUND_LIMIT_MS))} > ${fileBase}.sh || exit 1\n` +
      `if command -v setsid >/dev/null; then setsid sh ${fileBase}.sh; else sh ${fileBase}.sh; fi </dev/null >/dev/null 2>&1 &\n` +
      `date +%s%3N`,
  );
  const after = Date.now();
  const probeNow = Number(r.stdout.trim());
  if (r.exitCode !== 0 || !Number.isFinite(probeNow) || probeNow <= 0)
    throw new Error(
      `the background requests could not start in probe pod ${probe.namespace}/${probe.pod} (exit ${r.exitCode}): ${r.stderr.trim() || r.stdout.trim()}`,
    );
  const bg: BackgroundRequests = {
    url,
    intervalMs,
    fileBase,
    probe,
    startedAtMs: before,
    clockOffsetMs: Math.round((before + after) / 2 - probeNow),
    limitMs: BACKGROUND_LIMIT_MS,
    marks: [],
  };
  ctx.state.backgroundRequests = bg;
  ctx.cleanup.push(`stop the background requests to ${url}`, () => probeExec(ctx, `touch ${fileBase}.stop`, 10_000, bg.probe));
  await ctx.evidence.log(
    `the probe ${probe.pod} requests ${url} every ${formatDuration(intervalMs)} in the background (each request bounded by ${REQUEST_TIMEOUT_S}s; the loop ends by itself after ${formatDuration(BACKGROUND_LIMIT_MS)})`,
  );
}

/** Stops the loop (once), waits for its last line and reads every request back. */
async function stopBackgroundRequests(ctx: Ctx): Promise<{ bg: BackgroundRequests; requests: BackgroundRequest[] }> {
  const bg = ctx.state.backgroundRequests;
  if (!bg)
    throw new BadInputError('the probe made no background requests in this scenario', 'start them first: When the probe requests … every … in the background');
  if (bg.requests) return { bg, requests: bg.requests };
  const f = bg.fileBase;
  await probeExec(ctx, `touch ${f}.stop`, 10_000, bg.probe);
  await waitUntil({
    what: `the background requests to ${bg.url} to stop`,
    timeoutMs: bg.intervalMs + REQUEST_TIMEOUT_S * 1000 + 10_000,
    intervalMs: 300,
    signal: ctx.signal,
    check: async () => {
      const r = await probeExec(ctx, `tail -n 1 ${f}.log 2>&1`, 10_000, bg.probe);
      return { ok: /^end \d+/.test(r.stdout.trim()), summary: `last line: ${r.stdout.trim() || '(none)'}` };
    },
  });
  const log = await probeExec(ctx, `cat ${f}.log`, 30_000, bg.probe);
  if (log.exitCode !== 0) throw new Error(`the background requests' log ${f}.log in probe pod ${bg.probe.pod} cannot be read: ${log.stderr.trim()}`);
  const requests: BackgroundRequest[] = [];
  for (const line of log.stdout.split('\n')) {
    const m = /^(\d+) (\d{3}) ([\d.]+) (\d+) ?(.*)$/.exec(line.trim());
    if (m)
      requests.push({
        atMs: Number(m[1]) + bg.clockOffsetMs,
        status: Number(m[2]),
        latencyMs: Math.round(Number(m[3]) * 1000),
        exitCode: Number(m[4]),
        error: m[5].replace(/^curl: /, '').trim(),
      });
    const end = /^end (\d+)/.exec(line.trim());
    if (end) bg.stoppedAtMs = Number(end[1]) + bg.clockOffsetMs;
  }
  bg.requests = requests;
  return { bg, requests };
}

const answered = (r: BackgroundRequest) => r.exitCode === 0 && r.status >= 200 && r.status < 400;

function outcome(r: BackgroundRequest): string {
  return r.status ? `HTTP ${r.status}` : r.error || `curl exit ${r.exitCode}`;
}

interface FailureRun {
  fromMs: number;
  toMs: number;
  count: number;
  first: string;
}

/** Consecutive failures: each run lasts from its first failed request to the next answered one (or the end). */
function failureRuns(requests: BackgroundRequest[], endMs: number): FailureRun[] {
  const runs: FailureRun[] = [];
  let current: FailureRun | undefined;
  for (const r of requests) {
    if (!answered(r)) {
      current ??= { fromMs: r.atMs, toMs: r.atMs, count: 0, first: outcome(r) };
      current.count++;
    } else if (current) {
      runs.push({ ...current, toMs: r.atMs });
      current = undefined;
    }
  }
  if (current) runs.push({ ...current, toMs: Math.max(current.fromMs, endMs) });
  return runs;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 23);

/** The judged outcome of the background requests, with the evidence: counts, failures, a timeline of outcomes and the latencies. */
async function judgeBackgroundRequests(ctx: Ctx) {
  const { bg, requests } = await stopBackgroundRequests(ctx);
  const endMs = bg.stoppedAtMs ?? Date.now();
  const ok = requests.filter(answered).length;
  const runs = failureRuns(requests, endMs);
  const longest = runs.reduce<FailureRun | undefined>((a, b) => (!a || b.toMs - b.fromMs > a.toMs - a.fromMs ? b : a), undefined);
  const percent = requests.length ? (100 * ok) / requests.length : 0;
  const limited = endMs - bg.startedAtMs >= bg.limitMs - 1000 ? `; the loop reached its ${formatDuration(bg.limitMs)} limit` : '';
  // A loop that stalled (a starved probe) measured nothing meanwhile: the widest spacing says so.
  const widest = requests.slice(1).reduce((w, r, i) => Math.max(w, r.atMs - requests[i].atMs), 0);
  const summary =
    `${requests.length} request(s) to ${bg.url} every ${formatDuration(bg.intervalMs)} over ${formatDuration(endMs - bg.startedAtMs)}: ` +
    `${ok} answered 2xx/3xx (${percent.toFixed(1)}%), ${requests.length - ok} failed` +
    (longest
      ? `; longest failure: ${longest.count} request(s) over ${formatDuration(longest.toMs - longest.fromMs)} from ${clock(longest.fromMs)} (${longest.first})`
      : '') +
    (requests.length > 1 ? `; widest spacing between requests ${formatDuration(widest)}` : '') +
    limited;
  const statuses = new Map<string, number>();
  for (const r of requests) statuses.set(outcome(r), (statuses.get(outcome(r)) ?? 0) + 1);
  await ctx.evidence.table(
    `background requests to ${bg.url}: outcomes`,
    [...statuses].map(([what, n]) => ({ outcome: what, requests: n })),
  );
  const failed = requests.filter((r) => !answered(r));
  if (failed.length)
    await ctx.evidence.table(
      `failed background requests (${failed.length}${failed.length > 50 ? ', first 50' : ''})`,
      failed.slice(0, 50).map((r) => ({ time: clock(r.atMs), outcome: outcome(r), seconds: (r.latencyMs / 1000).toFixed(3) })),
    );
  await chartBackgroundRequests(ctx, bg, requests, endMs);
  return { bg, requests, ok, percent, longest, summary };
}

async function chartBackgroundRequests(ctx: Ctx, bg: BackgroundRequests, requests: BackgroundRequest[], endMs: number): Promise<void> {
  const spans: Span[] = [];
  for (let i = 0; i < requests.length;) {
    const good = answered(requests[i]);
    let j = i;
    while (j + 1 < requests.length && answered(requests[j + 1]) === good) j++;
    const to = j + 1 < requests.length ? requests[j + 1].atMs : Math.max(endMs, requests[j].atMs);
    spans.push({ label: good ? 'answered (2xx/3xx)' : 'failed', startMs: requests[i].atMs, endMs: to, phase: good ? 'answered' : 'failed' });
    i = j + 1;
  }
  for (const m of bg.marks) spans.push({ label: `${clock(m.atMs)} ${m.label}`, startMs: m.atMs, endMs: m.atMs, phase: 'action' });
  await ctx.evidence.timeline(spans, `requests to ${bg.url} every ${formatDuration(bg.intervalMs)}: outcome over time`);
  await ctx.evidence.lineChart(
    [{ name: 'latency of answered requests (ms)', points: requests.filter(answered).map((r) => [r.atMs, r.latencyMs] as [number, number]) }],
    { title: `latency of the background requests to ${bg.url}`, yTitle: 'ms' },
  );
}

/** "every background request succeeded" — every request answered 2xx/3xx; none made is a failure. */
export function everyBackgroundRequestSucceeded(ctx: Ctx): StepResult {
  return ctx.check('every background request succeeded', async () => {
    const j = await judgeBackgroundRequests(ctx);
    if (!j.requests.length) throw new Error(`the probe made no request to ${j.bg.url}: nothing shows it was available`);
    if (j.ok < j.requests.length) throw new Error(j.summary);
    return j.summary;
  });
}

/** "the background requests succeeded at least 99.5 percent of the time" */
export function backgroundRequestsSucceededAtLeast(ctx: Ctx, percent: number): StepResult {
  return ctx.check(`the background requests succeeded at least ${percent}% of the time`, async () => {
    if (!(percent >= 0 && percent <= 100)) throw new BadInputError(`${percent} is not a percentage`, 'use a number from 0 to 100');
    const j = await judgeBackgroundRequests(ctx);
    if (!j.requests.length) throw new Error(`the probe made no request to ${j.bg.url}: nothing shows it was available`);
    if (j.percent < percent) throw new Error(`${j.percent.toFixed(1)}% succeeded, below ${percent}%: ${j.summary}`);
    return j.summary;
  });
}

// ─── A4: exec in a pod of a workload ───────────────────────────────────────

// Written by the shell before the command: without it the command never ran (no pod, no shell).
const EXEC_STARTED = 'kubeproof-exec-started';

interface WorkloadExec extends ExecResult {
  namespace: string;
}

/** Runs `sh -c command` in the newest Ready pod; throws when it could not run at all (no pod, API error, no shell). */
async function execInWorkload(ctx: Ctx, kind: WorkloadKind, name: string, command: string, timeoutMs: number): Promise<WorkloadExec> {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const pod = (await k.newestReadyPod(namespace, kind, name, `to run \`${command}\` in`)).metadata!.name!;
  let r: ExecResult;
  try {
    r = await k.exec(namespace, pod, undefined, ['sh', '-c', `printf '%s\\n' ${EXEC_STARTED} >&2; ${command}`], timeoutMs);
  } catch (e) {
    throw new Error(`\`${command}\` could not run in pod ${namespace}/${pod}: ${errorText(e)}`, { cause: e });
  }
  if (!r.stderr.includes(EXEC_STARTED))
    throw new Error(
      `\`${command}\` could not run in pod ${namespace}/${pod} (exec status ${r.exitCode}): ${r.stderr.trim() || 'no shell started; does the container have sh?'}`,
    );
  return { ...r, stderr: r.stderr.replace(`${EXEC_STARTED}\n`, ''), namespace };
}

function execText(command: string, r: WorkloadExec): string {
  return `$ ${command}\n${r.stdout}${r.stderr ? `\n[stderr]\n${r.stderr}` : ''}\n[exit ${r.exitCode} after ${formatDuration(r.elapsedMs)} in pod ${r.namespace}/${r.pod}]`;
}

const firstLine = (s: string) => s.trim().split('\n')[0]?.slice(0, 200) ?? '';

/** "running `curl -fsS http://api/health` in a pod of deployment `web` succeeds within 30s" — exit 0, tried again until then. */
export function execSucceeds(ctx: Ctx, command: string, kind: WorkloadKind, name: string, withinMs: number): StepResult {
  return ctx.check(`\`${command}\` succeeds in a pod of ${kind} ${name}`, async () => {
    let last: WorkloadExec | undefined;
    try {
      const r = await waitUntil({
        what: `\`${command}\` to exit 0 in a pod of ${kind} ${name}`,
        timeoutMs: withinMs,
        intervalMs: 1000,
        signal: ctx.signal,
        check: async () => {
          last = await execInWorkload(ctx, kind, name, command, Math.min(withinMs, ctx.config.timeouts.assert));
          return {
            ok: last.exitCode === 0,
            summary: `exit ${last.exitCode} in pod ${last.pod}${last.exitCode ? `: ${firstLine(last.stderr) || firstLine(last.stdout)}` : ''}`,
          };
        },
      });
      return `${r.summary} after ${formatDuration(r.elapsedMs)}${last?.stdout.trim() ? `; printed: ${firstLine(last.stdout)}` : ''}`;
    } finally {
      if (last) await ctx.evidence.text(`exec in ${last.pod}`, execText(command, last));
    }
  });
}

/** "running `cat /etc/os-release` in a pod of deployment `web` prints `bookworm`" — exit 0 and the text in stdout. */
export function execPrints(ctx: Ctx, command: string, kind: WorkloadKind, name: string, text: string): StepResult {
  return ctx.check(`\`${command}\` in a pod of ${kind} ${name} prints "${text}"`, async () => {
    const r = await execInWorkload(ctx, kind, name, command, ctx.config.timeouts.assert);
    await ctx.evidence.text(`exec in ${r.pod}`, execText(command, r));
    if (r.exitCode !== 0) throw new Error(`\`${command}\` exited ${r.exitCode} in pod ${r.pod}: ${firstLine(r.stderr) || firstLine(r.stdout)}`);
    if (!r.stdout.includes(text)) throw new Error(`\`${command}\` in pod ${r.pod} printed "${r.stdout.trim().slice(0, 300)}", without "${text}"`);
    return `pod ${r.pod} printed "${firstLine(r.stdout.slice(Math.max(0, r.stdout.indexOf(text) - 40)))}" (exit 0)`;
  });
}

/**
 * "running `curl -m 2 http://db:5432` in a pod of deployment `web` fails" — the command ran and
 * exited non-zero (with a bound: until it does). A command that could not run is an error, not this.
 */
export function execFails(ctx: Ctx, command: string, kind: WorkloadKind, name: string, withinMs?: number): StepResult {
  return ctx.check(`\`${command}\` fails in a pod of ${kind} ${name}`, async () => {
    let last: WorkloadExec | undefined;
    const look = async () => {
      last = await execInWorkload(ctx, kind, name, command, Math.min(withinMs ?? Infinity, ctx.config.timeouts.assert));
      const out = firstLine(last.stderr) || firstLine(last.stdout);
      return { ok: last.exitCode !== 0, summary: `exit ${last.exitCode} in pod ${last.pod}${out ? `: ${out}` : ''}` };
    };
    try {
      if (withinMs === undefined) {
        const o = await look();
        if (!o.ok) throw new Error(`\`${command}\` succeeded (${o.summary}); it was expected to fail`);
        return o.summary;
      }
      const r = await waitUntil({
        what: `\`${command}\` to exit non-zero in a pod of ${kind} ${name}`,
        timeoutMs: withinMs,
        intervalMs: 1000,
        signal: ctx.signal,
        check: look,
      });
      return `${r.summary} after ${formatDuration(r.elapsedMs)}`;
    } finally {
      if (last) await ctx.evidence.text(`exec in ${last.pod}`, execText(command, last));
    }
  });
}

// ─── A5: eviction ──────────────────────────────────────────────────────────

/** Whether a label selector selects these labels (policy/v1: an empty selector selects every pod). */
function selects(sel: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function pdbRow(p: V1PodDisruptionBudget) {
  return {
    pdb: p.metadata?.name ?? '',
    budget: p.spec?.minAvailable !== undefined ? `minAvailable ${p.spec.minAvailable}` : `maxUnavailable ${p.spec?.maxUnavailable ?? '-'}`,
    'expected pods': p.status?.expectedPods ?? 0,
    'current healthy': p.status?.currentHealthy ?? 0,
    'desired healthy': p.status?.desiredHealthy ?? 0,
    'disruptions allowed': p.status?.disruptionsAllowed ?? 0,
  };
}

interface EvictionOutcome {
  pod: V1Pod;
  namespace: string;
  pdbs: V1PodDisruptionBudget[];
  allowed: boolean;
  code?: number;
  message: string;
}

/** Asks the Eviction API (policy/v1) to evict the newest Ready pod of the workload, after the PDBs that select it are up to date. */
async function evictOnePod(ctx: Ctx, kind: WorkloadKind, name: string): Promise<EvictionOutcome> {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const pod = await k.newestReadyPod(namespace, kind, name, 'to evict');
  const podName = pod.metadata!.name!;
  const listPdbs = async () =>
    ((await k.objects.list<V1PodDisruptionBudget>('policy/v1', 'PodDisruptionBudget', namespace)).items ?? []).filter((p) =>
      selects(p.spec?.selector, pod.metadata?.labels ?? {}),
    );
  // The budget's verdict, not "still being processed": wait until the disruption controller has read each PDB.
  const r = await waitUntil<V1PodDisruptionBudget[]>({
    what: `the PodDisruptionBudgets selecting pod ${namespace}/${podName} to be processed by the disruption controller`,
    timeoutMs: ctx.config.timeouts.assert,
    intervalMs: 500,
    signal: ctx.signal,
    check: async () => {
      const pdbs = await listPdbs();
      const pending = pdbs.filter((p) => (p.status?.observedGeneration ?? 0) < (p.metadata?.generation ?? 0));
      return {
        ok: pending.length === 0,
        value: pdbs,
        summary: pdbs.length
          ? `${pdbs.length} PodDisruptionBudget(s)${pending.length ? `, not yet processed: ${pending.map((p) => p.metadata?.name).join(', ')}` : ''}`
          : 'none',
      };
    },
  });
  const pdbs = r.value ?? [];
  await ctx.evidence.table(`PodDisruptionBudgets selecting pod ${podName}`, pdbs.map(pdbRow));
  try {
    await k.core.createNamespacedPodEviction({
      name: podName,
      namespace,
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace } },
    });
    mark(ctx, `pod ${podName} evicted`);
    return { pod, namespace, pdbs, allowed: true, code: 201, message: 'HTTP 201: eviction accepted' };
  } catch (e) {
    const code = statusCode(e);
    if (code !== 429) throw e; // not a refusal: no such pod, no permission, several PDBs (500)...
    return { pod, namespace, pdbs, allowed: false, code, message: `${apiErrorText(e)}${causes(e)}` };
  }
}

/** The causes the API server gives with a refusal, e.g. "DisruptionBudget: The disruption budget echo needs 2 healthy pods and has 2 currently". */
function causes(e: unknown): string {
  let body = (e as { body?: unknown }).body;
  try {
    if (typeof body === 'string') body = JSON.parse(body);
  } catch {
    return '';
  }
  const list = (body as { details?: { causes?: { reason?: string; message?: string }[] } })?.details?.causes ?? [];
  return list.length ? ` (${list.map((c) => `${c.reason}: ${c.message}`).join('; ')})` : '';
}

/** "evicting a pod of deployment `echo` is refused" — a 429 from the Eviction API naming the disruption budget. */
export function evictionRefused(ctx: Ctx, kind: WorkloadKind, name: string): StepResult {
  return ctx.check(`evicting a pod of ${kind} ${name} is refused by its PodDisruptionBudget`, async () => {
    const o = await evictOnePod(ctx, kind, name);
    const pod = `${o.namespace}/${o.pod.metadata?.name}`;
    if (o.allowed)
      throw new Error(
        `the eviction of pod ${pod} was allowed (${o.message}); ${o.pdbs.length ? `PodDisruptionBudget ${o.pdbs.map((p) => `${p.metadata?.name} allowed ${p.status?.disruptionsAllowed ?? 0} disruption(s)`).join(', ')}` : 'no PodDisruptionBudget selects its pods'}; the pod is being evicted`,
      );
    if (!/disruption budget/i.test(o.message)) throw new Error(`the eviction of pod ${pod} was refused, but not by a disruption budget: ${o.message}`);
    return `eviction of pod ${pod} refused: ${o.message}`;
  });
}

/** "evicting a pod of deployment `echo` is allowed" — accepted by the Eviction API, and the pod goes away. */
export function evictionAllowed(ctx: Ctx, kind: WorkloadKind, name: string): StepResult {
  return ctx.check(`evicting a pod of ${kind} ${name} is allowed`, async () => {
    const o = await evictOnePod(ctx, kind, name);
    const podName = o.pod.metadata!.name!;
    if (!o.allowed) throw new Error(`the eviction of pod ${o.namespace}/${podName} was refused: ${o.message}`);
    const k = ctx.clients.kube();
    const grace = (o.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    const r = await waitUntil({
      what: `evicted pod ${o.namespace}/${podName} to go away`,
      timeoutMs: grace + ctx.config.timeouts.delete,
      signal: ctx.signal,
      watch: k.watchSource(`/api/v1/namespaces/${o.namespace}/pods`, { fieldSelector: `metadata.name=${podName}` }),
      check: async () => {
        const p = await k.core.readNamespacedPod({ name: podName, namespace: o.namespace }).catch((e: unknown) => {
          if (statusCode(e) === 404) return undefined;
          throw e;
        });
        const same = p && p.metadata?.uid === o.pod.metadata?.uid;
        return {
          ok: !same,
          summary: same ? `${p.status?.phase}${p.metadata?.deletionTimestamp ? ', terminating' : ', not terminating'}` : 'gone',
        };
      },
    });
    await ctx.evidence.text(`eviction of ${podName}`, `${o.message}\n${timelineText(r.timeline)}`);
    return `pod ${o.namespace}/${podName} evicted (${o.message}) and gone after ${formatDuration(r.elapsedMs)}${o.pdbs.length ? `; PodDisruptionBudget ${o.pdbs.map((p) => p.metadata?.name).join(', ')} allowed it` : ''}`;
  });
}

// ─── A6: a temporary network partition ─────────────────────────────────────

async function workloadSelector(ctx: Ctx, namespace: string, kind: WorkloadKind, name: string): Promise<V1LabelSelector> {
  const apps = ctx.clients.kube().apps;
  const w =
    kind === 'statefulset'
      ? await apps.readNamespacedStatefulSet({ name, namespace })
      : kind === 'daemonset'
        ? await apps.readNamespacedDaemonSet({ name, namespace })
        : await apps.readNamespacedDeployment({ name, namespace });
  return w.spec!.selector;
}

/**
 * "traffic from deployment `web` to deployment `db` is cut for 30s" — a NetworkPolicy on the
 * target's pods that admits every pod but the source's (one peer per source label, negated, and
 * every other namespace). NetworkPolicies add up: a policy that already admits the source keeps
 * admitting it. Removed after the duration (a named wait) and by the cleanup stack.
 */
export async function cutTraffic(ctx: Ctx, fromKind: WorkloadKind, from: string, toKind: WorkloadKind, to: string, durationMs: number): Promise<void> {
  const namespace = platformNamespace(ctx);
  if (fromKind === toKind && from === to) throw new BadInputError(`traffic from ${fromKind} ${from} to itself cannot be cut`);
  const k = ctx.clients.kube();
  const source = await workloadSelector(ctx, namespace, fromKind, from);
  const target = await workloadSelector(ctx, namespace, toKind, to);
  const sourceLabels = Object.entries(source.matchLabels ?? {});
  if (!sourceLabels.length)
    throw new BadInputError(`${fromKind} ${namespace}/${from} selects its pods without matchLabels`, 'the cut excludes the source by its matchLabels');
  const name = ctx.unique(`kubeproof-cut-${to}`);
  // Written as the API server reads it (`from`, not client-node's model name `_from`); kube.apply sends it as is.
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kubeproof' },
      annotations: { 'kubeproof.io/cut': `traffic from ${fromKind} ${from} to ${toKind} ${to} for ${formatDuration(durationMs)}` },
    },
    spec: {
      podSelector: target,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            // A pod lacking any one of the source's labels is not the source.
            ...sourceLabels.map(([key, value]) => ({ podSelector: { matchExpressions: [{ key, operator: 'NotIn', values: [value] }] } })),
            { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [namespace] }] } },
          ],
        },
      ],
    },
  };
  const others = ((await k.objects.list<V1NetworkPolicy>('networking.k8s.io/v1', 'NetworkPolicy', namespace)).items ?? []).map((p) => p.metadata?.name);
  const remove = async () => {
    await k.delete(policy);
    await waitUntil({
      what: `NetworkPolicy ${namespace}/${name} (the cut) to be gone`,
      timeoutMs: ctx.config.timeouts.delete,
      signal: ctx.signal,
      watch: k.watchSource(`/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`, { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        const p = await k.read(policy as { apiVersion: string; kind: string; metadata: { name: string; namespace: string } });
        return { ok: !p, summary: p ? `still there${p.metadata?.deletionTimestamp ? ', being deleted' : ''}` : 'gone' };
      },
    });
  };
  const stop = new AbortController();
  await k.apply(policy);
  const startedAtMs = Date.now();
  mark(ctx, `traffic from ${from} to ${to} cut`);
  // The end of the cut: after the duration, or earlier when the scenario ends; never unhandled.
  const restored = (async () => {
    await pause(durationMs, AbortSignal.any([stop.signal, ctx.signal])).catch(() => undefined);
    await remove();
    mark(ctx, `traffic from ${from} to ${to} restored`);
  })().catch((e: unknown) => (e instanceof Error ? e : new Error(errorText(e))));
  ctx.cleanup.push(`remove NetworkPolicy ${name} (traffic from ${from} to ${to} cut)`, async () => {
    stop.abort();
    if (await restored) await remove();
  });
  await ctx.evidence.json(`NetworkPolicy ${name} (applied)`, policy);
  await ctx.evidence.log(
    `traffic from ${fromKind} ${from} (${selectorString(source)}) to ${toKind} ${to} (${selectorString(target)}) cut at ${new Date(startedAtMs).toISOString()} by NetworkPolicy ${namespace}/${name} for ${formatDuration(durationMs)}` +
      (others.length ? `; other NetworkPolicies in ${namespace} (${others.join(', ')}) still admit what they admit` : ''),
  );
}

// ─── A7: teardown ──────────────────────────────────────────────────────────

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** "the namespace `streaming` is deleted" — the teardown under test; Kubernetes' own namespaces are refused. */
export async function deleteNamespace(ctx: Ctx, name: string): Promise<void> {
  if (PROTECTED_NAMESPACES.has(name)) throw new BadInputError(`namespace ${name} belongs to Kubernetes itself; kubeproof does not delete it`);
  const k = ctx.clients.kube();
  const ns = await k.core.readNamespace({ name }).catch((e: unknown) => {
    if (statusCode(e) === 404) throw new Error(`namespace ${name} does not exist on ${k.server}: there is nothing to delete`);
    throw e;
  });
  await k.core.deleteNamespace({ name });
  (ctx.state.deletedNamespaces ??= new Map()).set(name, { atMs: Date.now(), uid: ns.metadata?.uid });
  mark(ctx, `namespace ${name} deleted`);
  await ctx.evidence.log(`namespace ${name} (phase ${ns.status?.phase}, created ${new Date(ns.metadata?.creationTimestamp ?? 0).toISOString()}) deleted`);
}

/**
 * "the namespace `streaming` is gone within 2m" — until the API server answers 404. The namespace
 * must have been seen (present now, deleted by the scenario, or the scenario's own): a misspelt
 * name is absent too. The bound counts from the deletion when the scenario deleted it.
 */
export function namespaceGone(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`namespace ${name} is gone`, async () => {
    const k = ctx.clients.kube();
    const read = () =>
      k.core.readNamespace({ name }).catch((e: unknown) => {
        if (statusCode(e) === 404) return undefined;
        throw e;
      });
    const deleted = ctx.state.deletedNamespaces?.get(name);
    const present = await read();
    if (!present && !deleted && ctx.state.namespace?.name !== name)
      throw new Error(
        `namespace ${name} does not exist and this scenario never saw it: a misspelt name would look the same; name one the scenario used or deleted`,
      );
    const waitedFromMs = Date.now();
    const fromMs = deleted?.atMs ?? waitedFromMs;
    const r = await waitUntil({
      what: `namespace ${name} to be gone`,
      timeoutMs: Math.max(1000, fromMs + withinMs - Date.now()),
      signal: ctx.signal,
      watch: k.watchSource('/api/v1/namespaces', { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        const ns = await read();
        if (!ns) return { ok: true, summary: 'gone (404)' };
        const conditions = (ns.status?.conditions ?? [])
          .filter((c) => c.status === 'True')
          .map((c) => `${c.type}: ${c.message}`)
          .join('; ');
        return {
          ok: false,
          summary: `phase ${ns.status?.phase}, ${ns.metadata?.deletionTimestamp ? 'being deleted' : 'not being deleted'}${conditions ? `; ${conditions}` : ''}`,
        };
      },
    });
    await ctx.evidence.text(`namespace ${name}`, timelineText(r.timeline));
    const tookMs = waitedFromMs + r.okSinceMs - fromMs;
    if (tookMs > withinMs)
      throw new Error(
        `namespace ${name} was gone ${formatDuration(tookMs)} after ${deleted ? 'its deletion' : 'the step began'}, over the ${formatDuration(withinMs)} bound`,
      );
    return `namespace ${name} gone ${formatDuration(tookMs)} after ${deleted ? 'its deletion' : 'the step began'}`;
  });
}

/** The namespaced kinds a teardown leaves behind most often. */
const COMMON_KINDS: [apiVersion: string, kind: string][] = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'ServiceAccount'],
  ['v1', 'PersistentVolumeClaim'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
];

/** Every object of the common kinds carrying the labels; a list the API server refuses fails (absence needs lists that worked). */
async function labelledObjects(
  ctx: Ctx,
  namespace: string,
  selector: string,
): Promise<{ found: KubernetesObject[]; listed: { kind: string; count: number }[] }> {
  const k = ctx.clients.kube();
  const found: KubernetesObject[] = [];
  const listed: { kind: string; count: number }[] = [];
  for (const [apiVersion, kind] of COMMON_KINDS) {
    let items: KubernetesObject[];
    try {
      items = (await k.objects.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, selector)).items ?? [];
    } catch (e) {
      if (statusCode(e) === 400) throw new BadInputError(`"${selector}" is not a label selector the API server accepts: ${apiErrorText(e)}`);
      throw new Error(`listing ${kind} objects labelled ${selector} in ${namespace} failed, so their absence cannot be shown: ${apiErrorText(e)}`, {
        cause: e,
      });
    }
    for (const o of items) found.push({ ...o, apiVersion, kind });
    listed.push({ kind, count: items.length });
  }
  return { found, listed };
}

/** "the objects labelled `app.kubernetes.io/part-of=shop` are deleted" — those no other object owns (their owners' deletion takes the rest). */
export async function deleteLabelled(ctx: Ctx, selector: string): Promise<void> {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const { found } = await labelledObjects(ctx, namespace, selector);
  const owners = found.filter((o) => !o.metadata?.ownerReferences?.length);
  if (!owners.length) throw new Error(`no object in namespace ${namespace} carries the labels ${selector} without an owner: nothing to delete`);
  for (const o of owners) await k.delete(o);
  mark(ctx, `objects labelled ${selector} deleted`);
  await ctx.evidence.table(
    `deleted in ${namespace} (labelled ${selector})`,
    owners.map((o) => ({ kind: o.kind, name: o.metadata?.name })),
  );
}

/**
 * "no object labelled `app.kubernetes.io/part-of=shop` remains in the namespace" (optionally
 * within a bound): none of the common kinds lists one; objects being deleted still remain.
 */
export function noObjectLabelled(ctx: Ctx, selector: string, withinMs?: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`no object labelled ${selector} remains in ${namespace}`, async () => {
    let last: Awaited<ReturnType<typeof labelledObjects>> = { found: [], listed: [] };
    const look = async () => {
      last = await labelledObjects(ctx, namespace, selector);
      return {
        ok: last.found.length === 0,
        summary: last.found.length
          ? `${last.found.length} remain: ${last.found
              .slice(0, 12)
              .map((o) => `${o.kind} ${o.metadata?.name}${o.metadata?.deletionTimestamp ? ' (being deleted)' : ''}`)
              .join(', ')}${last.found.length > 12 ? ', …' : ''}`
          : 'none',
      };
    };
    try {
      if (withinMs === undefined) {
        const o = await look();
        if (!o.ok) throw new Error(`objects labelled ${selector} remain in namespace ${namespace}: ${o.summary}`);
      } else
        await waitUntil({
          what: `no object labelled ${selector} to remain in namespace ${namespace}`,
          timeoutMs: withinMs,
          intervalMs: 2000,
          signal: ctx.signal,
          check: look,
        });
    } finally {
      await ctx.evidence.table(
        `objects labelled ${selector} in ${namespace}, by kind`,
        last.listed.map((l) => ({ kind: l.kind, remaining: l.count })),
      );
    }
    return `${last.listed.length} kinds listed in ${namespace} (${COMMON_KINDS.map(([, kind]) => kind).join(', ')}): none labelled ${selector}`;
  });
}

// ─── A8: admission ─────────────────────────────────────────────────────────

/** The manifest's objects as "the manifest … is applied" would send them: namespaced ones into the scenario's namespace. */
async function manifestObjects(ctx: Ctx, file: string): Promise<KubernetesObject[]> {
  const namespace = await scenarioNamespace(ctx);
  return intoNamespace(loadManifest(file, fixtureVars(ctx, namespace)), namespace);
}

/**
 * "applying the manifest `fixtures/too-big.yaml` is rejected with `exceeded quota`" — each object is
 * created (never updating one that exists); passes when the API server refuses one with the text.
 * Whatever it accepted is deleted again.
 */
export function manifestRejected(ctx: Ctx, file: string, text: string): StepResult {
  return ctx.check(`the API server rejects ${file} with "${text}"`, async () => {
    const k = ctx.clients.kube();
    const objects = await manifestObjects(ctx, file);
    const rows: { object: string; answer: string }[] = [];
    const accepted: KubernetesObject[] = [];
    let refusal: { object: string; message: string } | undefined;
    try {
      for (const obj of objects) {
        try {
          accepted.push(await k.objects.create(obj, undefined, undefined, 'kubeproof'));
          rows.push({ object: describe(obj), answer: 'accepted (created)' });
        } catch (e) {
          const code = statusCode(e);
          if (code === undefined) throw e; // no answer: nothing was refused
          if (code === 409 && /already exists/i.test(apiErrorText(e)))
            throw new BadInputError(
              `${describe(obj)} already exists, so creating it tells nothing about admission`,
              'give the object of the test a name of its own',
            );
          rows.push({ object: describe(obj), answer: apiErrorText(e) });
          refusal ??= { object: describe(obj), message: apiErrorText(e) };
        }
      }
    } finally {
      for (const o of accepted.reverse()) await k.delete(o, 0);
      await ctx.evidence.table(`creating the objects of ${file}`, rows);
    }
    if (!refusal)
      throw new Error(`the API server accepted every object of ${file} (${rows.map((r) => r.object).join(', ')}); nothing refused it (deleted again)`);
    if (!refusal.message.toLowerCase().includes(text.toLowerCase()))
      throw new Error(`${refusal.object} was refused, but not with "${text}": ${refusal.message}`);
    return `${refusal.object} refused: ${refusal.message}`;
  });
}

/** "the manifest `deploy/app.yaml` is accepted by a server-side dry run" — every object through admission, nothing stored. */
export function manifestAcceptedByDryRun(ctx: Ctx, file: string): StepResult {
  return ctx.check(`the API server accepts ${file} in a server-side dry run`, async () => serverSideDryRun(ctx, await manifestObjects(ctx, file), file));
}
