import * as k8s from '@kubernetes/client-node';
import { BadInputError, EndpointError, errorText } from '../../engine/errors';

/**
 * API discovery: which kinds the API server serves (built-in, aggregated and CRDs), under which
 * group/version, plural and scope. Read once per run and cached here; a kind not in the cache
 * triggers one fresh read (a CRD installed during the run), then a BadInputError naming the
 * closest kinds served. Two requests with aggregated discovery (Kubernetes ≥ 1.30), one per
 * group otherwise.
 */

/** One kind the API server serves, in its preferred version. */
export interface ApiResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1`, `apps/v1`, `cert-manager.io/v1`. */
  apiVersion: string;
  kind: string;
  /** The plural resource name in URLs: `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
}

/** A GET that answers raw JSON (no client-node model conversion: fields stay as the API server wrote them). */
export type JsonGet = (path: string, accept?: string) => Promise<{ status: number; body: unknown }>;

/** A request to the API server that sends and answers raw JSON (no client-node model conversion either way). */
export type JsonRequest = (
  method: 'GET' | 'PATCH',
  path: string,
  opts?: { accept?: string; body?: string; contentType?: string },
) => Promise<{ status: number; body: unknown }>;

/** Requests to the API server with the kubeconfig's credentials, bounded in time. */
export function jsonRequester(kc: k8s.KubeConfig, timeoutMs = 15_000): JsonRequest {
  const http = k8s.createConfiguration().httpApi;
  return async (method, path, { accept = 'application/json', body, contentType } = {}) => {
    const server = kc.getCurrentCluster()?.server ?? '';
    const req = new k8s.RequestContext(`${server}${path}`, method === 'GET' ? k8s.HttpMethod.GET : k8s.HttpMethod.PATCH);
    req.setHeaderParam('Accept', accept);
    if (contentType) req.setHeaderParam('Content-Type', contentType);
    if (body !== undefined) req.setBody(body);
    req.setSignal(AbortSignal.timeout(timeoutMs));
    try {
      await kc.applySecurityAuthentication(req);
      const res = await http.send(req).toPromise();
      const text = await res.body.text();
      let answer: unknown = text;
      try {
        answer = JSON.parse(text);
      } catch {
        /* not JSON: keep the text for the message */
      }
      return { status: res.httpStatusCode, body: answer };
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new EndpointError(server, `${method} ${path}`, `${errorText(e)}${cause ? ` (${cause.code ?? cause.message})` : ''}`);
    }
  };
}

/** GET on the API server with the kubeconfig's credentials, bounded in time. */
export function jsonGetter(kc: k8s.KubeConfig, timeoutMs = 15_000): JsonGet {
  const request = jsonRequester(kc, timeoutMs);
  return (path, accept) => request('GET', path, { accept });
}

