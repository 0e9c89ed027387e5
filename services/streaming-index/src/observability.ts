// What every streaming service shares: structured JSON log lines on stdout,
// Prometheus request metrics, and an HTTP server that records both for each
// request. (Each service carries its own copy: an image holds one service dir.)
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import client from 'prom-client';

export type Fields = Record<string, string | number | boolean | undefined>;

export function env(name: string, fallback: string): string {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : v;
}

export function logger(service: string): (level: 'info' | 'warn' | 'error', msg: string, fields?: Fields) => void {
  const pod = hostname();
  return (level, msg, fields = {}) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service, pod, msg, ...fields })}\n`);
  };
}

export interface Handled {
  /** Route template for the metrics labels (`/api/items/:id`), never the raw path. */
  route: string;
  status: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<Handled>;

export function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Serves `handle` on `port` with /metrics and /health: http_requests_total and
 * http_request_duration_seconds per route, method and code (scrapes and health checks
 * not counted), one JSON log line per request (level error for a 5xx). The `routes`
 * start at zero (GET, 200), so their series exist before the first request.
 */
export function serve(service: string, port: number, routes: string[], handle: Handler): Server {
  const log = logger(service);
  client.collectDefaultMetrics();
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status code',
    labelNames: ['route', 'method', 'code'],
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request (until the last byte was handed to the socket)',
    labelNames: ['route', 'method', 'code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  for (const route of routes) {
    requests.inc({ route, method: 'GET', code: '200' }, 0);
    duration.zero({ route, method: 'GET', code: '200' });
  }
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/metrics') {
      void client.register.metrics().then((text) => reply(res, 200, text, { 'content-type': client.register.contentType }));
      return;
    }
    if (url.pathname === '/health') return reply(res, 200, { status: 'ok', service });
    handle(req, res, url)
      .catch((err: Error): Handled => {
        log('error', 'request failed', { method, path: url.pathname, error: err.message });
        if (!res.headersSent) reply(res, 500, { error: err.message });
        else res.destroy(err);
        return { route: 'error', status: 500 };
      })
      .then(({ route, status }) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const labels = { route, method, code: String(status) };
        requests.inc(labels);
        duration.observe(labels, seconds);
        log(status >= 500 ? 'error' : 'info', 'request', { method, path: url.pathname, route, status, durationMs: Math.round(seconds * 1000) });
      });
  });
  server.keepAliveTimeout = 5000;
  server.listen(port, () => log('info', `${service} listening`, { port }));
  const stop = (signal: string) => {
    log('info', `${signal}: stopping`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return server;
}
