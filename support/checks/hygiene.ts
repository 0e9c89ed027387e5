import type { V1Container, V1ContainerStatus, V1Pod, V1PodTemplateSpec, V1Probe } from '@kubernetes/client-node';
import { type ExecResult, selectorString, statusCode, type WorkloadKind } from '../clients/kube/client';
import { BadInputError, errorText, NotVerifiedError } from '../engine/errors';
import type { Row } from '../engine/evidence/table';
import { formatBytes, formatCpu, type Quantity, quantityValue, sameQuantity } from '../engine/quantity';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/**
 * Spec hygiene of a workload's pods, or of every pod in the namespace: requests and limits, non-root users
 * (declared and observed), probes, environment, restarts and OOM kills. The running pods are read, since
 * they carry what admission added (LimitRange defaults); a workload without pods is judged by its template.
 */

export type { Quantity, WorkloadKind };

/** Whose containers: one workload's, or every pod's in the namespace. */
export type PodTarget = { kind: WorkloadKind; name: string } | 'namespace';

interface PodSet {
  /** "deployment app" or "namespace kp-1". */
  what: string;
  namespace: string;
  pods: V1Pod[];
  /** True when the workload has no pods and its pod template stands in for them. */
  fromTemplate: boolean;
}

type Role = 'app' | 'init' | 'sidecar';
interface ContainerRef {
  pod: V1Pod;
  c: V1Container;
  role: Role;
}

const TEMPLATE = '(pod template)';

/** "every container in namespace kp-1 runs …" / "the containers of deployment app run …": the verb agrees with the subject. */
function targetText(target: PodTarget, namespace: string, plural: string, singular: string): string {
  return target === 'namespace' ? `every container in namespace ${namespace} ${singular}` : `the containers of ${target.kind} ${target.name} ${plural}`;
}

/** kubeproof's own probe pods sit among the platform's; they are not the platform's containers. */
function isKubeproofProbe(p: V1Pod): boolean {
  return p.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'kubeproof' && (p.metadata?.name ?? '').startsWith('kubeproof-probe');
}

async function podSet(ctx: Ctx, target: PodTarget): Promise<PodSet> {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  if (target === 'namespace') {
    const pods = (await k.listPods(namespace)).filter((p) => !p.metadata?.deletionTimestamp && !isKubeproofProbe(p));
    if (!pods.length) throw new Error(`namespace ${namespace} has no pods (kubeproof's probe pods aside)`);
    return { what: `namespace ${namespace}`, namespace, pods, fromTemplate: false };
  }
  const { kind, name } = target;
  const what = `${kind} ${name}`;
  const read =
    kind === 'statefulset'
      ? k.apps.readNamespacedStatefulSet({ name, namespace })
      : kind === 'daemonset'
        ? k.apps.readNamespacedDaemonSet({ name, namespace })
        : k.apps.readNamespacedDeployment({ name, namespace });
  const w = await read.catch((e: unknown) => {
    if (statusCode(e) === 404) throw new Error(`${kind} ${namespace}/${name} does not exist`);
    throw e;
  });
  // A labelled probe carries the workload's labels, so its selector finds it too.
  const pods = (await k.listPods(namespace, selectorString(w.spec?.selector))).filter((p) => !p.metadata?.deletionTimestamp && !isKubeproofProbe(p));
  if (pods.length) return { what, namespace, pods, fromTemplate: false };
  return { what, namespace, pods: [fromTemplate(w.spec?.template)], fromTemplate: true };
}

function fromTemplate(t: V1PodTemplateSpec | undefined): V1Pod {
  return { metadata: { ...t?.metadata, name: TEMPLATE }, spec: t?.spec ?? { containers: [] } };
}

function containersOf(p: V1Pod, withInit: boolean): ContainerRef[] {
  const init: ContainerRef[] = (p.spec?.initContainers ?? []).map((c) => ({ pod: p, c, role: c.restartPolicy === 'Always' ? 'sidecar' : 'init' }));
  const app: ContainerRef[] = (p.spec?.containers ?? []).map((c) => ({ pod: p, c, role: 'app' }));
  return withInit ? [...init, ...app] : app;
}

