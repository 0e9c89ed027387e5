import * as k8s from '@kubernetes/client-node';

/**
 * The independent watcher of bench:peer: started before each run, it watches
 * the API server (cluster-wide, by label) for the objects the checks are about
 * and time-stamps every event the moment it arrives. The conditions are judged
 * afterwards from these records, so neither tool's code is involved.
 *
 * Each watch starts at the resourceVersion of a fresh list, so every event it
 * delivers happened after the watcher was ready (no synthetic ADDED for what
 * existed before), and `start()` returns only once every watch is established.
 */

/** Wall-clock milliseconds since the epoch with sub-millisecond resolution (the clock cucumber and Chainsaw stamp with). */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface WatchedEvent {
  atMs: number;
  resource: 'deployments' | 'pods' | 'configmaps' | 'namespaces';
  type: string;
  namespace: string;
  name: string;
  uid: string;
  /** The fields the conditions read, copied out of the event's object. */
  fields: Record<string, unknown>;
}

interface Source {
  resource: WatchedEvent['resource'];
  path: string;
  labelSelector?: string;
  list: () => Promise<{ metadata?: { resourceVersion?: string } }>;
  fields: (o: k8s.KubernetesObject) => Record<string, unknown>;
}

export class Watcher {
  readonly events: WatchedEvent[] = [];
  readonly errors: string[] = [];
  private stops: (() => void)[] = [];

  constructor(private readonly kc: k8s.KubeConfig) {}

