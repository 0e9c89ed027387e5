// Lego Loco backend — a service under test for the Lego Loco platform (seed 002).
//
// Discovers the emulator instances through the EndpointSlices of their
// Service (roadmap 2.3, SD-001…SD-020): one list, then a watch, through the
// in-cluster API with the pod's ServiceAccount token (its Role allows
// get/list/watch on endpointslices.discovery.k8s.io, nothing more). Serves
// the live instance list, proxies an instance's stream, and reports
// discovery metrics.
//
// Runs with Node 24's type stripping (`node src/main.ts`): erasable syntax only.
//
// Environment
//   PORT                 HTTP port, default 3001
//   METRICS_PORT         Prometheus metrics port, default 9464
//   EMULATOR_SERVICE     the emulators' Service, default loco-emulator
//   EMULATOR_PORT        the emulators' HTTP port, default 8080
//   DRAIN_SECONDS        after SIGTERM: seconds of answering (unready) before closing, default 5
//
// HTTP
//   GET /api/instances/live          the Ready instances: {instances: [{name, ip, ready, serving, terminating, node}], count, …}
//   GET /api/instances               every instance the EndpointSlices name (not Ready and terminating ones too)
//   GET /api/instances/{name}/stream the instance's frame stream, proxied
//   GET /api/discovery/status        mode, synced, last event, watch restarts
//   GET /health                      200 once the first list arrived and until SIGTERM (readiness)
//   GET /livez                       200 while the process answers (liveness)
//   GET /metrics on METRICS_PORT     Prometheus text format
// Every response carries X-Request-ID (the caller's, or a new one); log lines name it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hostname } from 'node:os';
import client from 'prom-client';

const HOST = hostname();
const env = (name: string, fallback: string): string => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : v;
};
const PORT = Number(env('PORT', '3001'));
const METRICS_PORT = Number(env('METRICS_PORT', '9464'));
// The only discovery there is (SD-025/026: the pod-based discovery and its mode flag are gone).
const MODE = 'endpointslices';
const SERVICE = env('EMULATOR_SERVICE', 'loco-emulator');
const EMULATOR_PORT = Number(env('EMULATOR_PORT', '8080'));
const DRAIN_MS = Number(env('DRAIN_SECONDS', '5')) * 1000;
const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