/** "deployment app" for a pod of that Deployment: the owner a reader knows, for namespace-wide tables. */
function ownerOf(p: V1Pod): string {
  const o = p.metadata?.ownerReferences?.find((r) => r.controller) ?? p.metadata?.ownerReferences?.[0];
  if (!o) return 'pod';
  const hash = p.metadata?.labels?.['pod-template-hash'];
  if (o.kind === 'ReplicaSet' && hash && o.name.endsWith(`-${hash}`)) return `deployment ${o.name.slice(0, -hash.length - 1)}`;
  return `${o.kind.toLowerCase()} ${o.name}`;
}

/** Rows that differ only in their pod become one row naming the pods: nine replicas are one line. */
function byPods(rows: (Row & { pod: string })[]): Row[] {
  const groups = new Map<string, { row: Row; pods: string[] }>();
  for (const { pod, ...rest } of rows) {
    const key = JSON.stringify(rest);
    const g = groups.get(key) ?? { row: rest, pods: [] };
    g.pods.push(pod);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ row, pods }) => ({ pods: pods.length <= 2 ? pods.join(', ') : `${pods.length} pods (${pods[0]}, …)`, ...row }));
}

/** The start of each row: the pod and, namespace-wide, whose pod it is. */
function podCols(set: PodSet, ref: ContainerRef): Row & { pod: string } {
  const pod = ref.pod.metadata?.name ?? '?';
  return set.what.startsWith('namespace ') ? { pod, owner: ownerOf(ref.pod) } : { pod };
}

function containerName(ref: ContainerRef): string {
  return `${ref.c.name}${ref.role === 'app' ? '' : ` (${ref.role})`}`;
}

interface Problem {
  /** "container app of deployment app: no cpu limit" — the same for every pod it applies to. */
  text: string;
  pod: string;
}

function problem(set: PodSet, ref: ContainerRef, text: string): Problem {
  const owner = set.what.startsWith('namespace ') ? ` of ${ownerOf(ref.pod)}` : '';
  return { text: `container ${containerName(ref)}${owner}: ${text}`, pod: ref.pod.metadata?.name ?? '?' };
}

/** "container app of pod app-7d9", namespace-wide with its owner: for what differs from pod to pod (restart counts). */
function where(set: PodSet, ref: ContainerRef): string {
  const owner = set.what.startsWith('namespace ') ? ` (${ownerOf(ref.pod)})` : '';
  return `container ${containerName(ref)} of pod ${ref.pod.metadata?.name ?? '?'}${owner}`;
}

/** Problems of many containers in one message: the same problem in several pods is said once, naming the pods. */
function problemsText(problems: Problem[]): string {
  const pods = new Map<string, string[]>();
  for (const p of problems) pods.set(p.text, [...(pods.get(p.text) ?? []), p.pod]);
  return [...pods.entries()]
    .map(
      ([text, names]) =>
        `${text} (${names.length === 1 ? (names[0] === TEMPLATE ? 'pod template, no pods' : `pod ${names[0]}`) : names.length === 2 ? `pods ${names.join(', ')}` : `${names.length} pods: ${names[0]}, …`})`,
    )
    .join('; ');
}

function setNote(set: PodSet): string {
  return set.fromTemplate ? ` (${set.what} has no pods: its pod template was read)` : '';
}

const RESOURCES = [
  ['requests', 'cpu'],
  ['limits', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'memory'],
] as const;