  private sources(): Source[] {
    const core = this.kc.makeApiClient(k8s.CoreV1Api);
    const apps = this.kc.makeApiClient(k8s.AppsV1Api);
    return [
      {
        resource: 'namespaces',
        path: '/api/v1/namespaces',
        list: () => core.listNamespace(),
        fields: (o) => ({ phase: (o as k8s.V1Namespace).status?.phase }),
      },
      {
        resource: 'deployments',
        path: '/apis/apps/v1/deployments',
        labelSelector: 'app=echo',
        list: () => apps.listDeploymentForAllNamespaces({ labelSelector: 'app=echo' }),
        fields: (obj) => {
          const o = obj as k8s.V1Deployment;
          return {
            generation: o.metadata?.generation,
            specReplicas: o.spec?.replicas,
            observedGeneration: o.status?.observedGeneration,
            replicas: o.status?.replicas,
            updatedReplicas: o.status?.updatedReplicas,
            readyReplicas: o.status?.readyReplicas,
            availableReplicas: o.status?.availableReplicas,
          };
        },
      },
      {
        resource: 'pods',
        path: '/api/v1/pods',
        labelSelector: 'app=echo',
        list: () => core.listPodForAllNamespaces({ labelSelector: 'app=echo' }),
        fields: (obj) => {
          const o = obj as k8s.V1Pod;
          return {
            ready: (o.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
            terminating: !!o.metadata?.deletionTimestamp,
            phase: o.status?.phase,
          };
        },
      },
      {
        resource: 'configmaps',
        path: '/api/v1/configmaps',
        labelSelector: 'bench=peer',
        list: () => core.listConfigMapForAllNamespaces({ labelSelector: 'bench=peer' }),
        fields: (o) => ({ data: (o as k8s.V1ConfigMap).data ?? {} }),
      },
    ];
  }

  /** Lists, then watches from the list's resourceVersion; resolves when every watch is established. */
  async start(): Promise<void> {
    const watch = new k8s.Watch(this.kc);
    // The client's inactivity timeout (30 s) would end a quiet watch in the middle of a run.
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = 30 * 60_000;
    for (const s of this.sources()) {
      const list = await s.list();
      const ctrl = await watch.watch(
        s.path,
        { resourceVersion: list.metadata?.resourceVersion, labelSelector: s.labelSelector, allowWatchBookmarks: false },
        (type: string, obj: k8s.KubernetesObject) => {
          const atMs = nowMs();
          if (type === 'ERROR' || type === 'BOOKMARK') {
            if (type === 'ERROR') this.errors.push(`${s.resource}: ${JSON.stringify(obj).slice(0, 200)}`);
            return;
          }
          this.events.push({
            atMs,
            resource: s.resource,
            type,
            namespace: obj.metadata?.namespace ?? obj.metadata?.name ?? '',
            name: obj.metadata?.name ?? '',
            uid: obj.metadata?.uid ?? '',
            fields: s.fields(obj),
          });
        },
        (err: unknown) => {
          if (err && !this.stopped) this.errors.push(`${s.resource} watch ended: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
      this.stops.push(() => ctrl.abort());
    }
  }

  private stopped = false;

  stop(): void {
    this.stopped = true;
    for (const s of this.stops.splice(0)) s();
  }

  /** Namespaces created while the watcher ran. */
  createdNamespaces(): string[] {
    return this.events.filter((e) => e.resource === 'namespaces' && e.type === 'ADDED').map((e) => e.name);
  }

  /** The events of one namespace, in arrival order. */
  of(namespace: string, resource: WatchedEvent['resource']): WatchedEvent[] {
    return this.events.filter((e) => e.resource === resource && e.namespace === namespace);
  }
}

/**
 * The conditions, judged from the watcher's records of one namespace: the
 * arrival time of the first event after which the condition holds.
 */

/** Deployment echo rolled out with `replicas` ready replicas (what kubeproof's rollout step and the Chainsaw assert require). */
export function rolledOutAt(w: Watcher, namespace: string, replicas = 2): number | undefined {
  for (const e of w.of(namespace, 'deployments')) {
    const f = e.fields as Record<string, number | undefined>;
    if (e.name !== 'echo' || e.type === 'DELETED') continue;
    if (
      (f.observedGeneration ?? 0) >= (f.generation ?? 0) &&
      f.specReplicas === replicas &&
      f.replicas === replicas &&
      f.updatedReplicas === replicas &&
      f.readyReplicas === replicas &&
      f.availableReplicas === replicas
    )
      return e.atMs;
  }
  return undefined;
}

/**
 * After the first pod deletion of the run (a pod turning terminating, or gone),
 * the first moment a pod created after it is Ready while at least `replicas`
 * pods that are not terminating are Ready.
 */
export function replacementReadyAt(w: Watcher, namespace: string, replicas = 2): { deletedAt?: number; readyAt?: number } {
  const pods = new Map<string, { ready: boolean; terminating: boolean; replacement: boolean }>();
  let deletedAt: number | undefined;
  for (const e of w.of(namespace, 'pods')) {
    const f = e.fields as { ready: boolean; terminating: boolean };
    const known = pods.get(e.uid);
    if (e.type === 'DELETED') {
      pods.delete(e.uid);
      deletedAt ??= e.atMs;
      continue;
    }
    if (f.terminating) deletedAt ??= e.atMs;
    pods.set(e.uid, { ready: f.ready, terminating: f.terminating, replacement: known?.replacement ?? deletedAt !== undefined });
    if (deletedAt === undefined) continue;
    const live = [...pods.values()].filter((p) => p.ready && !p.terminating);
    if (live.length >= replicas && live.some((p) => p.replacement)) return { deletedAt, readyAt: e.atMs };
  }
  return { deletedAt };
}

/** ConfigMap bench-dashboards holds the dashboard titled `title` with `panels` panels in its data key bench.json. */
export function configMapFieldAt(w: Watcher, namespace: string, title = 'Bench', panels = 2): number | undefined {
  for (const e of w.of(namespace, 'configmaps')) {
    if (e.name !== 'bench-dashboards' || e.type === 'DELETED') continue;
    try {
      const d = JSON.parse(String((e.fields.data as Record<string, string>)['bench.json'] ?? ''));
      if (d?.title === title && Array.isArray(d.panels) && d.panels.length === panels) return e.atMs;
    } catch {
      /* not (yet) the field asked for */
    }
  }
  return undefined;
}
