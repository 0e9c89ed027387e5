import { parse as parseYaml } from 'yaml';
import type { Endpoint } from '../engine/config';
import { BadInputError, EndpointError, errorText, NotVerifiedError } from '../engine/errors';
import { HttpEndpoint, httpEndpoint } from './http';
import { type RequestRecord, requestRecord } from './series';

/**
 * Grafana HTTP API: health, datasources and their health, dashboards.
 * Auth: a service-account token as bearer, or basic (admin) credentials.
 */

export interface GrafanaDatasource {
  id: number;
  uid: string;
  name: string;
  type: string;
  url: string;
  access: string;
  isDefault: boolean;
}

export interface DatasourceHealth {
  request: RequestRecord;
  datasource: Pick<GrafanaDatasource, 'uid' | 'name' | 'type'>;
  /** Grafana's verdict: "OK" when the datasource answered its health check. */
  status: string;
  message: string;
  ok: boolean;
  httpStatus: number;
}

export interface DashboardSearchHit {
  uid: string;
  title: string;
  url: string;
  type: string;
  tags: string[];
  folderTitle?: string;
}

export interface GrafanaDashboard {
  request: RequestRecord;
  uid: string;
  title: string;
  /** The dashboard JSON model (panels, templating, refresh...). */
  dashboard: Record<string, unknown>;
  meta: Record<string, unknown>;
}

export class GrafanaClient {
  private httpClient?: HttpEndpoint;

  constructor(
    readonly endpoint: Endpoint,
    readonly options: { requestTimeoutMs: number },
  ) {}

  private get http(): HttpEndpoint {
    this.httpClient ??= httpEndpoint(this.endpoint, this.options.requestTimeoutMs);
    return this.httpClient;
  }

  async health(): Promise<{ request: RequestRecord; version: string; database: string; commit: string }> {
    const request = requestRecord(this.http.url, '/api/health', {});
    const h = await this.http.get<{ version?: string; database?: string; commit?: string }>('health check', '/api/health');
    return { request, version: h.version ?? '', database: h.database ?? '', commit: h.commit ?? '' };
  }

  async datasources(): Promise<{ request: RequestRecord; datasources: GrafanaDatasource[] }> {
    const request = requestRecord(this.http.url, '/api/datasources', {});
    const list = await this.http.get<GrafanaDatasource[]>('list datasources', '/api/datasources');
    return { request, datasources: (list ?? []).map(pickDatasource) };
  }

  /** The datasource whose name or type matches (name first), e.g. "Prometheus" or "loki". */
  async findDatasource(nameOrType: string): Promise<GrafanaDatasource> {
    const { datasources } = await this.datasources();
    const wanted = nameOrType.toLowerCase();
    const found = datasources.find((d) => d.name.toLowerCase() === wanted) ?? datasources.find((d) => d.type.toLowerCase() === wanted);
    if (!found) {
      throw new EndpointError(
        `grafana ${this.http.url}`,
        `find datasource "${nameOrType}"`,
        `no datasource with that name or type; configured: ${datasources.map((d) => `${d.name} (${d.type})`).join(', ') || '(none)'}`,
      );
    }
    return found;
  }

  /**
   * Grafana's own check of a datasource (what "Save & test" does). An
   * unhealthy datasource is a result with ok=false and Grafana's message,
   * not an exception; a datasource type without a health check is NotVerified.
   */
  async datasourceHealth(ds: Pick<GrafanaDatasource, 'uid' | 'name' | 'type'>): Promise<DatasourceHealth> {
    const path = `/api/datasources/uid/${encodeURIComponent(ds.uid)}/health`;
    const request = requestRecord(this.http.url, path, {});
    let res;
    try {
      res = await this.http.client.get(path);
    } catch (e) {
      throw new EndpointError(`grafana ${this.http.url}${path}`, `health check of datasource ${ds.name}`, errorText(e));
    }
    const body = (res.data ?? {}) as { status?: string; message?: string };
    if (res.status === 401 || res.status === 403) {
      throw new EndpointError(
        `grafana ${this.http.url}${path}`,
        `health check of datasource ${ds.name}`,
        `HTTP ${res.status}: ${body.message ?? ''}`,
        'check KUBEPROOF_GRAFANA_TOKEN or _USERNAME/_PASSWORD',
      );
    }
    if (res.status === 404) throw new BadInputError(`Grafana has no datasource with uid ${ds.uid} (${ds.name})`);
    if (res.status === 501 || /not implemented/i.test(body.message ?? '')) {
      throw new NotVerifiedError(`datasource ${ds.name} (${ds.type}) has no health check in Grafana`, 'verify the datasource by querying it directly');
    }
    // 400 and 500 carry Grafana's verdict; 502-504 come from something in front of Grafana.
    if (res.status > 500) throw new EndpointError(`grafana ${this.http.url}${path}`, `health check of datasource ${ds.name}`, `HTTP ${res.status}`);
    const status = body.status ?? `HTTP ${res.status}`;
    return {
      request,
      datasource: { uid: ds.uid, name: ds.name, type: ds.type },
      status,
      message: body.message ?? '',
      ok: res.status === 200 && status === 'OK',
      httpStatus: res.status,
    };
  }

  async dashboardByUid(uid: string): Promise<GrafanaDashboard> {
    const path = `/api/dashboards/uid/${encodeURIComponent(uid)}`;
    const request = requestRecord(this.http.url, path, {});
    const body = await this.http.get<{ dashboard: Record<string, unknown>; meta: Record<string, unknown> }>(`read dashboard ${uid}`, path);
    return { request, uid, title: String(body.dashboard?.title ?? ''), dashboard: body.dashboard, meta: body.meta ?? {} };
  }

