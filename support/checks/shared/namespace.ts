import type { KubernetesObject, V1Namespace } from '@kubernetes/client-node';
import { describe, podReady, statusCode } from '../../clients/kube/client';
import { loadManifest } from '../../clients/kube/manifests';
import { formatDuration, GoneError } from '../../engine/errors';
import { waitUntil } from '../../engine/wait';
import type { Ctx } from './context';

/**
 * The namespace a scenario acts on. After `the platform namespace …` it is the
 * platform's (never created or deleted here); otherwise a fresh one, created
 * on first use, unique per scenario and worker, deleted after the scenario.
 * Diagnostics (pods, events, logs of unready pods) are registered either way.
 */
export async function scenarioNamespace(ctx: Ctx): Promise<string> {
  if (ctx.state.namespace) return ctx.state.namespace.name;
  const k = ctx.clients.kube();
  const name = ctx.unique('kp');
  const ns: V1Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubeproof' } } };
  await k.apply(ns);
  ctx.state.namespace = { name, owned: true };
  ctx.cleanup.push(`delete namespace ${name}`, () => k.delete(ns));
  ctx.diagnostics.push({ name: `namespace ${name}`, collect: () => namespaceDiagnostics(ctx, name) });
  return name;
}

/** The platform's namespace: the one given by `the platform namespace …`, else the configured one. */
export function platformNamespace(ctx: Ctx): string {
  return ctx.state.namespace?.name ?? ctx.config.kube.namespace;
}

/** Placeholders available to fixtures: ${NAMESPACE}, ${PROBE_IMAGE}, ${NODE_IMAGE}, ${IMAGE_PULL_POLICY}. */
export function fixtureVars(ctx: Ctx, namespace: string): Record<string, string> {
  const img = ctx.config.images;
  return { NAMESPACE: namespace, PROBE_IMAGE: img.probe, NODE_IMAGE: img.node, IMAGE_PULL_POLICY: img.pullPolicy };
}

/** Applies a fixture into the scenario namespace (server-side apply); cluster-scoped objects get their own cleanup. */
export async function applyFixture(ctx: Ctx, file: string): Promise<KubernetesObject[]> {
  const namespace = await scenarioNamespace(ctx);
  const k = ctx.clients.kube();
  const objects = loadManifest(file, fixtureVars(ctx, namespace));
  const applied: KubernetesObject[] = [];
  const started = performance.now();
  for (const obj of objects) {
    const namespaced =
      obj.kind !== 'Namespace' &&
      !/^(ClusterRole|ClusterRoleBinding|StorageClass|PersistentVolume|PriorityClass|CustomResourceDefinition)$/.test(obj.kind ?? '');
    if (namespaced) obj.metadata = { ...obj.metadata, namespace };
    applied.push(await k.apply(obj));
    if (!namespaced) ctx.cleanup.push(`delete ${describe(obj)}`, () => k.delete(obj));
  }
  await ctx.evidence.table(
    `applied ${file}`,
    applied.map((o) => ({ kind: o.kind, name: o.metadata?.name, namespace: o.metadata?.namespace ?? '', resourceVersion: o.metadata?.resourceVersion })),
  );
  await ctx.evidence.log(`applied ${applied.length} object(s) from ${file} in ${formatDuration(performance.now() - started)} (server-side apply)`);
  return applied;
}

/** Pods, recent events and logs of unready pods: what a reviewer needs when a scenario fails. */
export async function namespaceDiagnostics(ctx: Ctx, namespace: string): Promise<void> {
  const k = ctx.clients.kube();
  const pods = await k.listPods(namespace);
  await ctx.evidence.table(
    `pods in ${namespace}`,
    pods.map((p) => ({
      pod: p.metadata?.name,
      phase: p.status?.phase,
      ready: podReady(p),
      restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
      ip: p.status?.podIP,
      waiting: (p.status?.containerStatuses ?? [])
        .map((c) => c.state?.waiting?.reason)
        .filter(Boolean)
        .join(','),
    })),
  );
  const events = await k.events(namespace);
  await ctx.evidence.table(
    `events in ${namespace}`,
    events.slice(-40).map((e) => ({
      time: new Date(e.lastTimestamp ?? e.eventTime ?? 0).toISOString(),
      type: e.type,
      reason: e.reason,
      object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
      message: e.message,
    })),
  );
  for (const p of pods.filter((x) => !podReady(x)).slice(0, 5)) {
    await ctx.evidence.text(
      `logs of ${p.metadata?.name}`,
      await k.logs(namespace, p.metadata!.name!, undefined, 80).catch((e: Error) => `(no logs: ${e.message})`),
    );
  }
}

/** Waits for a pod to be Ready, noticed through a watch on it. */
export async function waitPodReady(ctx: Ctx, namespace: string, name: string, timeoutMs: number): Promise<void> {
  const k = ctx.clients.kube();
  await waitUntil({
    what: `pod ${namespace}/${name} to be Ready`,
    timeoutMs,
    signal: ctx.signal,
    watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`, { fieldSelector: `metadata.name=${name}` }),
    check: async () => {
      const p = await k.core.readNamespacedPod({ name, namespace }).catch((e: unknown) => {
        if (statusCode(e) === 404)
          throw new GoneError(
            `pod ${namespace}/${name} was deleted while kubeproof waited for it to be Ready`,
            'another controller may have adopted and removed it: do its labels match a workload’s selector (a DaemonSet, a ReplicaSet)?',
          );
        throw e;
      });
      const waiting = (p.status?.containerStatuses ?? [])
        .map((c) => c.state?.waiting?.reason)
        .filter(Boolean)
        .join(',');
      return { ok: podReady(p), summary: `phase ${p.status?.phase}${waiting ? ` (${waiting})` : ''}, ready=${podReady(p)}` };
    },
  });
}
