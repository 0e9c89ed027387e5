import type { Endpoint } from '../engine/config';
import { EndpointError } from '../engine/errors';
import { HttpEndpoint, httpEndpoint } from './http';
import { type Labels, type RequestRecord, requestRecord } from './series';

/**
 * The webhook sink's API (services/webhook-sink): the notifications it
 * received, newest last, numbered per sink process (bootId).
 */

export interface SinkAlert {
  alertname: string;
  status: string;
  labels: Labels;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}

export interface SinkNotification {
  seq: number;
  /** RFC 3339, the sink's clock. */
  receivedAt: string;
  path: string;
  /** Alertmanager's receiver name (payload.receiver). */
  receiver: string;
  status: string;
  alerts: SinkAlert[];
  payload: unknown;
}

export interface SinkNotifications {
  request: RequestRecord;
  bootId: string;
  /** The sink's clock when it answered. */
  now: string;
  lastSeq: number;
  notifications: SinkNotification[];
}

export class WebhookSinkClient {
  private httpClient?: HttpEndpoint;

  constructor(
    readonly endpoint: Endpoint,
    readonly options: { requestTimeoutMs: number },
  ) {}

  get url(): string {
    return this.http.url;
  }

  private get http(): HttpEndpoint {
    this.httpClient ??= httpEndpoint(this.endpoint, this.options.requestTimeoutMs);
    return this.httpClient;
  }

  /** The notifications received after `afterSeq` (all without it). */
  async notifications(afterSeq = 0): Promise<SinkNotifications> {
    const params = { after: String(afterSeq) };
    const request = requestRecord(this.http.url, '/notifications', params);
    const body = await this.http.get<Omit<SinkNotifications, 'request'>>('read the received notifications', '/notifications', params);
    if (!body || typeof body !== 'object' || !Array.isArray(body.notifications) || typeof body.bootId !== 'string')
      throw new EndpointError(
        `${this.endpoint.name} ${request.url}`,
        'read the received notifications',
        `not a webhook sink's answer (services/webhook-sink): ${JSON.stringify(body).slice(0, 300)}`,
      );
    return { request, bootId: body.bootId, now: body.now, lastSeq: body.lastSeq, notifications: body.notifications };
  }
}
