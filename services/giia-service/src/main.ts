// GIIA service — the stand-in for the six services of the GIIA development cluster (seed 003):
// auth, catalog, ddmrp-engine, execution, analytics and ai-agent run this one image; SERVICE_NAME
// says which. What the platform's criteria observe is real: the connections to PostgreSQL and
// Redis (visible in pg_stat_activity and CLIENT LIST under the service's name), events persisted
// in the JetStream stream EVENTS, a gRPC health service (grpc.health.v1, spoken over node:http2:
// no gRPC library is installed) that other services call, and Prometheus metrics.
//
// Runs with Node 24's type stripping (`node src/main.ts`): erasable syntax only.
//
// Environment (shared-config / shared-secrets / the chart's env)
//   SERVICE_NAME              e.g. auth-service (default)
//   PORT, GRPC_PORT           HTTP port (default 8081), gRPC port (default 9091)
//   LOG_LEVEL                 debug | info | warn | error (default info)
//   DATABASE_HOST/PORT/USER/NAME, DATABASE_PASSWORD; DATABASE_SCHEMA (default: the service's)
//   REDIS_URL, REDIS_PASSWORD
//   NATS_URL; EVENTS_STREAM (default EVENTS, subjects events.>)
//   GRPC_UPSTREAMS            host:port list whose gRPC health this service checks (e.g. catalog -> auth-service:9091)
//   CHECK_INTERVAL_SECONDS    dependency and upstream checks (default 5)
//   DRAIN_SECONDS             after SIGTERM: seconds of still answering before closing (default 5)
//
// HTTP (PORT)
//   GET  /health   200 while PostgreSQL, Redis and NATS answer (JSON names each), 503 otherwise
//   GET  /livez    200 while the process answers
//   ANY  /events   publishes one event to JetStream (subject events.<service>), counts it in Redis: 202 {stream, seq}
//   GET  /upstreams  the last gRPC health check of each upstream
//   GET  /metrics  Prometheus text format (http_*, grpc_server_handled_total, grpc_client_handled_total, giia_*)
//   GET  /         {service, version}
// gRPC (GRPC_PORT, h2c): /grpc.health.v1.Health/Check -> SERVING for "" and the service's own name.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect as http2Connect, createServer as createHttp2Server } from 'node:http2';
import type { ServerHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { connect as natsConnect, JSONCodec, RetentionPolicy, StorageType } from 'nats';
import type { JetStreamClient, NatsConnection } from 'nats';
import pg from 'pg';
import client from 'prom-client';
import { env, num, reply } from '../../common/runtime.ts';

const HOST = hostname();
const SERVICE = env('SERVICE_NAME', 'auth-service');
const VERSION = env('APP_VERSION', '0.1.0');
const PORT = num('PORT', 8081);
const GRPC_PORT = num('GRPC_PORT', 9091);
const CHECK_MS = num('CHECK_INTERVAL_SECONDS', 5) * 1000;
const DRAIN_MS = num('DRAIN_SECONDS', 5) * 1000;
const STREAM = env('EVENTS_STREAM', 'EVENTS');
const SUBJECT = `events.${SERVICE.replace(/-service$/, '')}`;
const SCHEMA = env(
  'DATABASE_SCHEMA',
  SERVICE.replace(/-service$/, '')
    .replace(/-engine$/, '')
    .replace(/-/g, '_'),
);
const UPSTREAMS = env('GRPC_UPSTREAMS', '')
  .split(',')
  .map((u) => u.trim())
  .filter(Boolean);

const LEVELS = ['debug', 'info', 'warn', 'error'];
const minLevel = Math.max(0, LEVELS.indexOf(env('LOG_LEVEL', 'info').toLowerCase()));
const log = (level: string, msg: string, fields: Record<string, unknown> = {}): void => {
  if (LEVELS.indexOf(level) < minLevel) return;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: SERVICE, instance: HOST, msg, ...fields })}\n`);
};

// ------------------------------------------------------------------ metrics
client.collectDefaultMetrics();
client.register.setDefaultLabels({ service: SERVICE });
const httpRequests = new client.Counter({ name: 'http_requests_total', help: 'HTTP requests served, by route and status code', labelNames: ['route', 'code'] });
const httpDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration, by route',
  labelNames: ['route'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});
const grpcServer = new client.Counter({
  name: 'grpc_server_handled_total',
  help: 'gRPC calls completed by this server',
  labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
});
const grpcClient = new client.Counter({
  name: 'grpc_client_handled_total',
  help: 'gRPC calls this service made to its upstreams, by outcome',
  labelNames: ['grpc_service', 'grpc_method', 'grpc_code', 'target'],
});
const dependencyUp = new client.Gauge({ name: 'giia_dependency_up', help: '1 when the last check of the dependency succeeded', labelNames: ['dependency'] });
const eventsPublished = new client.Counter({ name: 'giia_events_published_total', help: 'Events acknowledged by JetStream', labelNames: ['stream'] });

// ------------------------------------------------------------------ dependencies
type Dep = 'postgresql' | 'redis' | 'nats';
const depState: Record<Dep, { ok: boolean; error?: string; checkedAt?: string }> = {
  postgresql: { ok: false, error: 'not checked yet' },
  redis: { ok: false, error: 'not checked yet' },
  nats: { ok: false, error: 'not checked yet' },
};
const mark = (dep: Dep, ok: boolean, error?: string): void => {
  const was = depState[dep].ok;
  depState[dep] = { ok, error, checkedAt: new Date().toISOString() };
  dependencyUp.set({ dependency: dep }, ok ? 1 : 0);
  if (was !== ok) log(ok ? 'info' : 'warn', ok ? `${dep} connected` : `${dep} unavailable`, error ? { error } : {});
};

// One long-lived session, so pg_stat_activity lists the service (application_name) while it runs.
const pgConfig = {
  host: env('DATABASE_HOST', 'postgresql'),
  port: num('DATABASE_PORT', 5432),
  user: env('DATABASE_USER', 'giia'),
  database: env('DATABASE_NAME', 'giia_dev'),
  password: process.env.DATABASE_PASSWORD,
  application_name: SERVICE,
  connectionTimeoutMillis: 3000,
  query_timeout: 3000,
};
let pgClient: pg.Client | null = null;
async function checkPostgres(): Promise<void> {
  try {
    if (!pgClient) {
      const c = new pg.Client(pgConfig);
      c.on('error', (err: Error) => {
        mark('postgresql', false, err.message);
        pgClient = null;
      });
      await c.connect();
      pgClient = c;
    }
    // The service's schema (created by the chart's initdb) must be there, not just the server.
    const r = await pgClient.query('SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1', [SCHEMA]);
    if (r.rows[0].n !== 1) throw new Error(`schema ${SCHEMA} does not exist in ${pgConfig.database}`);
    mark('postgresql', true);
  } catch (err) {
    mark('postgresql', false, (err as Error).message);
    const c = pgClient;
    pgClient = null;
    await c?.end().catch(() => undefined);
  }
}

const redis = new Redis(env('REDIS_URL', 'redis://redis-master:6379'), {
  password: process.env.REDIS_PASSWORD || undefined,
  connectionName: SERVICE,
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 3000,
  retryStrategy: (times: number) => Math.min(times * 500, 5000),
});
redis.on('error', (err: Error) => mark('redis', false, err.message));
async function checkRedis(): Promise<void> {
  try {
    if (redis.status === 'wait') await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    mark('redis', true);
  } catch (err) {
    mark('redis', false, (err as Error).message);
  }
}

let nc: NatsConnection | null = null;
let js: JetStreamClient | null = null;
const jc = JSONCodec();
async function checkNats(): Promise<void> {
  try {
    if (!nc || nc.isClosed()) {
      nc = await natsConnect({ servers: env('NATS_URL', 'nats://nats:4222'), name: SERVICE, timeout: 3000, maxReconnectAttempts: -1 });
      const jsm = await nc.jetstreamManager();
      // Every service may be first: add the stream when it is missing, never replace it.
      await jsm.streams.info(STREAM).catch(async () => {
        await jsm.streams.add({
          name: STREAM,
          subjects: ['events.>'],
          storage: StorageType.File,
          retention: RetentionPolicy.Limits,
          max_age: 7 * 24 * 3600 * 1e9,
        });
        log('info', `JetStream stream ${STREAM} created`);
      });
      js = nc.jetstream();
    }
    await nc.flush();
    mark('nats', true);
  } catch (err) {
    mark('nats', false, (err as Error).message);
    const c = nc;
    nc = null;
    js = null;
    await c?.close().catch(() => undefined);
  }
}

// ------------------------------------------------------------------ gRPC (h2c, grpc.health.v1)
const HEALTH = 'grpc.health.v1.Health';
const GRPC = { OK: 0, NOT_FOUND: 5, UNIMPLEMENTED: 12 } as const;
const CODE_NAMES: Record<number, string> = { 0: 'OK', 5: 'NotFound', 12: 'Unimplemented', 14: 'Unavailable', 4: 'DeadlineExceeded', 13: 'Internal' };
/** A length-prefixed gRPC message (uncompressed). */
const frame = (payload: Buffer): Buffer => {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
};
/** Field 1 (string) of a protobuf message: HealthCheckRequest.service. */
function requestedService(body: Buffer): string {
  const msg = body.subarray(5);
  if (msg.length < 2 || msg[0] !== 0x0a) return '';
  return msg.subarray(2, 2 + msg[1]).toString('utf8');
}
function serveGrpc(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  const path = String(headers[':path'] ?? '');
  const [, svc = '', method = ''] = path.split('/');
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => {
    let code: number = GRPC.UNIMPLEMENTED;
    let payload: Buffer | null = null;
    if (svc === HEALTH && method === 'Check') {
      const asked = requestedService(Buffer.concat(chunks));
      if (asked === '' || asked === SERVICE) {
        code = GRPC.OK;
        payload = Buffer.from([0x08, stopping ? 2 : 1]); // status: SERVING (1) / NOT_SERVING (2)
      } else code = GRPC.NOT_FOUND;
    }
    grpcServer.inc({ grpc_service: svc, grpc_method: method, grpc_code: CODE_NAMES[code] ?? String(code) });
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(code), ...(code ? { 'grpc-message': `${path} is not served` } : {}) }));
    stream.end(payload ? frame(payload) : undefined);
  });
}
const grpcServerH2 = createHttp2Server();
grpcServerH2.on('stream', serveGrpc);
grpcServerH2.on('sessionError', (err: Error) => log('debug', 'gRPC session error', { error: err.message }));

interface UpstreamCheck {
  target: string;
  status: string;
  grpcCode: string;
  latencyMs: number;
  at: string;
  error?: string;
}
const upstreamChecks = new Map<string, UpstreamCheck>();
/** One grpc.health.v1.Health/Check call to host:port; resolves with the status it reports. */
function grpcHealthCheck(target: string, timeoutMs = 3000): Promise<UpstreamCheck> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const done = (grpcCode: string, status: string, error?: string): void => {
      session.close();
      const r: UpstreamCheck = { target, status, grpcCode, latencyMs: Math.round(performance.now() - t0), at: new Date().toISOString(), error };
      grpcClient.inc({ grpc_service: HEALTH, grpc_method: 'Check', grpc_code: grpcCode, target });
      resolve(r);
    };
    const session = http2Connect(`http://${target}`);
    session.on('error', (err: Error) => done('Unavailable', 'UNKNOWN', err.message));
    session.setTimeout(timeoutMs, () => done('DeadlineExceeded', 'UNKNOWN', `no answer within ${timeoutMs}ms`));
    const req = session.request({ ':method': 'POST', ':path': `/${HEALTH}/Check`, 'content-type': 'application/grpc', te: 'trailers' });
    const body: Buffer[] = [];
    let grpcStatus = '';
    req.on('data', (c: Buffer) => body.push(c));
    req.on('trailers', (t: IncomingHttpHeaders) => (grpcStatus = String(t['grpc-status'] ?? '')));
    req.on('response', (h: IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    req.on('error', (err: Error) => done('Unavailable', 'UNKNOWN', err.message));
    req.on('end', () => {
      const msg = Buffer.concat(body).subarray(5);
      const status = msg[0] === 0x08 ? (['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'][msg[1]] ?? 'UNKNOWN') : 'UNKNOWN';
      done(CODE_NAMES[Number(grpcStatus)] ?? `code ${grpcStatus || '?'}`, status);
    });
    req.end(frame(Buffer.alloc(0)));
  });
}