// Aggregated discovery (GA in 1.30) answers every group and resource in two requests; older servers ignore it.
const AGGREGATED =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export class ApiDiscovery {
  private cache?: Promise<ApiResource[]>;

  constructor(
    private readonly get: JsonGet,
    private readonly server: string,
  ) {}

  /** Every kind served, core first, then the groups in the API server's priority order. */
  resources(): Promise<ApiResource[]> {
    if (!this.cache) {
      const resources = this.read();
      this.cache = resources;
      resources.catch(() => (this.cache = undefined)); // a failed read is not remembered
    }
    return this.cache;
  }

  /**
   * The resource a kind word names: a kind (`Deployment`, any case), a plural or singular
   * (`deployments`), a short name (`HPA`, `PVC`), optionally qualified by its group
   * (`Certificate.cert-manager.io`). When several groups serve the kind, the first in
   * discovery order wins (core, then by group priority), as kubectl resolves it.
   */
  async resolve(word: string): Promise<ApiResource> {
    let hit = findResource(await this.resources(), word);
    if (!hit) {
      this.cache = undefined; // a CRD may have been installed since the last read
      hit = findResource(await this.resources(), word);
    }
    if (hit) return hit;
    const kinds = [...new Set((await this.resources()).map((r) => r.kind))];
    const near = closestKinds(word, kinds);
    throw new BadInputError(
      `the API server at ${this.server} serves no kind "${word}"${near.length ? `; closest: ${near.join(', ')}` : ''}`,
      `write a kind as \`kubectl api-resources\` lists it (${kinds.length} served); a custom resource needs its CRD installed`,
    );
  }

  private async read(): Promise<ApiResource[]> {
    const core = await this.get('/api', AGGREGATED);
    const groups = await this.get('/apis', AGGREGATED);
    for (const r of [core, groups]) {
      if (r.status !== 200) throw new EndpointError(this.server, 'API discovery', `HTTP ${r.status}: ${bodyMessage(r.body)}`);
    }
    if (isAggregated(core.body) && isAggregated(groups.body)) return [...parseAggregated(core.body), ...parseAggregated(groups.body)];
    return this.readLegacy(groups.body as { groups?: { preferredVersion?: { groupVersion: string } }[] });
  }

  /** Before aggregated discovery: one request per group's preferred version. */
  private async readLegacy(groupList: { groups?: { preferredVersion?: { groupVersion: string } }[] }): Promise<ApiResource[]> {
    const groupVersions = ['v1', ...(groupList.groups ?? []).map((g) => g.preferredVersion?.groupVersion).filter((v): v is string => !!v)];
    const lists = await Promise.all(
      groupVersions.map(async (gv) => {
        const r = await this.get(gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
        // An aggregated API that is down (503) hides its kinds but must not hide every other kind.
        return r.status === 200 ? parseResourceList(gv, r.body as k8s.V1APIResourceList) : [];
      }),
    );
    return lists.flat();
  }
}

function bodyMessage(body: unknown): string {
  return (body as { message?: string })?.message ?? String(body).slice(0, 200);
}

interface DiscoveryList {
  kind?: string;
  items?: {
    metadata?: { name?: string; creationTimestamp?: string | null };
    versions?: {
      version: string;
      resources?: { resource: string; responseKind?: { kind?: string }; scope?: string; singularResource?: string; shortNames?: string[]; verbs?: string[] }[];
    }[];
  }[];
}

function isAggregated(body: unknown): body is DiscoveryList {
  return (body as DiscoveryList)?.kind === 'APIGroupDiscoveryList';
}

/** Kinds of an APIGroupDiscoveryList; versions come preferred first, so each kind keeps its preferred version. */
export function parseAggregated(list: DiscoveryList): ApiResource[] {
  const out: ApiResource[] = [];
  for (const item of list.items ?? []) {
    const group = item.metadata?.name ?? '';
    const seen = new Set<string>();
    for (const v of item.versions ?? []) {
      for (const r of v.resources ?? []) {
        const kind = r.responseKind?.kind;
        if (!kind || r.resource.includes('/') || seen.has(kind)) continue;
        seen.add(kind);
        out.push({
          group,
          version: v.version,
          apiVersion: group ? `${group}/${v.version}` : v.version,
          kind,
          plural: r.resource,
          singular: r.singularResource || kind.toLowerCase(),
          namespaced: r.scope === 'Namespaced',
          shortNames: r.shortNames ?? [],
          verbs: r.verbs ?? [],
        });
      }
    }
  }
  return out;
}

/** Kinds of one group version's APIResourceList (subresources such as `pods/log` left out). */
export function parseResourceList(groupVersion: string, list: k8s.V1APIResourceList): ApiResource[] {
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      group,
      version,
      apiVersion: groupVersion,
      kind: r.kind,
      plural: r.name,
      singular: r.singularName || r.kind.toLowerCase(),
      namespaced: r.namespaced,
      shortNames: r.shortNames ?? [],
      verbs: r.verbs ?? [],
    }));
}

/** The resource a word names (see ApiDiscovery.resolve), or undefined. */
export function findResource(resources: ApiResource[], word: string): ApiResource | undefined {
  const w = word.trim().toLowerCase();
  const dot = w.indexOf('.');
  const name = dot < 0 ? w : w.slice(0, dot);
  const group = dot < 0 ? undefined : w.slice(dot + 1);
  const inGroup = resources.filter((r) => group === undefined || r.group === group);
  return (
    inGroup.find((r) => r.kind.toLowerCase() === name) ??
    inGroup.find((r) => r.plural === name || r.singular === name) ??
    inGroup.find((r) => r.shortNames.includes(name))
  );
}

/** The collection URL of a resource: `/apis/apps/v1/namespaces/x/deployments`, `/api/v1/nodes`. */
export function collectionPath(r: ApiResource, namespace?: string): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${root}${r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${r.plural}`;
}

/** Up to `n` known kinds nearest to a word (edit distance, case-insensitive), nearest first. */
export function closestKinds(word: string, kinds: string[], n = 3): string[] {
  const w = word.toLowerCase().split('.')[0];
  return kinds
    .map((k) => ({ k, d: editDistance(w, k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, n)
    .map((x) => x.k);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