  async searchDashboards(title: string): Promise<{ request: RequestRecord; hits: DashboardSearchHit[] }> {
    const params = { query: title, type: 'dash-db' };
    const request = requestRecord(this.http.url, '/api/search', params);
    const hits = await this.http.get<DashboardSearchHit[]>(`search dashboards "${title}"`, '/api/search', params);
    return { request, hits: hits ?? [] };
  }

  /** The dashboard whose title is exactly `title` (search is a substring match). */
  async dashboardByTitle(title: string): Promise<GrafanaDashboard> {
    const { hits } = await this.searchDashboards(title);
    const hit = hits.find((h) => h.title === title);
    if (!hit) {
      throw new EndpointError(
        `grafana ${this.http.url}`,
        `find dashboard "${title}"`,
        hits.length ? `no exact title match; similar: ${hits.map((h) => h.title).join(', ')}` : 'no dashboard with that title',
      );
    }
    return this.dashboardByUid(hit.uid);
  }
}

function pickDatasource(d: GrafanaDatasource): GrafanaDatasource {
  return { id: d.id, uid: d.uid, name: d.name, type: d.type, url: d.url, access: d.access, isDefault: d.isDefault };
}

// ---- provisioning files (pure): what a Grafana would load, read without one ----

/** Where Grafana reads datasource provisioning files (its default `paths.provisioning`). */
export const DATASOURCE_PROVISIONING_DIR = '/etc/grafana/provisioning/datasources';

/** A datasource as a provisioning file declares it; secureJsonData values stay out, except the CA (public). */
export interface ProvisionedDatasource {
  /** The file (ConfigMap key) that declares it. */
  file: string;
  name: string;
  type: string;
  uid?: string;
  url: string;
  jsonData: Record<string, unknown>;
  /** Names of the secureJsonData fields (values are secrets). */
  secureFields: string[];
  /** secureJsonData.tlsCACert as written: inline PEM or a `$__file{…}` reference. */
  tlsCACert?: string;
}

/** The datasources declared by a set of provisioning files (every *.yaml / *.yml; other files are data, like a CA). */
export function provisionedDatasources(files: Record<string, string>): ProvisionedDatasource[] {
  const out: ProvisionedDatasource[] = [];
  for (const [file, text] of Object.entries(files)) {
    if (!/\.ya?ml$/.test(file)) continue;
    let doc: { datasources?: Record<string, unknown>[] } | null;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new BadInputError(`Grafana provisioning file ${file} is not valid YAML: ${errorText(e).split('\n')[0]}`);
    }
    for (const d of doc?.datasources ?? []) {
      const secure = (d.secureJsonData ?? {}) as Record<string, unknown>;
      out.push({
        file,
        name: String(d.name ?? ''),
        type: String(d.type ?? ''),
        uid: d.uid === undefined ? undefined : String(d.uid),
        url: String(d.url ?? ''),
        jsonData: (d.jsonData ?? {}) as Record<string, unknown>,
        secureFields: Object.keys(secure),
        tlsCACert: typeof secure.tlsCACert === 'string' ? secure.tlsCACert : undefined,
      });
    }
  }
  return out;
}

/**
 * The CA a datasource trusts, as Grafana would load it: inline PEM, or
 * `$__file{path}` naming a file of the same provisioning directory. Throws
 * when it names anything else: without the Grafana pod that file cannot be read.
 */
export function datasourceCaPem(ds: ProvisionedDatasource, files: Record<string, string>, dir = DATASOURCE_PROVISIONING_DIR): string {
  const ref = ds.tlsCACert?.trim() ?? '';
  if (!ref) throw new Error(`datasource ${ds.name} has no CA (secureJsonData.tlsCACert)`);
  if (ref.startsWith('-----BEGIN CERTIFICATE-----')) return ref;
  const m = /^\$__file\{([^}]+)\}$/.exec(ref);
  if (!m) throw new Error(`datasource ${ds.name}: tlsCACert is neither a PEM certificate nor $__file{…}`);
  const path = m[1].trim();
  const key = path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
  if (!key || !(key in files))
    throw new Error(`datasource ${ds.name}: its CA file ${path} is not a file of the provisioning directory ${dir} (files: ${Object.keys(files).join(', ')})`);
  return files[key];
}

/** How to see that a datasource's server answers, as Grafana's own health check of that type would ask. */
export interface DatasourceProbeSpec {
  path: string;
  status: number;
  /** What proves the answer is the real thing (not any 200): undefined when it is. */
  wrongBody?: (body: string) => string | undefined;
}

export function datasourceProbeSpec(type: string): DatasourceProbeSpec | undefined {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer's JSON, read defensively
  const jsonStatus = (want: (j: any) => boolean, what: string) => (body: string) => {
    try {
      return want(JSON.parse(body)) ? undefined : `the answer is not ${what}: ${body.slice(0, 200)}`;
    } catch {
      return `the answer is not JSON: ${body.slice(0, 200)}`;
    }
  };
  switch (type.toLowerCase()) {
    case 'prometheus':
      return {
        path: '/api/v1/query?query=1%2B1',
        status: 200,
        wrongBody: jsonStatus((j) => j?.status === 'success' && j?.data?.result?.[1] === '2', 'the result 2 of 1+1'),
      };
    case 'loki':
      return { path: '/loki/api/v1/labels', status: 200, wrongBody: jsonStatus((j) => j?.status === 'success' && Array.isArray(j?.data), 'a label list') };
    case 'influxdb':
      return { path: '/ping', status: 204 };
    default:
      return undefined;
  }
}

/** `base` + `path` without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}