// ------------------------------------------------------------------ HTTP
let stopping = false;
const allUp = (): boolean => Object.values(depState).every((d) => d.ok);

async function publishEvent(req: IncomingMessage, requestId: string): Promise<{ stream: string; seq: number; subject: string }> {
  if (!js) throw new Error('NATS JetStream is not connected');
  const event = { id: requestId, service: SERVICE, instance: HOST, method: req.method, at: new Date().toISOString() };
  const ack = await js.publish(SUBJECT, jc.encode(event), { msgID: requestId, timeout: 3000 });
  eventsPublished.inc({ stream: ack.stream });
  await redis.incr(`giia:${SERVICE}:events`).catch((err: Error) => log('warn', 'redis INCR failed', { error: err.message }));
  return { stream: ack.stream, seq: ack.seq, subject: SUBJECT };
}

async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<[string, number]> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/health' || path === '/healthz') {
    // Still 200 while draining: Kubernetes already takes a terminating pod out of its Services, and
    // requests that reach it meanwhile are served, not refused (rolling updates lose none).
    const ok = allUp();
    reply(res, ok ? 200 : 503, { status: ok ? (stopping ? 'draining' : 'ok') : 'degraded', service: SERVICE, instance: HOST, dependencies: depState });
    return ['/health', ok ? 200 : 503];
  }
  if (path === '/livez') {
    reply(res, 200, { status: 'alive' });
    return ['/livez', 200];
  }
  if (path === '/metrics') {
    reply(res, 200, await client.register.metrics(), client.register.contentType);
    return ['/metrics', 200];
  }
  if (path === '/events') {
    try {
      const ack = await publishEvent(req, requestId);
      reply(res, 202, { published: true, ...ack });
      return ['/events', 202];
    } catch (err) {
      log('error', 'event not published', { error: (err as Error).message, requestId });
      reply(res, 503, { published: false, error: (err as Error).message });
      return ['/events', 503];
    }
  }
  if (path === '/upstreams') {
    reply(res, 200, { service: SERVICE, upstreams: [...upstreamChecks.values()] });
    return ['/upstreams', 200];
  }
  if (path === '/') {
    reply(res, 200, { service: SERVICE, version: VERSION, instance: HOST });
    return ['/', 200];
  }
  reply(res, 404, { error: `no route ${path}` });
  return ['other', 404];
}

