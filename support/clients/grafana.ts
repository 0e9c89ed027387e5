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