const log = (level: string, msg: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'loco-backend', instance: HOST, msg, ...fields })}\n`);
};

// ------------------------------------------------------------------ metrics
client.collectDefaultMetrics();
const latency = new client.Histogram({
  name: 'loco_discovery_latency_seconds',
  help: 'From a watch event on the emulator EndpointSlices arriving to the instance list served with it',
  buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
});
const triggerLag = new client.Histogram({
  name: 'loco_discovery_trigger_lag_seconds',
  help: "From the EndpointSlice's last-change-trigger-time (the pod change, second precision) to the instance list served with it",
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
});
const instancesGauge = new client.Gauge({ name: 'loco_discovery_instances', help: 'Emulator instances in the live list, by state', labelNames: ['state'] });
const events = new client.Counter({ name: 'loco_discovery_events_total', help: 'Watch events on the emulator EndpointSlices', labelNames: ['type'] });
const restarts = new client.Counter({ name: 'loco_discovery_watch_restarts_total', help: 'Watches started again', labelNames: ['reason'] });
const synced = new client.Gauge({ name: 'loco_discovery_synced', help: '1 once the first list of EndpointSlices arrived' });
const lastEvent = new client.Gauge({ name: 'loco_discovery_last_event_timestamp_seconds', help: 'When the last watch event arrived' });
const upstreams = new client.Gauge({ name: 'loco_backend_emulator_connections', help: 'Stream connections to emulator instances open now' });
const upstreamsTotal = new client.Counter({
  name: 'loco_backend_emulator_connections_total',
  help: 'Stream connections opened to emulator instances, by outcome',
  labelNames: ['outcome'],
});
const httpDuration = new client.Histogram({
  name: 'loco_backend_http_request_duration_seconds',
  help: 'HTTP requests served, by route and status code',
  labelNames: ['route', 'code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});
for (const state of ['ready', 'not_ready', 'terminating']) instancesGauge.set({ state }, 0);
synced.set(0);

// ------------------------------------------------------------------ discovery
interface Endpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  nodeName?: string;
  targetRef?: { kind?: string; name?: string };
}
interface Slice {
  metadata: { name: string; resourceVersion: string; annotations?: Record<string, string> };
  endpoints?: Endpoint[] | null;
}
interface Instance {
  name: string;
  ip: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  node: string;
}

const slices = new Map<string, Slice>();
let instances: Instance[] = [];
let updatedAt = new Date().toISOString();
let lastEventAt: string | null = null;
let isSynced = false;
let stopping = false;

const apiBase = `https://${env('KUBERNETES_SERVICE_HOST', 'kubernetes.default.svc')}:${env('KUBERNETES_SERVICE_PORT', '443')}`;
const namespace = readFileSync(`${SA}/namespace`, 'utf8').trim();
const slicesPath = `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${SERVICE}`)}`;

function kube(path: string, onResponse: (res: IncomingMessage) => void, onError: (err: Error) => void): void {
  // The token is read each time: the kubelet rotates it.
  const req = httpsRequest(`${apiBase}${path}`, {
    ca: readFileSync(`${SA}/ca.crt`),
    headers: { authorization: `Bearer ${readFileSync(`${SA}/token`, 'utf8').trim()}`, accept: 'application/json' },
  });
  req.on('response', onResponse);
  req.on('error', onError);
  req.end();
}

/** The instance list from the current slices: one entry per pod, ready ones first, by name. */
function publish(arrivedAt: number, slice?: Slice): void {
  const byName = new Map<string, Instance>();
  for (const s of slices.values())
    for (const e of s.endpoints ?? []) {
      const name = e.targetRef?.name ?? e.addresses[0];
      byName.set(name, {
        name,
        ip: e.addresses[0],
        ready: e.conditions?.ready ?? true,
        serving: e.conditions?.serving ?? e.conditions?.ready ?? true,
        terminating: e.conditions?.terminating ?? false,
        node: e.nodeName ?? '',
      });
    }
  instances = [...byName.values()].sort((a, b) => Number(b.ready) - Number(a.ready) || a.name.localeCompare(b.name, 'en', { numeric: true }));
  updatedAt = new Date().toISOString();
  const ready = instances.filter((i) => i.ready).length;
  const terminating = instances.filter((i) => i.terminating).length;
  instancesGauge.set({ state: 'ready' }, ready);
  instancesGauge.set({ state: 'terminating' }, terminating);
  instancesGauge.set({ state: 'not_ready' }, instances.length - ready - terminating);
  latency.observe((performance.now() - arrivedAt) / 1000);
  const trigger = slice?.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'];
  if (trigger) triggerLag.observe(Math.max(0, Date.now() - Date.parse(trigger)) / 1000);
}

function list(): void {
  kube(
    slicesPath,
    (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return retry('list', `list answered HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
        const arrivedAt = performance.now();
        const parsed = JSON.parse(body) as { items: Slice[]; metadata: { resourceVersion: string } };
        slices.clear();
        for (const s of parsed.items) slices.set(s.metadata.name, s);
        publish(arrivedAt);
        if (!isSynced) log('info', 'discovery synced', { emulatorService: SERVICE, slices: slices.size, instances: instances.length });
        isSynced = true;
        synced.set(1);
        watch(parsed.metadata.resourceVersion);
      });
    },
    (err) => retry('list', err.message),
  );
}

function watch(resourceVersion: string): void {
  let rv = resourceVersion;
  kube(
    `${slicesPath}&watch=1&allowWatchBookmarks=true&timeoutSeconds=240&resourceVersion=${rv}`,
    (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return retry('watch', `watch answered HTTP ${res.statusCode}`);
      }
      let buffered = '';
      let expired = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (!line.trim()) continue;
          const arrivedAt = performance.now();
          const ev = JSON.parse(line) as { type: string; object: Slice & { code?: number; message?: string } };
          events.inc({ type: ev.type });
          if (ev.type === 'ERROR') {
            expired = true;
            log('warn', 'watch error', { code: ev.object.code, message: ev.object.message });
            continue;
          }
          rv = ev.object.metadata.resourceVersion;
          if (ev.type === 'BOOKMARK') continue;
          if (ev.type === 'DELETED') slices.delete(ev.object.metadata.name);
          else slices.set(ev.object.metadata.name, ev.object);
          lastEventAt = new Date().toISOString();
          lastEvent.set(Date.now() / 1000);
          publish(arrivedAt, ev.object);
          log('info', 'instances changed', {
            event: ev.type,
            slice: ev.object.metadata.name,
            ready: instances.filter((i) => i.ready).length,
            total: instances.length,
          });
        }
      });
      res.on('end', () => {
        if (stopping) return;
        // A watch that timed out resumes where it was; an expired one (410) lists again.
        if (expired) return retry('expired', 'resourceVersion expired');
        restarts.inc({ reason: 'timeout' });
        watch(rv);
      });
      res.on('error', (err) => retry('watch', err.message));
    },
    (err) => retry('watch', err.message),
  );
}