const httpServer = createServer((req, res) => {
  const t0 = performance.now();
  const requestId = String(req.headers['x-request-id'] ?? randomUUID());
  res.setHeader('x-request-id', requestId);
  handle(req, res, requestId)
    .then(([route, code]) => {
      httpRequests.inc({ route, code: String(code) });
      httpDuration.observe({ route }, (performance.now() - t0) / 1000);
      if (route !== '/metrics' && route !== '/health' && route !== '/livez') log('debug', 'request', { route, code, requestId });
    })
    .catch((err: Error) => {
      httpRequests.inc({ route: 'error', code: '500' });
      log('error', 'request failed', { error: err.message, requestId });
      if (!res.headersSent) reply(res, 500, { error: err.message });
      else res.destroy(err);
    });
});

// ------------------------------------------------------------------ lifecycle
async function checkAll(): Promise<void> {
  await Promise.all([checkPostgres(), checkRedis(), checkNats()]);
  for (const target of UPSTREAMS) {
    const r = await grpcHealthCheck(target);
    const was = upstreamChecks.get(target)?.status;
    upstreamChecks.set(target, r);
    if (was !== r.status) log(r.status === 'SERVING' ? 'info' : 'warn', `gRPC upstream ${target}: ${r.status}`, r.error ? { error: r.error } : {});
  }
}
let timer: NodeJS.Timeout | undefined;
const loop = (): void => {
  checkAll()
    .catch((err: Error) => log('error', 'dependency check failed', { error: err.message }))
    .finally(() => {
      if (!stopping) timer = setTimeout(loop, CHECK_MS);
    });
};

httpServer.listen(PORT, () => log('info', `${SERVICE} ${VERSION} serving HTTP on :${PORT} (schema ${SCHEMA}, events -> ${STREAM}/${SUBJECT})`));
grpcServerH2.listen(GRPC_PORT, () =>
  log('info', `${SERVICE} serving gRPC health on :${GRPC_PORT}${UPSTREAMS.length ? `; checking ${UPSTREAMS.join(', ')}` : ''}`),
);
loop();

// Keep answering for DRAIN_SECONDS after SIGTERM, so no request lands on a closed socket while
// the endpoint's removal travels to every kube-proxy: rolling updates lose no request.
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  clearTimeout(timer);
  log('info', `SIGTERM: draining for ${DRAIN_MS / 1000}s`);
  setTimeout(() => {
    httpServer.close();
    grpcServerH2.close();
    httpServer.closeAllConnections();
    void Promise.allSettled([pgClient?.end(), redis.quit(), nc?.drain()]).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  }, DRAIN_MS);
});