/** W1 "every container of deployment `app` sets CPU and memory requests and limits" — init containers too. */
export function containersSetResources(ctx: Ctx, target: PodTarget): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${targetText(target, namespace, 'set', 'sets')} CPU and memory requests and limits`, async () => {
    const set = await podSet(ctx, target);
    const refs = set.pods.flatMap((p) => containersOf(p, true));
    const problems: Problem[] = [];
    const rows = refs.map((ref) => {
      const r = ref.c.resources ?? {};
      const missing = RESOURCES.filter(([which, res]) => r[which]?.[res] === undefined).map(([which, res]) => `${res} ${which.replace(/s$/, '')}`);
      if (missing.length) problems.push(problem(set, ref, `no ${missing.join(', ')}`));
      return {
        ...podCols(set, ref),
        container: containerName(ref),
        'cpu request': r.requests?.cpu ?? '-',
        'cpu limit': r.limits?.cpu ?? '-',
        'memory request': r.requests?.memory ?? '-',
        'memory limit': r.limits?.memory ?? '-',
        missing: missing.join(', ') || 'none',
      };
    });
    await ctx.evidence.table(`requests and limits of ${set.what}${setNote(set)}`, byPods(rows));
    if (problems.length) throw new Error(`${set.what}: ${problemsText(problems)}`);
    return `${refs.length} container(s) in ${set.fromTemplate ? 'the pod template' : `${set.pods.length} pod(s)`} of ${set.what} set CPU and memory requests and limits${setNote(set)}`;
  });
}

export interface ResourceExpectation {
  cpuRequest: Quantity;
  memoryRequest: Quantity;
  cpuLimit: Quantity;
  memoryLimit: Quantity;
}

/** W2 "the containers of deployment `app` request 50m CPU and 32Mi memory and are limited to 200m CPU and 96Mi memory": compared as numbers (500m is 0.5). */
export function containersRequestAndLimit(ctx: Ctx, kind: WorkloadKind, name: string, want: ResourceExpectation): StepResult {
  const stated = `request ${want.cpuRequest.text} CPU and ${want.memoryRequest.text} memory, limited to ${want.cpuLimit.text} CPU and ${want.memoryLimit.text} memory`;
  return ctx.check(`the containers of ${kind} ${name} ${stated}`, async () => {
    const set = await podSet(ctx, { kind, name });
    const refs = set.pods.flatMap((p) => containersOf(p, false));
    const expected = [
      ['requests', 'cpu', want.cpuRequest, formatCpu],
      ['requests', 'memory', want.memoryRequest, formatBytes],
      ['limits', 'cpu', want.cpuLimit, formatCpu],
      ['limits', 'memory', want.memoryLimit, formatBytes],
    ] as const;
    const problems: Problem[] = [];
    const rows = refs.map((ref) => {
      const row: Row & { pod: string } = { ...podCols(set, ref), container: containerName(ref) };
      const wrong: string[] = [];
      for (const [which, res, q, format] of expected) {
        const actual = ref.c.resources?.[which]?.[res];
        const value = quantityValue(actual);
        const label = `${res} ${which.replace(/s$/, '')}`;
        row[label] = `${actual ?? '-'}${value !== undefined && sameQuantity(value, q.value) ? '' : ` (stated ${q.text})`}`;
        if (value === undefined) wrong.push(`${label} not set (stated ${q.text})`);
        else if (!sameQuantity(value, q.value)) wrong.push(`${label} is ${actual}${format(value) === actual ? '' : ` (${format(value)})`}, stated ${q.text}`);
      }
      row.matches = wrong.length ? 'no' : 'yes';
      if (wrong.length) problems.push(problem(set, ref, wrong.join(', ')));
      return row;
    });
    await ctx.evidence.table(`requests and limits of ${set.what}, stated: ${stated}${setNote(set)}`, byPods(rows));
    if (!refs.length) throw new Error(`${set.what} has no containers`);
    if (problems.length) throw new Error(`${set.what}: ${problemsText(problems)}`);
    return `${refs.length} container(s) of ${set.what} ${stated}${setNote(set)}`;
  });
}

/** Who a container is declared to run as: its own securityContext over the pod's. */
function declaredUser(pod: V1Pod, c: V1Container): { nonRoot: boolean; text: string } {
  const uid = c.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  const nonRoot = c.securityContext?.runAsNonRoot ?? pod.spec?.securityContext?.runAsNonRoot;
  if (uid !== undefined && uid !== null) return { nonRoot: uid !== 0, text: `runAsUser ${uid}${nonRoot ? ', runAsNonRoot' : ''}` };
  if (nonRoot) return { nonRoot: true, text: 'runAsNonRoot (the kubelet refuses a root image user)' };
  return { nonRoot: false, text: nonRoot === false ? 'runAsNonRoot: false, no runAsUser' : 'neither runAsNonRoot nor runAsUser' };
}

function runningContainers(p: V1Pod): Set<string> {
  const statuses: V1ContainerStatus[] = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  return new Set(statuses.filter((s) => s.state?.running).map((s) => s.name));
}

/**
 * W3 "the containers of deployment `app` run as a non-root user": declared (runAsNonRoot, or a runAsUser
 * other than 0, in the container's or the pod's securityContext) and observed (`id -u` in every running container).
 */
export function containersRunAsNonRoot(ctx: Ctx, target: PodTarget): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${targetText(target, namespace, 'run', 'runs')} as a non-root user`, async () => {
    const set = await podSet(ctx, target);
    if (set.fromTemplate) throw new Error(`${set.what} has no pods: a non-root user can only be observed in a running container`);
    const k = ctx.clients.kube();
    const refs = set.pods.flatMap((p) => containersOf(p, true));
    const observed = await Promise.all(
      refs.map(async (ref): Promise<ExecResult | string> => {
        if (!runningContainers(ref.pod).has(ref.c.name)) return 'not running';
        return k
          .exec(set.namespace, ref.pod.metadata!.name!, ref.c.name, ['id', '-u'], ctx.config.timeouts.assert)
          .catch((e: unknown) => `exec failed: ${errorText(e).split('\n')[0]}`);
      }),
    );
    const problems: Problem[] = [];
    const unobserved: Problem[] = [];
    let seen = 0;
    const rows = refs.map((ref, i) => {
      const declared = declaredUser(ref.pod, ref.c);
      const o = observed[i];
      const uid = typeof o === 'string' || o.exitCode !== 0 || !/^\d+$/.test(o.stdout.trim()) ? undefined : Number(o.stdout.trim());
      const seenText =
        typeof o === 'string' ? o : uid !== undefined ? `uid ${uid}` : `\`id -u\` exited ${o.exitCode}: ${(o.stderr || o.stdout).trim().slice(0, 120)}`;
      const wrong = [declared.nonRoot ? '' : `declares ${declared.text}`, uid === 0 ? '`id -u` prints 0 (root)' : ''].filter(Boolean);
      if (wrong.length) problems.push(problem(set, ref, wrong.join(' and ')));
      if (uid !== undefined) seen++;
      else if (o !== 'not running') unobserved.push(problem(set, ref, seenText));
      return {
        ...podCols(set, ref),
        container: containerName(ref),
        declared: `${declared.nonRoot ? 'non-root' : 'ROOT'}: ${declared.text}`,
        observed: seenText,
      };
    });
    await ctx.evidence.table(`users of ${set.what}: declared (securityContext) and observed (\`id -u\`)`, rows);
    if (problems.length) throw new Error(`${set.what} runs as root: ${problemsText(problems)}`);
    if (unobserved.length)
      throw new NotVerifiedError(
        `the user of ${unobserved.length} running container(s) of ${set.what} could not be observed: ${problemsText(unobserved)}`,
        'the image needs an `id` command for kubeproof to see the running user',
      );
    if (!seen) throw new Error(`no container of ${set.what} is running, so none could be observed with \`id -u\``);
    return `${refs.length} container(s) of ${set.what} declare a non-root user; \`id -u\` in ${seen} running container(s) printed ${[
      ...new Set(observed.filter((o): o is ExecResult => typeof o !== 'string').map((o) => o.stdout.trim())),
    ].join(', ')}`;
  });
}

