import { readFileSync } from 'node:fs';
import https from 'node:https';
import axios, { AxiosError, AxiosInstance } from 'axios';
import { BadInputError, EndpointError, NotVerifiedError } from '../engine/errors';
import type { Endpoint } from '../engine/config';
import { endpointHint } from '../engine/config';

/**
 * HTTP access to one endpoint with its auth and TLS options. Errors name the
 * endpoint and the operation, carry the server's own error text, and are
 * classified: 4xx (bad query) is BadInputError so waits stop at once; no URL
 * is NotVerifiedError; anything else is EndpointError, which waits retry.
 */
export class HttpEndpoint {
  readonly client: AxiosInstance;

  constructor(
    readonly endpoint: Endpoint & { url: string },
    timeoutMs: number,
  ) {
    const { auth, tls } = endpoint;
    const headers: Record<string, string> = {};
    if (auth?.bearerToken) headers.Authorization = `Bearer ${auth.bearerToken}`;
    this.client = axios.create({
      baseURL: endpoint.url,
      timeout: timeoutMs,
      headers,
      auth: auth?.username ? { username: auth.username, password: auth.password ?? '' } : undefined,
      httpsAgent: endpoint.url.startsWith('https:')
        ? new https.Agent({
            ca: tls?.caFile ? readFileSync(tls.caFile) : undefined,
            cert: tls?.certFile ? readFileSync(tls.certFile) : undefined,
            key: tls?.keyFile ? readFileSync(tls.keyFile) : undefined,
            rejectUnauthorized: !tls?.insecureSkipVerify,
            servername: tls?.serverName,
          })
        : undefined,
      // Let us read the server's own error text from any status.
      validateStatus: () => true,
      proxy: false,
    });
  }

  get url(): string {
    return this.endpoint.url;
  }

  async get<T>(operation: string, path: string, params?: Record<string, unknown>): Promise<T> {
    return this.request<T>(operation, 'GET', path, { params });
  }

  async post<T>(operation: string, path: string, data?: unknown, params?: Record<string, unknown>, headers?: Record<string, string>): Promise<T> {
    return this.request<T>(operation, 'POST', path, { data, params, headers });
  }

  async request<T>(
    operation: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    opts: { params?: Record<string, unknown>; data?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const where = `${this.endpoint.name} ${this.url}${path}`;
    let res;
    try {
      res = await this.client.request({ method, url: path, params: opts.params, data: opts.data, headers: opts.headers });
    } catch (e) {
      throw new EndpointError(where, operation, describeTransportError(e), `check that ${this.endpoint.name} is running and reachable at ${this.url}`);
    }
    if (res.status >= 200 && res.status < 300) return res.data as T;
    const text = serverErrorText(res.data);
    if (res.status === 401 || res.status === 403) {
      throw new EndpointError(
        where,
        operation,
        `HTTP ${res.status}: ${text}`,
        `check the credentials for ${this.endpoint.name} (KUBEPROOF_${this.endpoint.name.toUpperCase()}_TOKEN / _USERNAME / _PASSWORD)`,
      );
    }
    if (res.status >= 400 && res.status < 500 && res.status !== 404 && res.status !== 429) {
      throw new BadInputError(`${operation} at ${where} was rejected: HTTP ${res.status}: ${text}`);
    }
    throw new EndpointError(where, operation, `HTTP ${res.status}: ${text}`);
  }
}

/** Builds an HttpEndpoint, or explains that the endpoint has no reachable URL yet. */
export function httpEndpoint(endpoint: Endpoint, timeoutMs: number): HttpEndpoint {
  if (!endpoint.url) {
    throw new NotVerifiedError(`${endpoint.name} has no URL`, endpointHint(endpoint));
  }
  return new HttpEndpoint(endpoint as Endpoint & { url: string }, timeoutMs);
}

function serverErrorText(data: unknown): string {
  if (data == null || data === '') return '(empty body)';
  if (typeof data === 'string') return data.trim().slice(0, 2000);
  const o = data as Record<string, unknown>;
  const msg = o.error ?? o.message ?? o.err;
  if (typeof msg === 'string') return o.errorType ? `${o.errorType}: ${msg}` : msg;
  return JSON.stringify(data).slice(0, 2000);
}

function describeTransportError(e: unknown): string {
  if (e instanceof AxiosError) {
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT') return `no answer within ${e.config?.timeout}ms (${e.code})`;
    const cause = (e.cause as NodeJS.ErrnoException | undefined)?.code ?? e.code;
    return cause ? `${cause}: ${e.message}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