let retrying = false;
function retry(reason: string, message: string): void {
  if (stopping || retrying) return;
  retrying = true;
  restarts.inc({ reason });
  log('warn', 'discovery restarting', { reason, message });
  setTimeout(() => {
    retrying = false;
    list();
  }, 1000);
}

// ------------------------------------------------------------------ http
function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function proxyStream(req: IncomingMessage, res: ServerResponse, name: string, requestId: string): void {
  const target = instances.find((i) => i.name === name && i.ready);
  if (!target) return reply(res, 404, { error: `no ready instance ${name}`, instances: instances.map((i) => i.name) });
  const search = new URL(req.url ?? '/', 'http://x').search;
  const up = httpRequest({ host: target.ip, port: EMULATOR_PORT, path: `/stream${search}`, headers: { 'x-request-id': requestId }, agent: false });
  up.on('socket', (socket) => {
    upstreams.inc();
    socket.once('close', () => upstreams.dec());
  });
  up.on('response', (r) => {
    upstreamsTotal.inc({ outcome: 'connected' });
    res.writeHead(r.statusCode ?? 502, {
      'content-type': r.headers['content-type'] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-request-id': requestId,
    });
    r.pipe(res);
  });
  up.on('error', (err) => {
    upstreamsTotal.inc({ outcome: 'failed' });
    if (!res.headersSent) reply(res, 502, { error: `instance ${name} (${target.ip}): ${err.message}` });
    else res.destroy();
  });
  req.on('close', () => up.destroy());
  up.end();
}

const server = createServer((req, res) => {
  const started = performance.now();
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  // While draining, each answer closes its connection so callers reconnect to a pod that stays.
  if (stopping) res.setHeader('connection', 'close');
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  let route = 'other';
  res.on('finish', () => {
    httpDuration.observe({ route, code: String(res.statusCode) }, (performance.now() - started) / 1000);
    if (route.startsWith('/api/'))
      log('info', 'request', { requestId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) });
  });
  const stream = /^\/api\/instances\/([\w.-]+)\/stream$/.exec(path);
  // live: the instances a user can play now (Ready endpoints); all: every endpoint with its conditions.
  if (path === '/api/instances/live' || path === '/api/instances') {
    route = path;
    const live = instances.filter((i) => i.ready);
    const shown = path === '/api/instances/live' ? live : instances;
    return reply(res, isSynced ? 200 : 503, {
      discovery: MODE,
      service: SERVICE,
      synced: isSynced,
      updatedAt,
      count: shown.length,
      ready: live.length,
      instances: shown,
    });
  }
  if (stream) {
    route = '/api/instances/:name/stream';
    return proxyStream(req, res, stream[1], requestId);
  }
  if (path === '/api/discovery/status') {
    route = path;
    return reply(res, 200, {
      mode: MODE,
      service: SERVICE,
      namespace,
      synced: isSynced,
      slices: slices.size,
      instances: instances.length,
      lastEventAt,
      updatedAt,
    });
  }
  if (path === '/health') {
    route = path;
    const ok = isSynced && !stopping;
    return reply(res, ok ? 200 : 503, { status: ok ? 'ok' : stopping ? 'draining' : 'discovering', synced: isSynced });
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
server.listen(PORT, () => log('info', 'backend listening', { port: PORT, discovery: MODE, emulatorService: SERVICE, namespace }));
list();

// SIGTERM: unready at once, answer for DRAIN_SECONDS while the Service drops this pod, then close.
process.on('SIGTERM', () => {
  stopping = true;
  log('info', 'SIGTERM: draining', { seconds: DRAIN_MS / 1000 });
  setTimeout(() => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  }, DRAIN_MS).unref();
});