function probeText(p: V1Probe | undefined): string {
  if (!p) return '-';
  const how = p.httpGet
    ? `HTTP GET :${p.httpGet.port}${p.httpGet.path ?? '/'}`
    : p.tcpSocket
      ? `TCP :${p.tcpSocket.port}`
      : p.grpc
        ? `gRPC :${p.grpc.port}`
        : p.exec
          ? `exec ${(p.exec.command ?? []).join(' ')}`
          : '(no handler)';
  return `${how} every ${p.periodSeconds ?? 10}s`;
}

/** W4 "the containers of deployment `app` have readiness and liveness probes" (app containers; init containers cannot have them). */
export function containersHaveProbes(ctx: Ctx, target: PodTarget): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${targetText(target, namespace, 'have', 'has')} readiness and liveness probes`, async () => {
    const set = await podSet(ctx, target);
    const refs = set.pods.flatMap((p) => containersOf(p, false));
    const problems: Problem[] = [];
    const rows = refs.map((ref) => {
      const missing = [ref.c.readinessProbe ? '' : 'readiness', ref.c.livenessProbe ? '' : 'liveness'].filter(Boolean);
      if (missing.length) problems.push(problem(set, ref, `no ${missing.join(' and ')} probe`));
      return {
        ...podCols(set, ref),
        container: containerName(ref),
        readiness: probeText(ref.c.readinessProbe),
        liveness: probeText(ref.c.livenessProbe),
        startup: probeText(ref.c.startupProbe),
      };
    });
    await ctx.evidence.table(`probes of ${set.what}${setNote(set)}`, byPods(rows));
    if (problems.length) throw new Error(`${set.what}: ${problemsText(problems)}`);
    return `${refs.length} container(s) of ${set.what} have readiness and liveness probes${setNote(set)}`;
  });
}

type SourceKind = 'ConfigMap' | 'Secret';

function sourceKind(word: string): SourceKind {
  const w = word.toLowerCase();
  if (w === 'configmap') return 'ConfigMap';
  if (w === 'secret') return 'Secret';
  throw new BadInputError(`"${word}" is not a source of environment variables`, 'write ConfigMap or Secret');
}

/** ConfigMaps and Secrets read once per check; Secret values are registered with the redactor as they are read. */
function sourceReader(ctx: Ctx, namespace: string) {
  const k = ctx.clients.kube();
  const cache = new Map<string, Promise<Record<string, string> | undefined>>();
  return (kind: SourceKind, name: string): Promise<Record<string, string> | undefined> => {
    const key = `${kind}/${name}`;
    let p = cache.get(key);
    if (!p) {
      const notFound = (e: unknown) => {
        if (statusCode(e) === 404) return undefined;
        throw e;
      };
      p =
        kind === 'ConfigMap'
          ? k.core
              .readNamespacedConfigMap({ name, namespace })
              .then((cm) => cm.data ?? {})
              .catch(notFound)
          : k.core
              .readNamespacedSecret({ name, namespace })
              .then((s) => {
                const data: Record<string, string> = {};
                for (const [key, v] of Object.entries(s.data ?? {})) {
                  data[key] = Buffer.from(v, 'base64').toString('utf8');
                  ctx.evidence.redactor.add(v);
                  ctx.evidence.redactor.add(data[key]);
                }
                return data;
              })
              .catch(notFound);
      cache.set(key, p);
    }
    return p;
  };
}

/** What of a container's environment comes from the source: `envFrom` (with its prefix) and `env` entries that take a key of it. */
function usesOf(c: V1Container, kind: SourceKind, name: string): string[] {
  const uses: string[] = [];
  for (const f of c.envFrom ?? []) {
    const ref = kind === 'ConfigMap' ? f.configMapRef : f.secretRef;
    if (ref?.name === name) uses.push(`envFrom${f.prefix ? ` (prefix ${f.prefix})` : ''}${ref.optional ? ' (optional)' : ''}`);
  }
  for (const e of c.env ?? []) {
    const ref = kind === 'ConfigMap' ? e.valueFrom?.configMapKeyRef : e.valueFrom?.secretKeyRef;
    if (ref?.name === name) uses.push(`${e.name} ← key ${ref.key}`);
  }
  return uses;
}

/** W5 "the containers of deployment `app` take their environment from the ConfigMap `app-config`" (envFrom, or env entries valueFrom it). */
export function containersTakeEnvFrom(ctx: Ctx, kind: WorkloadKind, name: string, word: string, source: string): StepResult {
  // The title does not end with the source's name: "Secret app-secret: …" reads as an assignment to the redactor.
  return ctx.check(`the ${word} ${source} provides the environment of the containers of ${kind} ${name}`, async () => {
    const src = sourceKind(word);
    const set = await podSet(ctx, { kind, name });
    const data = await sourceReader(ctx, set.namespace)(src, source);
    const refs = set.pods.flatMap((p) => containersOf(p, true));
    const problems: Problem[] = [];
    const rows = refs.map((ref) => {
      const uses = usesOf(ref.c, src, source);
      if (!uses.length && ref.role === 'app') problems.push(problem(set, ref, `takes nothing from ${src} ${source}`));
      return { ...podCols(set, ref), container: containerName(ref), [`from ${src} ${source}`]: uses.join('; ') || '(nothing)' };
    });
    await ctx.evidence.table(`environment of ${set.what} from ${src} ${source}${setNote(set)}`, byPods(rows));
    if (data === undefined) throw new Error(`${src} ${set.namespace}/${source} does not exist, so ${set.what} takes nothing from it`);
    await ctx.evidence.text(`keys of ${src} ${source}${src === 'Secret' ? ' (values withheld)' : ''}`, Object.keys(data).join('\n') || '(no keys)');
    if (problems.length) throw new Error(`${set.what}: ${problemsText(problems)}`);
    const uses = [...new Set(refs.flatMap((r) => usesOf(r.c, src, source)))];
    return `${set.what} takes ${uses.join('; ')} from ${src} ${source} (keys: ${Object.keys(data).join(', ') || 'none'})${setNote(set)}`;
  });
}

interface ResolvedVar {
  source: string;
  value?: string;
  secret: boolean;
  /** Why no value could be had. */
  problem?: string;
}

/** The simple field paths of the downward API (`metadata.name`, `metadata.labels['app']`, `status.podIP`). */
function fieldValue(pod: V1Pod, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod.metadata?.[m[1] as 'labels' | 'annotations']?.[m[2]];
  let v: unknown = pod;
  for (const part of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
  return v === undefined ? undefined : String(v);
}

/** A variable's value as the kubelet would set it: `env` entries over `envFrom`, the later over the earlier. */
async function resolveVar(pod: V1Pod, c: V1Container, variable: string, read: ReturnType<typeof sourceReader>): Promise<ResolvedVar> {
  const entry = [...(c.env ?? [])].reverse().find((e) => e.name === variable);
  if (entry) {
    const vf = entry.valueFrom;
    if (!vf) return { source: 'env value', value: entry.value ?? '', secret: false };
    const keyRef = vf.configMapKeyRef ?? vf.secretKeyRef;
    if (keyRef) {
      const kind: SourceKind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const data = await read(kind, keyRef.name ?? '');
      const source = `${kind} ${keyRef.name} key ${keyRef.key}`;
      const problem =
        data === undefined
          ? `${kind} ${keyRef.name} does not exist`
          : data[keyRef.key] === undefined
            ? `${kind} ${keyRef.name} has no key ${keyRef.key}`
            : undefined;
      return { source, value: data?.[keyRef.key], secret: kind === 'Secret', problem };
    }
    if (vf.fieldRef) {
      const value = pod.metadata?.name === TEMPLATE ? undefined : fieldValue(pod, vf.fieldRef.fieldPath);
      return {
        source: `field ${vf.fieldRef.fieldPath}`,
        value,
        secret: false,
        problem: value === undefined ? `field ${vf.fieldRef.fieldPath} has no value` : undefined,
      };
    }
    return {
      source: 'resourceFieldRef',
      secret: false,
      problem: `it is set from resourceFieldRef ${vf.resourceFieldRef?.resource}, which kubeproof does not resolve`,
    };
  }
  for (const f of [...(c.envFrom ?? [])].reverse()) {
    const prefix = f.prefix ?? '';
    const ref = f.configMapRef ?? f.secretRef;
    if (!ref || !variable.startsWith(prefix)) continue;
    const kind: SourceKind = f.configMapRef ? 'ConfigMap' : 'Secret';
    const key = variable.slice(prefix.length);
    const data = await read(kind, ref.name ?? '');
    if (data?.[key] !== undefined) return { source: `envFrom ${kind} ${ref.name} key ${key}`, value: data[key], secret: kind === 'Secret' };
  }
  const from = (c.envFrom ?? []).map((f) => (f.configMapRef ? `ConfigMap ${f.configMapRef.name}` : `Secret ${f.secretRef?.name}`));
  return {
    source: '(not set)',
    secret: false,
    problem: `has no ${variable} (env: ${(c.env ?? []).map((e) => e.name).join(', ') || 'none'}; envFrom: ${from.join(', ') || 'none'})`,
  };
}

/**
 * W5 "the containers of deployment `app` have the environment variable `MODE` set to `endpoints`": the declared
 * value, a ConfigMap's resolved; a Secret's value is compared and never shown (equal / different).
 */
export function containersHaveEnv(ctx: Ctx, kind: WorkloadKind, name: string, variable: string, expected: string): StepResult {
  return ctx.check(`the containers of ${kind} ${name} have ${variable} set to the stated value`, async () => {
    const set = await podSet(ctx, { kind, name });
    const read = sourceReader(ctx, set.namespace);
    const refs = set.pods.flatMap((p) => containersOf(p, false));
    const resolved = await Promise.all(refs.map((ref) => resolveVar(ref.pod, ref.c, variable, read)));
    const problems: Problem[] = [];
    const rows = refs.map((ref, i) => {
      const r = resolved[i];
      const equal = r.value !== undefined && r.value === expected;
      const shown = r.value === undefined ? '-' : r.secret ? '(withheld: Secret)' : JSON.stringify(r.value);
      if (r.problem) problems.push(problem(set, ref, r.problem));
      else if (!equal)
        problems.push(
          problem(
            set,
            ref,
            r.secret
              ? `${variable} from ${r.source} is different from the stated value (value withheld)`
              : `${variable} is ${shown} (from ${r.source}), stated ${JSON.stringify(expected)}`,
          ),
        );
      return {
        ...podCols(set, ref),
        container: containerName(ref),
        source: r.source,
        value: shown,
        'equals the stated value': r.problem ? 'no value' : equal ? 'equal' : 'different',
      };
    });
    await ctx.evidence.table(`${variable} in ${set.what}${setNote(set)}`, byPods(rows));
    if (!refs.length) throw new Error(`${set.what} has no containers`);
    if (problems.length) throw new Error(`${set.what}: ${problemsText(problems)}`);
    const sources = [...new Set(resolved.map((r) => r.source))].join(', ');
    return `${variable} ${resolved[0].secret ? 'equals the stated value (withheld)' : `is ${JSON.stringify(expected)}`} in ${refs.length} container(s) of ${set.what}, from ${sources}${setNote(set)}`;
  });
}

function statusesOf(p: V1Pod): { s: V1ContainerStatus; role: Role }[] {
  const initRoles = new Map((p.spec?.initContainers ?? []).map((c) => [c.name, c.restartPolicy === 'Always' ? 'sidecar' : 'init'] as const));
  return [
    ...(p.status?.initContainerStatuses ?? []).map((s) => ({ s, role: (initRoles.get(s.name) ?? 'init') as Role })),
    ...(p.status?.containerStatuses ?? []).map((s) => ({ s, role: 'app' as Role })),
  ];
}

function terminationText(s: V1ContainerStatus): string {
  const t = s.lastState?.terminated;
  if (!t) return '-';
  return `${t.reason ?? 'terminated'} (exit ${t.exitCode}${t.finishedAt ? ` at ${new Date(t.finishedAt).toISOString()}` : ''})`;
}

function stateText(s: V1ContainerStatus): string {
  if (s.state?.running) return 'running';
  if (s.state?.waiting) return `waiting: ${s.state.waiting.reason ?? ''}`;
  if (s.state?.terminated) return `terminated: ${s.state.terminated.reason ?? ''} (exit ${s.state.terminated.exitCode})`;
  return '-';
}

/** The container statuses of a pod set, as rows; a set without any status has nothing to judge. */
async function statusRows(ctx: Ctx, target: PodTarget): Promise<{ set: PodSet; statuses: { pod: V1Pod; s: V1ContainerStatus; role: Role }[] }> {
  const set = await podSet(ctx, target);
  if (set.fromTemplate) throw new Error(`${set.what} has no pods, so no container has a status to read`);
  const statuses = set.pods.flatMap((pod) => statusesOf(pod).map((x) => ({ pod, ...x })));
  if (!statuses.length)
    throw new Error(`no container of ${set.what} has a status yet (pods: ${set.pods.map((p) => `${p.metadata?.name} ${p.status?.phase}`).join(', ')})`);
  return { set, statuses };
}

function statusTable(set: PodSet, statuses: { pod: V1Pod; s: V1ContainerStatus; role: Role }[]): Row[] {
  return statuses.map(({ pod, s, role }) => ({
    ...podCols(set, { pod, c: { name: s.name }, role }),
    container: containerName({ pod, c: { name: s.name }, role }),
    state: stateText(s),
    restarts: s.restartCount,
    'last termination': terminationText(s),
  }));
}

/** W6 "no container of deployment `app` has restarted more than 2 times" (init containers too). */
export function noRestartsOver(ctx: Ctx, target: PodTarget, max: number): StepResult {
  const namespace = platformNamespace(ctx);
  const subject = target === 'namespace' ? `no container in namespace ${namespace}` : `no container of ${target.kind} ${target.name}`;
  return ctx.check(`${subject} has restarted more than ${max} time(s)`, async () => {
    const { set, statuses } = await statusRows(ctx, target);
    await ctx.evidence.table(`restarts in ${set.what}`, statusTable(set, statuses));
    const over = statuses.filter(({ s }) => s.restartCount > max);
    if (over.length)
      throw new Error(
        `${set.what}: ${over
          .map(
            ({ pod, s, role }) =>
              `${where(set, { pod, c: { name: s.name }, role })} restarted ${s.restartCount} time${s.restartCount === 1 ? '' : 's'} (last: ${terminationText(s)})`,
          )
          .join('; ')} — more than ${max}`,
      );
    const most = Math.max(...statuses.map(({ s }) => s.restartCount));
    return `${statuses.length} container(s) in ${set.pods.length} pod(s) of ${set.what}: at most ${most} restart(s), bound ${max}`;
  });
}

/** W6 "no container of deployment `app` has been OOMKilled": the current or the last termination (the kubelet keeps only the last one). */
export function noOomKills(ctx: Ctx, target: PodTarget): StepResult {
  const namespace = platformNamespace(ctx);
  const subject = target === 'namespace' ? `no container in namespace ${namespace}` : `no container of ${target.kind} ${target.name}`;
  return ctx.check(`${subject} has been OOMKilled`, async () => {
    const { set, statuses } = await statusRows(ctx, target);
    await ctx.evidence.table(`terminations in ${set.what}`, statusTable(set, statuses));
    const killed = statuses.filter(({ s }) => s.lastState?.terminated?.reason === 'OOMKilled' || s.state?.terminated?.reason === 'OOMKilled');
    if (killed.length)
      throw new Error(
        `${set.what}: ${killed
          .map(({ pod, s, role }) => {
            const t = s.state?.terminated?.reason === 'OOMKilled' ? s.state.terminated : s.lastState!.terminated!;
            const limit = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === s.name)?.resources?.limits?.memory;
            return `${where(set, { pod, c: { name: s.name }, role })} was OOMKilled (exit ${t.exitCode}${t.finishedAt ? ` at ${new Date(t.finishedAt).toISOString()}` : ''}; memory limit ${limit ?? 'none'}; ${s.restartCount} restart(s))`;
          })
          .join('; ')}`,
      );
    const restarted = statuses.filter(({ s }) => s.lastState?.terminated).length;
    return `none of ${statuses.length} container(s) in ${set.pods.length} pod(s) of ${set.what} was OOMKilled (${restarted} with an earlier termination, none for memory; the kubelet keeps each container's last termination)`;
  });
}
