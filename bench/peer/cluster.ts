import { request } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { parseMetrics, sumWhere, type Sample } from './prom';

/**
 * What bench:peer does to the cluster besides the runs: read the API server's
 * /metrics, give each tool an identity of its own whose requests the API
 * server counts apart (API Priority and Fairness), and delete namespaces.
 */

export const BENCH_NAMESPACE = 'kubeproof-bench-peer';
export const FIELD_MANAGER = 'kubeproof-bench-peer';
export type Tool = 'kubeproof' | 'chainsaw';

export class Cluster {
  readonly core: k8s.CoreV1Api;
  readonly objects: k8s.KubernetesObjectApi;

  constructor(readonly kc: k8s.KubeConfig) {
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  }

  get server(): string {
    return this.kc.getCurrentCluster()!.server;
  }

  /** GET a path of the API server with the kubeconfig's credentials (or a bearer token), raw. */
  async get(path: string, token?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const opts: import('node:https').RequestOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    if (token) {
      // the server's CA only: the kubeconfig's client certificate (in opts and in its agent) would authenticate as its user
      const ca = opts.ca;
      for (const k of Object.keys(opts)) delete (opts as Record<string, unknown>)[k];
      Object.assign(opts, { ca, agent: false, headers: { authorization: `Bearer ${token}` } });
    }
    const url = new URL(path, this.server);
    return new Promise((resolve, reject) => {
      const req = request(url, { ...opts, method: 'GET', timeout: 15_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 15s`)));
      req.on('error', reject);
      req.end();
    });
  }

  /** The API server's request counters: by APF flow schema, by long-running subresource, and all of them. */
  async requestCounters(): Promise<RequestCounters> {
    const r = await this.get('/metrics');
    if (r.status !== 200) throw new Error(`GET /metrics: HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    const samples = parseMetrics(r.body, new Set(['apiserver_flowcontrol_dispatched_requests_total', 'apiserver_request_total']));
    return new RequestCounters(samples);
  }

  async version(): Promise<string> {
    const r = await this.get('/version');
    return (JSON.parse(r.body) as { gitVersion: string }).gitVersion;
  }

  async apply<T extends k8s.KubernetesObject>(obj: T): Promise<T> {
    return (await this.objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply)) as T;
  }

  async deleteObject(obj: k8s.KubernetesObject): Promise<void> {
    await this.objects.delete(obj, undefined, undefined, undefined, undefined, 'Background').catch((e: unknown) => {
      if ((e as { code?: number }).code !== 404) throw e;
    });
  }

  /** Whether the namespace still exists (terminating counts). */
  async namespaceExists(name: string): Promise<boolean> {
    try {
      await this.core.readNamespace({ name });
      return true;
    } catch (e) {
      if ((e as { code?: number }).code === 404) return false;
      throw e;
    }
  }

  /** Deletes a namespace (if it is not already going) and waits until it is gone, at most `timeoutMs`. */
  async deleteNamespace(name: string, timeoutMs: number): Promise<boolean> {
    await this.core.deleteNamespace({ name, propagationPolicy: 'Background' }).catch((e: unknown) => {
      if ((e as { code?: number }).code !== 404) throw e;
    });
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (!(await this.namespaceExists(name))) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  }
}

/** A snapshot of the API server's request counters. */
export class RequestCounters {
  constructor(readonly samples: Sample[]) {}

  /** Requests APF dispatched for a flow schema (every request except long-running non-watch ones: logs, exec, attach, port-forward, proxy). */
  byFlowSchema(flowSchema: string): number {
    return sumWhere(this.samples, 'apiserver_flowcontrol_dispatched_requests_total', { flow_schema: flowSchema });
  }

  /** The requests APF never sees (long-running, not watches), from every client. */
  longRunning(): number {
    return sumWhere(this.samples, 'apiserver_request_total', { subresource: /^(log|exec|attach|portforward|proxy)$/ });
  }

  /** Every request the API server answered, from every client (its controllers, kubelet, scheduler included). */
  all(): number {
    return sumWhere(this.samples, 'apiserver_request_total');
  }
}

/** The flow schema that counts a tool's requests. */
export const flowSchemaOf = (tool: Tool) => `bench-peer-${tool}`;

/**
 * Each tool runs as a ServiceAccount of its own (cluster-admin, like the lab's
 * admin user the other runs use), matched by a FlowSchema of its own that
 * sends its requests to the `exempt` priority level: never queued, so the
 * counting changes no timing, and `apiserver_flowcontrol_dispatched_requests_total`
 * counts them under the tool's flow schema name and nobody else's.
 * Returns a kubeconfig file per tool and an undo.
 */
export async function setUpIdentities(cluster: Cluster, dir: string): Promise<{ kubeconfigs: Record<Tool, string>; undo: () => Promise<void> }> {
  const created: k8s.KubernetesObject[] = [];
  const undo = async () => {
    for (const o of created.reverse()) await cluster.deleteObject(o).catch(() => undefined);
  };
  const apply = async <T extends k8s.KubernetesObject>(o: T) => {
    created.push({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata!.name, namespace: o.metadata!.namespace } });
    return cluster.apply(o);
  };
  try {
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER } } });
    const cluster0 = cluster.kc.getCurrentCluster()!;
    const ca = cluster0.caData ?? (cluster0.caFile ? readFileSync(cluster0.caFile).toString('base64') : undefined);
    const kubeconfigs = {} as Record<Tool, string>;
    for (const tool of ['kubeproof', 'chainsaw'] as Tool[]) {
      await apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: tool, namespace: BENCH_NAMESPACE } });
      await apply({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `bench-peer-${tool}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: tool, namespace: BENCH_NAMESPACE }],
      } as k8s.V1ClusterRoleBinding);
      const fs = await apply({
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'FlowSchema',
        metadata: { name: flowSchemaOf(tool) },
        spec: {
          matchingPrecedence: 500,
          priorityLevelConfiguration: { name: 'exempt' },
          rules: [
            {
              subjects: [{ kind: 'ServiceAccount', serviceAccount: { name: tool, namespace: BENCH_NAMESPACE } }],
              resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
              nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
            },
          ],
        },
      } as k8s.V1FlowSchema);
      const token = (
        await cluster.core.createNamespacedServiceAccountToken({
          name: tool,
          namespace: BENCH_NAMESPACE,
          body: { spec: { audiences: [], expirationSeconds: 6 * 3600 } },
        })
      ).status?.token;
      if (!token) throw new Error(`no token for ServiceAccount ${BENCH_NAMESPACE}/${tool}`);
      // The API server classifies by its informer's view of the FlowSchemas: wait until it names ours.
      const end = Date.now() + 20_000;
      for (;;) {
        const r = await cluster.get('/api', token);
        if (r.headers['x-kubernetes-pf-flowschema-uid'] === fs.metadata?.uid) break;
        if (Date.now() > end)
          throw new Error(
            `requests of ServiceAccount ${tool} are not classified by FlowSchema ${flowSchemaOf(tool)} after 20s (HTTP ${r.status}, flow schema uid ${String(r.headers['x-kubernetes-pf-flowschema-uid'])})`,
          );
        await new Promise((res) => setTimeout(res, 200));
      }
      const file = `${dir}/kubeconfig-${tool}`;
      writeFileSync(
        file,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'lab', cluster: { server: cluster.server, 'certificate-authority-data': ca } }],
          users: [{ name: `bench-peer-${tool}`, user: { token } }],
          contexts: [{ name: `bench-peer-${tool}`, context: { cluster: 'lab', user: `bench-peer-${tool}` } }],
          'current-context': `bench-peer-${tool}`,
        }),
        { mode: 0o600 },
      );
      kubeconfigs[tool] = file;
    }
    return { kubeconfigs, undo };
  } catch (e) {
    await undo();
    throw e;
  }
}
