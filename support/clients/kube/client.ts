import { PassThrough, Readable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { type Config, NO_CLUSTER_HINT } from '../../engine/config';
import { BadInputError, EndpointError, errorText, NotVerifiedError } from '../../engine/errors';
import type { Observation, WatchSource } from '../../engine/wait';
import { ApiDiscovery, type ApiResource, collectionPath, type JsonGet, type JsonRequest, jsonRequester } from './discovery';

/**
 * The Kubernetes client of the engine: one per process, built from the
 * kubeconfig in Config (KUBECONFIG / KUBEPROOF_KUBECONFIG, optional context).
 * Thin wrappers over @kubernetes/client-node that turn API errors into
 * messages naming the object, and expose watches as `WatchSource`s for waits.
 */
export class KubeClient {
  readonly kc: k8s.KubeConfig;
  readonly core: k8s.CoreV1Api;
  readonly apps: k8s.AppsV1Api;
  readonly autoscaling: k8s.AutoscalingV2Api;
  readonly objects: k8s.KubernetesObjectApi;
  /** The kinds the API server serves (CRDs included), read once per run. */
  readonly discovery: ApiDiscovery;
  private readonly watcher: k8s.Watch;
  private readonly getJson: JsonGet;
  private readonly request: JsonRequest;

  constructor(config: Config['kube']) {
    this.kc = new k8s.KubeConfig();
    if (config.source === 'none' || !config.kubeconfig)
      throw new BadInputError('no Kubernetes cluster: no KUBECONFIG, no ~/.kube/config and no lab', NO_CLUSTER_HINT);
    try {
      this.kc.loadFromFile(config.kubeconfig);
      if (config.context) this.kc.setCurrentContext(config.context);
    } catch (e) {
      throw new BadInputError(
        `cannot load kubeconfig ${config.kubeconfig}: ${errorText(e)}`,
        'set KUBECONFIG to a readable kubeconfig (the lab writes /var/lib/kubeproof-lab/kubeconfig)',
      );
    }
    if (!this.kc.getCurrentCluster()) throw new BadInputError(`kubeconfig ${config.kubeconfig} has no current cluster`, NO_CLUSTER_HINT);
    this.core = readableErrors(this.kc.makeApiClient(k8s.CoreV1Api));
    this.apps = readableErrors(this.kc.makeApiClient(k8s.AppsV1Api));
    this.autoscaling = readableErrors(this.kc.makeApiClient(k8s.AutoscalingV2Api));
    this.objects = readableErrors(k8s.KubernetesObjectApi.makeApiClient(this.kc));
    this.watcher = new k8s.Watch(this.kc);
    this.request = jsonRequester(this.kc);
    this.getJson = (path, accept) => this.request('GET', path, { accept });
    this.discovery = new ApiDiscovery(this.getJson, this.server);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '(unknown)';
  }

  /** The API server's version, within a bound: proves the cluster answers before a run starts. */
  async version(timeoutMs: number): Promise<string> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const v = await Promise.race([
        this.kc.makeApiClient(k8s.VersionApi).getCode(),
        new Promise<never>((_, reject) => timeout.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs}ms`)))),
      ]);
      return v.gitVersion;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new EndpointError(this.server, 'GET /version', `${apiErrorText(e)}${cause ? ` (${cause.code ?? cause.message})` : ''}`, NO_CLUSTER_HINT);
    }
  }

  /** Server-side apply (field manager "kubeproof", conflicts forced: the test owns these objects). */
  /**
   * Server-side apply of the object exactly as written: sent as JSON, not through client-node's
   * models, whose serializer drops fields it names differently (a NetworkPolicy rule's `from`,
   * a CRD schema's `x-kubernetes-*`), which would apply a different object than the manifest's.
   */
  async apply<T extends k8s.KubernetesObject>(obj: T): Promise<T> {
    const [group, version] = (obj.apiVersion ?? '').includes('/') ? (obj.apiVersion ?? '').split('/') : ['', obj.apiVersion ?? ''];
    const r = await this.discovery.resolve(group ? `${obj.kind}.${group}` : (obj.kind ?? ''));
    const name = obj.metadata?.name ?? '';
    const path = `${collectionPath({ ...r, group, version }, obj.metadata?.namespace)}/${encodeURIComponent(name)}?fieldManager=kubeproof&force=true`;
    const res = await this.request('PATCH', path, { body: JSON.stringify(obj), contentType: 'application/apply-patch+yaml' });
    if (res.status !== 200 && res.status !== 201)
      throw new EndpointError(
        this.server,
        `server-side apply of ${describe(obj)}`,
        apiErrorText({ code: res.status, body: res.body }),
        'check the manifest and the RBAC of the kubeconfig user',
      );
    return res.body as T;
  }

  async delete(obj: k8s.KubernetesObject, gracePeriodSeconds?: number): Promise<void> {
    try {
      await this.objects.delete(obj, undefined, undefined, gracePeriodSeconds, undefined, 'Background');
    } catch (e) {
      if (statusCode(e) === 404) return;
      throw new EndpointError(this.server, `delete ${describe(obj)}`, apiErrorText(e));
    }
  }

  async read<T extends k8s.KubernetesObject>(obj: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  }): Promise<T | undefined> {
    try {
      return (await this.objects.read(obj as Parameters<k8s.KubernetesObjectApi['read']>[0])) as T;
    } catch (e) {
      if (statusCode(e) === 404) return undefined;
      throw new EndpointError(this.server, `read ${describe(obj)}`, apiErrorText(e));
    }
  }

  /**
   * An object of any served kind as the API server wrote it (raw JSON, no model conversion, so
   * JSONPath sees every field); undefined when it does not exist. Cluster-scoped kinds ignore `namespace`.
   */
  async readRaw(r: ApiResource, name: string, namespace?: string): Promise<RawObject | undefined> {
    const path = `${collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
    const res = await this.getJson(path);
    if (res.status === 404) return undefined;
    if (res.status !== 200)
      throw new EndpointError(
        this.server,
        `read ${r.kind} ${namespace && r.namespaced ? `${namespace}/` : ''}${name}`,
        apiErrorText({ code: res.status, body: res.body }),
      );
    return res.body as RawObject;
  }

  /** The objects of a served kind in a namespace (every namespace's for cluster-scoped kinds), raw JSON. */
  async listRaw(r: ApiResource, namespace?: string): Promise<RawObject[]> {
    const path = collectionPath(r, namespace);
    const res = await this.getJson(path);
    if (res.status !== 200)
      throw new EndpointError(
        this.server,
        `list ${r.plural}${namespace && r.namespaced ? ` in ${namespace}` : ''}`,
        apiErrorText({ code: res.status, body: res.body }),
      );
    return (res.body as { items?: RawObject[] }).items ?? [];
  }

  async listPods(namespace: string, labelSelector?: string): Promise<k8s.V1Pod[]> {
    const r = await this.core.listNamespacedPod({ namespace, labelSelector });
    return r.items;
  }

  /** A Deployment's or StatefulSet's replicas, from its scale subresource (what `kubectl scale` reads). */
  async replicas(kind: WorkloadKind, namespace: string, name: string): Promise<number> {
    if (kind === 'daemonset') throw new BadInputError(`daemonset ${name} has no replica count`, 'scale a Deployment or StatefulSet');
    const scale =
      kind === 'statefulset'
        ? await this.apps.readNamespacedStatefulSetScale({ name, namespace })
        : await this.apps.readNamespacedDeploymentScale({ name, namespace });
    return scale.spec?.replicas ?? 0;
  }

  /** Sets the replicas through the scale subresource, as `kubectl scale` does; no resourceVersion: the count is ours to set. */
  async scale(kind: WorkloadKind, namespace: string, name: string, replicas: number): Promise<void> {
    if (kind === 'daemonset') throw new BadInputError(`daemonset ${name} cannot be scaled`, 'scale a Deployment or StatefulSet');
    const body = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace }, spec: { replicas } };
    if (kind === 'statefulset') await this.apps.replaceNamespacedStatefulSetScale({ name, namespace, body });
    else await this.apps.replaceNamespacedDeploymentScale({ name, namespace, body });
  }

  /** Pods selected by a Deployment's selector, newest first, without those being deleted. */
  async deploymentPods(namespace: string, name: string): Promise<k8s.V1Pod[]> {
    const d = await this.apps.readNamespacedDeployment({ name, namespace });
    const pods = await this.listPods(namespace, selectorString(d.spec?.selector));
    return pods.filter((p) => !p.metadata?.deletionTimestamp).sort((a, b) => time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp));
  }

  /**
   * Pods owned by a Deployment, StatefulSet or DaemonSet (through its selector),
   * newest first, without those being deleted; with the number it wants.
   */
  async workloadPods(namespace: string, kind: WorkloadKind, name: string): Promise<{ pods: k8s.V1Pod[]; desired: number }> {
    let selector: k8s.V1LabelSelector | undefined;
    let desired: number;
    if (kind === 'statefulset') {
      const w = await this.apps.readNamespacedStatefulSet({ name, namespace });
      selector = w.spec?.selector;
      desired = w.spec?.replicas ?? 1;
    } else if (kind === 'daemonset') {
      const w = await this.apps.readNamespacedDaemonSet({ name, namespace });
      selector = w.spec?.selector;
      desired = w.status?.desiredNumberScheduled ?? 0;
    } else {
      const w = await this.apps.readNamespacedDeployment({ name, namespace });
      selector = w.spec?.selector;
      desired = w.spec?.replicas ?? 1;
    }
    const pods = (await this.listPods(namespace, selectorString(selector)))
      .filter((p) => !p.metadata?.deletionTimestamp)
      .sort((a, b) => time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp));
    return { pods, desired };
  }

  /** The workload's newest Ready pod; throws naming the workload and `purpose` when it has none. */
  async newestReadyPod(namespace: string, kind: WorkloadKind, name: string, purpose: string): Promise<k8s.V1Pod> {
    const pod = (await this.workloadPods(namespace, kind, name)).pods.find(podReady);
    if (!pod) throw new Error(`${kind} ${namespace}/${name} has no Ready pod ${purpose}`);
    return pod;
  }

  /**
   * A watch on a collection path (e.g. /apis/apps/v1/namespaces/x/deployments)
   * as a WatchSource: every event triggers a fresh check in the wait.
   */
  watchSource<T>(path: string, query: Record<string, string | number | boolean | undefined> = {}): WatchSource<T> {
    return async (notify, fail) => {
      const ctrl = await this.watcher.watch(
        path,
        { allowWatchBookmarks: false, ...query },
        () => notify(),
        (err) => (err ? fail(err) : undefined),
      );
      return () => ctrl.abort();
    };
  }

  /**
   * A watch whose events are judged as they arrive, so no read sits between the API server's
   * event and the verdict; a deletion (or an event `judge` cannot read) asks the wait for a fresh look.
   */
  watchJudged<T, O>(path: string, query: Record<string, string | number | boolean | undefined>, judge: (obj: O) => Observation<T>): WatchSource<T> {
    return async (notify, fail) => {
      const ctrl = await this.watcher.watch(
        path,
        { allowWatchBookmarks: false, ...query },
        (type: string, obj: O) => notify(type === 'ADDED' || type === 'MODIFIED' ? judge(obj) : undefined),
        (err) => (err ? fail(err) : undefined),
      );
      return () => ctrl.abort();
    };
  }

  /** Raw watch with the event objects, for timelines (pod phases, HPA replicas). */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (type: string, obj: any) => void): Promise<() => void> {
    const ctrl = await this.watcher.watch(path, query, onEvent, () => undefined);
    return () => ctrl.abort();
  }

  /** Runs a command in a container (fed `stdin` when given); resolves with its output and exit code (never throws on non-zero). */
  async exec(namespace: string, pod: string, container: string | undefined, command: string[], timeoutMs: number, stdin?: Buffer): Promise<ExecResult> {
    const exec = new k8s.Exec(this.kc);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on('data', (b: Buffer) => out.push(b));
    stderr.on('data', (b: Buffer) => err.push(b));
    const started = performance.now();
    const containerName = container ?? (await this.core.readNamespacedPod({ name: pod, namespace })).spec?.containers[0]?.name ?? '';
    return new Promise<ExecResult>((resolve, reject) => {
      let status: k8s.V1Status | undefined;
      let ws: { close: () => void } | undefined;
      const timer = setTimeout(() => {
        ws?.close();
        reject(new EndpointError(this.server, `exec in pod ${namespace}/${pod}`, `no result after ${timeoutMs}ms: ${command.join(' ')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        const code = status?.status === 'Success' ? 0 : exitCodeOf(status);
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          exitCode: code,
          elapsedMs: performance.now() - started,
          pod,
          command,
        });
      };
      exec
        .exec(namespace, pod, containerName, command, stdout, stderr, stdin ? Readable.from([stdin]) : null, false, (s) => {
          status = s;
        })
        .then((socket) => {
          ws = socket;
          socket.on('close', () => setTimeout(done, 20)); // let the last stream chunks land
          socket.on('error', (e: unknown) => {
            clearTimeout(timer);
            reject(new EndpointError(this.server, `exec in pod ${namespace}/${pod}`, errorText(e)));
          });
        })
        .catch((e) => {
          clearTimeout(timer);
          reject(new EndpointError(this.server, `exec in pod ${namespace}/${pod}`, apiErrorText(e)));
        });
    });
  }

  /** A container's log (the previous instance's with `previous`); throws when it cannot be read, so no caller mistakes that for a clean log. */
  async logs(
    namespace: string,
    pod: string,
    container?: string,
    tailLines: number | undefined = 50,
    opts: { previous?: boolean; timestamps?: boolean; sinceSeconds?: number } = {},
  ): Promise<string> {
    try {
      return await this.core.readNamespacedPodLog({
        name: pod,
        namespace,
        container,
        tailLines,
        previous: opts.previous,
        timestamps: opts.timestamps,
        sinceSeconds: opts.sinceSeconds,
      });
    } catch (e) {
      throw new EndpointError(
        this.server,
        `read the ${opts.previous ? 'previous ' : ''}log of ${namespace}/${pod}${container ? ` container ${container}` : ''}`,
        apiErrorText(e),
      );
    }
  }

  async events(namespace: string): Promise<k8s.CoreV1Event[]> {
    const r = await this.core.listNamespacedEvent({ namespace });
    return r.items.sort((a, b) => eventTime(a) - eventTime(b));
  }

  /** metrics.k8s.io pod metrics; NotVerifiedError when the API is not served (no metrics-server). */
  async podMetrics(namespace: string): Promise<k8s.PodMetric[]> {
    try {
      const r = await new k8s.Metrics(this.kc).getPodMetrics(namespace);
      return r.items;
    } catch (e) {
      if (statusCode(e) === 404 || /404|not found|could not find the requested resource/i.test(errorText(e))) {
        throw new NotVerifiedError('the cluster does not serve metrics.k8s.io', 'install metrics-server (the lab installs it)');
      }
      throw new EndpointError(this.server, `GET pod metrics in ${namespace}`, apiErrorText(e));
    }
  }

  private rbacApi?: k8s.RbacAuthorizationV1Api;

  /** Roles, ClusterRoles and their bindings (made on first use). */
  get rbac(): k8s.RbacAuthorizationV1Api {
    return (this.rbacApi ??= readableErrors(this.kc.makeApiClient(k8s.RbacAuthorizationV1Api)));
  }

  /** What the API server's authorizer answers for a subject's request (a SubjectAccessReview, authorization.k8s.io/v1). */
  async accessReview(spec: k8s.V1SubjectAccessReviewSpec): Promise<k8s.V1SubjectAccessReviewStatus> {
    try {
      const r = await this.kc
        .makeApiClient(k8s.AuthorizationV1Api)
        .createSubjectAccessReview({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec } });
      if (!r.status) throw new Error('the review came back without a status');
      return r.status;
    } catch (e) {
      const a = spec.resourceAttributes;
      throw new EndpointError(
        this.server,
        `SubjectAccessReview for ${spec.user} to ${a?.verb} ${a?.resource}${a?.subresource ? `/${a.subresource}` : ''}`,
        apiErrorText(e),
      );
    }
  }
}

export type WorkloadKind = 'deployment' | 'statefulset' | 'daemonset';

/** A Kubernetes object as JSON, of any kind. */
export type RawObject = k8s.KubernetesObject & Record<string, unknown>;
export type { ApiResource };

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  elapsedMs: number;
  pod: string;
  command: string[];
}

export function describe(obj: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  return `${obj.kind ?? 'object'} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? '?'}`;
}

export function selectorString(sel?: k8s.V1LabelSelector): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export function podReady(p: k8s.V1Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function time(t?: Date | string): number {
  return t ? new Date(t).getTime() : 0;
}

function eventTime(e: k8s.CoreV1Event): number {
  return time(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp);
}

function exitCodeOf(s?: k8s.V1Status): number {
  const cause = s?.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message ? Number(cause.message) : s ? 1 : -1;
}

/**
 * An API server error that reads like one: `HTTP 404: deployments.apps "x" not found`
 * rather than client-node's "HTTP-Code: 404" with headers and body. Keeps `code` and `body`.
 */
export class KubeApiError extends Error {
  readonly code?: number;
  readonly body?: unknown;
  constructor(e: unknown) {
    super(apiErrorText(e), { cause: e });
    this.name = 'KubeApiError';
    this.code = statusCode(e);
    this.body = (e as { body?: unknown })?.body;
  }
}

/** The API object with every method's rejection turned into a KubeApiError (one place, so no step shows "HTTP-Code: 404"). */
function readableErrors<T extends object>(api: T): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const r = (value as (...a: unknown[]) => unknown).apply(target, args);
        return r instanceof Promise
          ? r.catch((e: unknown) => Promise.reject(e instanceof KubeApiError || statusCode(e) === undefined ? e : new KubeApiError(e)))
          : r;
      };
    },
  });
}

export function statusCode(e: unknown): number | undefined {
  const x = e as { code?: unknown; statusCode?: unknown; response?: { statusCode?: unknown } };
  const code = [x?.code, x?.statusCode, x?.response?.statusCode].find((c) => typeof c === 'number');
  return code as number | undefined; // a number: an HTTP status, not a socket error code like ECONNREFUSED
}

/** The API server's own message (e.g. "deployments.apps "x" not found") instead of a stack of HTTP details. */
export function apiErrorText(e: unknown): string {
  const x = e as { body?: unknown; message?: string };
  let body: unknown = x?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* keep the string */
    }
  }
  const msg = (body as { message?: string } | undefined)?.message;
  const code = statusCode(e);
  return msg ? `${code ? `HTTP ${code}: ` : ''}${msg}` : errorText(e).split('\n')[0];
}
