import type { Endpoint } from '../engine/config';
import { EndpointError } from '../engine/errors';
import { HttpEndpoint, httpEndpoint } from './http';
import { type Labels, type RequestRecord, requestRecord } from './series';

/**
 * Alertmanager HTTP API client (/api/v2, Alertmanager ≥ 0.16). Like the
 * Prometheus client, every method returns the request (without credentials)
 * next to what came back.
 */

/** One alert as /api/v2/alerts returns it (gettableAlert). */
export interface AmAlert {
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL?: string;
  /** active | suppressed | unprocessed, with the silences and inhibiting alerts that suppress it. */
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

export interface AmStatus {
  request: RequestRecord;
  version: string;
  revision: string;
  uptime: string;
  /** The loaded configuration as YAML (secrets shown as <secret>). */
  configYaml: string;
  cluster: string;
}

export interface AlertmanagerOptions {
  requestTimeoutMs: number;
}

export class AlertmanagerClient {
  private httpClient?: HttpEndpoint;

  constructor(
    readonly endpoint: Endpoint,
    readonly options: AlertmanagerOptions,
  ) {}

  get url(): string {
    return this.http.url;
  }

  private get http(): HttpEndpoint {
    this.httpClient ??= httpEndpoint(this.endpoint, this.options.requestTimeoutMs);
    return this.httpClient;
  }

  /** `/-/ready` answers 200 once the configuration is loaded; anything else is an EndpointError naming the address. */
  async ready(): Promise<{ request: RequestRecord; text: string }> {
    const request = requestRecord(this.http.url, '/-/ready', {});
    const text = await this.http.get<string>('readiness check', '/-/ready');
    return { request, text: String(text).trim() };
  }

  async status(): Promise<AmStatus> {
    const request = requestRecord(this.http.url, '/api/v2/status', {});
    const body = await this.http.get<RawStatus>('read the status', '/api/v2/status');
    if (!body || typeof body !== 'object' || !body.versionInfo)
      throw new EndpointError(
        `${this.endpoint.name} ${request.url}`,
        'read the status',
        `not an Alertmanager v2 status: ${JSON.stringify(body).slice(0, 300)}`,
      );
    return {
      request,
      version: body.versionInfo.version ?? '',
      revision: body.versionInfo.revision ?? '',
      uptime: body.uptime ?? '',
      configYaml: body.config?.original ?? '',
      cluster: body.cluster?.status ?? '',
    };
  }

  /** Every alert Alertmanager holds (active, silenced, inhibited and unprocessed), optionally filtered by label matchers. */
  async alerts(filter: string[] = []): Promise<{ request: RequestRecord; alerts: AmAlert[] }> {
    const params = { active: 'true', silenced: 'true', inhibited: 'true', unprocessed: 'true' };
    const qs = new URLSearchParams(params);
    for (const f of filter) qs.append('filter', f);
    const request: RequestRecord = { method: 'GET', url: `${this.http.url}/api/v2/alerts?${qs}`, params };
    const body = await this.http.get<AmAlert[]>('list alerts', `/api/v2/alerts?${qs}`);
    if (!Array.isArray(body))
      throw new EndpointError(`${this.endpoint.name} ${request.url}`, 'list alerts', `not a list of alerts: ${JSON.stringify(body).slice(0, 300)}`);
    return { request, alerts: body };
  }
}

interface RawStatus {
  versionInfo?: { version?: string; revision?: string };
  uptime?: string;
  config?: { original?: string };
  cluster?: { status?: string };
}
