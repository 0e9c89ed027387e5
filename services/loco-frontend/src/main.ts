// Lego Loco frontend — a service under test for the Lego Loco platform (seed 002).
//
// Serves the static page that shows the emulator instances (their list from
// the backend's /api/instances/live, each instance's stream through the
// backend) and proxies /api/* to the backend.
//
// Runs with Node 24's type stripping (`node src/main.ts`): erasable syntax only.
//
// Environment
//   PORT           HTTP port, default 8080
//   BACKEND_URL    default http://loco-backend:3001
//   DRAIN_SECONDS  after SIGTERM: seconds of answering (unready) before closing, default 5
//
// HTTP
//   GET /             the page (src/index.html)
//   GET /api/*        proxied to the backend (one retry of a GET whose connection failed)
//   GET /health       readiness: 200 until SIGTERM
//   GET /livez        liveness
//   GET /metrics      on METRICS_PORT (default 9464): Prometheus text format
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import client from 'prom-client';

const HOST = hostname();
const PORT = Number(process.env.PORT || '8080');
const METRICS_PORT = Number(process.env.METRICS_PORT || '9464');
const BACKEND = new URL(process.env.BACKEND_URL || 'http://loco-backend:3001');
const DRAIN_MS = Number(process.env.DRAIN_SECONDS || '5') * 1000;
const PAGE = readFileSync(new URL('./index.html', import.meta.url));

const log = (level: string, msg: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'loco-frontend', instance: HOST, msg, ...fields })}\n`);
};

client.collectDefaultMetrics();
const httpDuration = new client.Histogram({
  name: 'loco_frontend_http_request_duration_seconds',
  help: 'HTTP requests served, by route and status code',
  labelNames: ['route', 'code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});
const proxyErrors = new client.Counter({
  name: 'loco_frontend_proxy_errors_total',
  help: 'Backend requests that failed, by whether they were retried',
  labelNames: ['retried'],
});
proxyErrors.inc({ retried: 'true' }, 0);
proxyErrors.inc({ retried: 'false' }, 0);

let stopping = false;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// A fresh connection per request (agent: false): a backend pod that goes away never leaves a pooled socket behind.
function proxy(req: IncomingMessage, res: ServerResponse, requestId: string, attempt: number): void {
  const up = request({
    host: BACKEND.hostname,
    port: BACKEND.port || 80,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, host: BACKEND.host, 'x-request-id': requestId, connection: 'close' },
    agent: false,
  });
  up.on('response', (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', (err: NodeJS.ErrnoException) => {
    const retry = req.method === 'GET' && attempt === 1 && !res.headersSent;
    proxyErrors.inc({ retried: String(retry) });
    log('warn', 'backend request failed', { requestId, path: req.url, code: err.code, message: err.message, retry });
    if (retry) return void setTimeout(() => proxy(req, res, requestId, 2), 100);
    if (!res.headersSent) reply(res, 502, { error: `backend ${BACKEND.host}: ${err.message}`, requestId });
    else res.destroy();
  });
  req.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  if (req.method === 'GET' || req.method === 'HEAD') up.end();
  else req.pipe(up);
}

const server = createServer((req, res) => {
  const started = performance.now();
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  if (stopping) res.setHeader('connection', 'close');
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  let route = 'other';
  res.on('finish', () => httpDuration.observe({ route, code: String(res.statusCode) }, (performance.now() - started) / 1000));
  if (path.startsWith('/api/')) {
    route = path.endsWith('/stream') ? '/api/instances/:name/stream' : path === '/api/instances/live' ? path : '/api/other';
    return proxy(req, res, requestId, 1);
  }
  if (path === '/' || path === '/index.html') {
    route = '/';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': PAGE.length });
    return void res.end(PAGE);
  }
  if (path === '/health') {
    route = path;
    return reply(res, stopping ? 503 : 200, { status: stopping ? 'draining' : 'ok' });
  }
  if (path === '/livez') {
    route = path;
    return reply(res, 200, { status: 'ok' });
  }
  reply(res, 404, { error: `no route ${path}` });
});
// Metrics on their own port: the NetworkPolicies admit Prometheus there and nowhere else.
const metricsServer = createServer((req, res) => {
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/metrics') {
    res.writeHead(404).end();
    return;
  }
  client.register.metrics().then(
    (text) => {
      res.writeHead(200, { 'content-type': client.register.contentType });
      res.end(text);
    },
    (err: Error) => {
      res.writeHead(500).end(err.message);
    },
  );
});
metricsServer.listen(METRICS_PORT);
server.keepAliveTimeout = 5000;
server.listen(PORT, () => log('info', 'frontend listening', { port: PORT, backend: BACKEND.href }));

process.on('SIGTERM', () => {
  stopping = true;
  log('info', 'SIGTERM: draining', { seconds: DRAIN_MS / 1000 });
  setTimeout(() => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  }, DRAIN_MS).unref();
});
