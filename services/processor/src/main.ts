// Conveyor processor — a service under test for the conveyor-pipeline milestones.
//
// Consumes JSON readings from the Kafka topic `conveyor` and writes them as
// points of measurement `conveyor_readings` into the InfluxDB 1.x database
// `conveyor`, over HTTP or HTTPS (own CA file), logging `Writing to InfluxDB`
// for every write; Prometheus metrics on :8000/metrics.
//
// Runs with Node 24's type stripping (`node src/main.ts`): erasable syntax only.
//
// Environment
//   KAFKA_BROKERS            comma list, default kafka:9092
//   KAFKA_TOPIC              default conveyor
//   KAFKA_GROUP_ID           default conveyor-processor
//   KAFKA_CLIENT_ID          default processor-<hostname>
//   KAFKA_TLS                true to connect with TLS (implied by KAFKA_CA_FILE)
//   KAFKA_CA_FILE            PEM CA bundle for the brokers
//   KAFKA_TLS_SERVER_NAME    expected broker certificate name
//   INFLUXDB_URL             default http://influxdb:8086 (https://... for TLS)
//   INFLUXDB_CA_FILE         PEM CA bundle that signed InfluxDB's certificate
//   INFLUXDB_TLS_SERVER_NAME expected certificate name (default: the URL host)
//   INFLUXDB_DB              default conveyor
//   INFLUXDB_MEASUREMENT     default conveyor_readings
//   INFLUXDB_USER / INFLUXDB_USER_PASSWORD   credentials (from a Secret)
//   KAFKA_STALL_SECONDS      restart the consumer after this long without heartbeat or batch, default 20
//   METRICS_PORT             default 8000
//
// HTTP on METRICS_PORT: /metrics, /healthz (liveness), /ready (readiness:
// consumer running and InfluxDB answered /ping).
import { readFileSync } from 'node:fs';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { hostname } from 'node:os';
import kafkajs from 'kafkajs';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import client from 'prom-client';
import { env, kafkaConfig, log, quietTimeoutWarnings, reply, serve } from '../../common/runtime.ts';

const { Kafka } = kafkajs;

quietTimeoutWarnings();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const HOST = hostname();
const KAFKA = kafkaConfig('processor', 10);
const BROKERS = KAFKA.brokers;
const TOPIC = env('KAFKA_TOPIC', 'conveyor');
const GROUP = env('KAFKA_GROUP_ID', 'conveyor-processor');
const KAFKA_TLS = KAFKA.ssl !== false;
const INFLUX_URL = new URL(env('INFLUXDB_URL', 'http://influxdb:8086'));
const INFLUX_CA = process.env.INFLUXDB_CA_FILE;
const INFLUX_DB = env('INFLUXDB_DB', 'conveyor');
const MEASUREMENT = env('INFLUXDB_MEASUREMENT', 'conveyor_readings');
const INFLUX_USER = process.env.INFLUXDB_USER ?? '';
const INFLUX_PASSWORD = process.env.INFLUXDB_USER_PASSWORD ?? process.env.INFLUXDB_PASSWORD ?? '';
const PORT = Number(env('METRICS_PORT', '8000'));
const HTTPS = INFLUX_URL.protocol === 'https:';

// ------------------------------------------------------------------ metrics
client.collectDefaultMetrics();
const consumed = new client.Counter({ name: 'processor_messages_consumed_total', help: 'Kafka messages consumed', labelNames: ['topic'] });
const invalid = new client.Counter({ name: 'processor_invalid_messages_total', help: 'Consumed messages that were not valid readings', labelNames: ['topic'] });
const writes = new client.Counter({
  name: 'processor_influxdb_writes_total',
  help: 'Points written to InfluxDB (database inserts)',
  labelNames: ['measurement'],
});
const writeRequests = new client.Counter({ name: 'processor_influxdb_write_requests_total', help: 'InfluxDB /write requests that succeeded' });
const writeErrors = new client.Counter({ name: 'processor_influxdb_write_errors_total', help: 'InfluxDB /write requests that failed' });
const writeDuration = new client.Histogram({
  name: 'processor_influxdb_write_duration_seconds',
  help: 'InfluxDB /write latency',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});
const lag = new client.Gauge({ name: 'processor_last_message_age_seconds', help: 'Age of the newest reading processed (producer timestamp to write)' });
const kafkaUp = new client.Gauge({ name: 'processor_kafka_connected', help: '1 while the consumer is running' });
const consumerRestarts = new client.Counter({ name: 'processor_kafka_consumer_restarts_total', help: 'Times the watchdog restarted a stalled Kafka consumer' });
const influxUp = new client.Gauge({ name: 'processor_influxdb_up', help: '1 when the last InfluxDB request succeeded' });
consumed.inc({ topic: TOPIC }, 0);
invalid.inc({ topic: TOPIC }, 0);
writes.inc({ measurement: MEASUREMENT }, 0);

// ------------------------------------------------------------------ influx
const agent = HTTPS
  ? new HttpsAgent({
      keepAlive: true,
      ca: INFLUX_CA ? readFileSync(INFLUX_CA, 'utf8') : undefined,
      servername: process.env.INFLUXDB_TLS_SERVER_NAME || undefined,
      rejectUnauthorized: true,
    })
  : new HttpAgent({ keepAlive: true });

interface InfluxResponse {
  status: number;
  body: string;
}

function influx(method: string, path: string, params: Record<string, string>, body?: string): Promise<InfluxResponse> {
  const url = new URL(path, INFLUX_URL);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (INFLUX_USER) headers.authorization = `Basic ${Buffer.from(`${INFLUX_USER}:${INFLUX_PASSWORD}`).toString('base64')}`;
  if (body !== undefined) {
    headers['content-type'] = 'text/plain; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const send = HTTPS ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`InfluxDB ${method} ${url.pathname} timed out after 10s`)));
    req.on('error', reject);
    req.end(body);
  });
}

let influxReady = false;
async function influxInit(): Promise<void> {
  let attempt = 0;
  while (!stopping) {
    attempt += 1;
    try {
      const ping = await influx('GET', '/ping', {});
      if (ping.status !== 204 && ping.status !== 200) throw new Error(`/ping answered ${ping.status}`);
      // Create the database when the user may (admin); a writer-only user
      // gets 403 here and relies on the database existing (INFLUXDB_DB).
      const created = await influx('POST', '/query', { q: `CREATE DATABASE "${INFLUX_DB}"` });
      if (created.status >= 400 && created.status !== 403) log(`CREATE DATABASE ${INFLUX_DB} answered ${created.status}: ${created.body.trim()}`);
      influxReady = true;
      influxUp.set(1);
      log(`Connected to InfluxDB ${INFLUX_URL.origin} (https=${HTTPS}${HTTPS && INFLUX_CA ? `, CA ${INFLUX_CA}` : ''}), database ${INFLUX_DB}`);
      return;
    } catch (err) {
      influxUp.set(0);
      log(`InfluxDB not reachable yet (attempt ${attempt}, ${INFLUX_URL.origin}): ${(err as Error).message}`);
      await sleep(Math.min(5000, 500 * attempt));
    }
  }
}

const escTag = (v: string): string => v.replace(/[,= ]/g, (c) => `\\${c}`);
const escStr = (v: string): string => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;

interface Reading {
  conveyor_id?: string;
  sensor_id?: string;
  speed_mps?: number;
  temperature_c?: number;
  load_kg?: number;
  status?: string;
  seq?: number;
  producer?: string;
  timestamp?: string;
}

/** One reading → one line of InfluxDB line protocol (ms precision); undefined when invalid. */
function toLine(raw: string, fallbackMs: number): { line: string; ms: number } | undefined {
  let r: Reading;
  try {
    r = JSON.parse(raw) as Reading;
  } catch {
    return undefined;
  }
  if (typeof r !== 'object' || r === null) return undefined;
  const fields: string[] = [];
  for (const k of ['speed_mps', 'temperature_c', 'load_kg'] as const) {
    const v = r[k];
    if (typeof v === 'number' && Number.isFinite(v)) fields.push(`${k}=${v}`);
  }
  if (typeof r.seq === 'number' && Number.isInteger(r.seq)) fields.push(`seq=${r.seq}i`);
  if (typeof r.status === 'string') fields.push(`status=${escStr(r.status)}`);
  if (!fields.length) return undefined;
  const tags = [`conveyor_id=${escTag(String(r.conveyor_id ?? 'unknown') || 'unknown')}`, `sensor_id=${escTag(String(r.sensor_id ?? 'unknown') || 'unknown')}`];
  if (r.producer) tags.push(`producer=${escTag(String(r.producer))}`);
  tags.sort();
  const parsed = r.timestamp ? Date.parse(r.timestamp) : NaN;
  const ms = Number.isFinite(parsed) ? parsed : fallbackMs;
  return { line: `${escTag(MEASUREMENT)},${tags.join(',')} ${fields.join(',')} ${ms}`, ms };
}

async function writePoints(lines: string[]): Promise<void> {
  const end = writeDuration.startTimer();
  let res: InfluxResponse;
  try {
    res = await influx('POST', '/write', { db: INFLUX_DB, precision: 'ms' }, lines.join('\n'));
  } catch (err) {
    writeErrors.inc();
    influxUp.set(0);
    throw err;
  } finally {
    end();
  }
  if (res.status !== 204 && res.status !== 200) {
    writeErrors.inc();
    influxUp.set(res.status >= 500 ? 0 : 1);
    throw new Error(`InfluxDB /write answered ${res.status}: ${res.body.trim().slice(0, 300)}`);
  }
  influxUp.set(1);
  writeRequests.inc();
  writes.inc({ measurement: MEASUREMENT }, lines.length);
}

// ------------------------------------------------------------------ kafka
// A fresh client per (re)start: kafkajs caches broker addresses, and the
// broker advertises its pod IP, which changes when the pod is replaced.
const makeKafka = () => new Kafka(KAFKA);

let consumer: Consumer | undefined;
let running = false;
let stopping = false;
let lastAlive = Date.now(); // last heartbeat or batch: the consumer talks to the group coordinator
const STALL_S = Number(env('KAFKA_STALL_SECONDS', '20'));

async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
  const lines: string[] = [];
  let newest = 0;
  const now = Date.now();
  for (const m of batch.messages) {
    if (!isRunning() || isStale()) break;
    consumed.inc({ topic: batch.topic });
    const p = m.value ? toLine(m.value.toString('utf8'), Number(m.timestamp) || now) : undefined;
    if (p) {
      lines.push(p.line);
      newest = Math.max(newest, p.ms);
    } else invalid.inc({ topic: batch.topic });
  }
  if (lines.length) {
    // Retry a failed write (InfluxDB restarting) before giving the batch back to Kafka.
    for (let attempt = 1; ; attempt++) {
      try {
        log(
          `Writing to InfluxDB: ${lines.length} points to ${INFLUX_DB}.${MEASUREMENT} (${INFLUX_URL.protocol.replace(':', '')}://${INFLUX_URL.host}, partition ${batch.partition})`,
        );
        await writePoints(lines);
        break;
      } catch (err) {
        log(`InfluxDB write failed (attempt ${attempt}): ${(err as Error).message}`);
        if (attempt >= 5 || !isRunning()) throw err;
        await sleep(500 * attempt);
        await heartbeat();
      }
    }
    if (newest) lag.set((Date.now() - newest) / 1000);
  }
  const last = batch.messages[batch.messages.length - 1];
  if (last) resolveOffset(last.offset);
  await heartbeat();
}

async function startConsumer(): Promise<void> {
  let attempt = 0;
  while (!stopping) {
    attempt += 1;
    try {
      const kafka = makeKafka();
      consumer = kafka.consumer({
        groupId: GROUP,
        sessionTimeout: 15_000,
        heartbeatInterval: 3000,
        minBytes: 16384,
        maxWaitTimeInMs: 1000,
        retry: { retries: 10 },
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) =>
        log(`Joined consumer group ${GROUP} (${e.payload.memberId}), partitions ${JSON.stringify(e.payload.memberAssignment)}`),
      );
      consumer.on(consumer.events.HEARTBEAT, () => {
        lastAlive = Date.now();
      });
      consumer.on(consumer.events.END_BATCH_PROCESS, () => {
        lastAlive = Date.now();
      });
      consumer.on(consumer.events.CRASH, (e) => {
        running = false;
        kafkaUp.set(0);
        log(`Kafka consumer crashed: ${e.payload.error.message} (restart=${e.payload.restart})`);
        if (!e.payload.restart && !stopping) {
          // kafkajs gives up: exit so Kubernetes restarts the pod (liveness of the pipeline).
          log('Kafka consumer will not restart by itself; exiting');
          process.exit(1);
        }
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
      await consumer.run({ autoCommit: true, autoCommitInterval: 2000, eachBatchAutoResolve: false, eachBatch });
      running = true;
      lastAlive = Date.now();
      kafkaUp.set(1);
      log(`Consuming topic ${TOPIC} from Kafka ${BROKERS.join(',')} (tls=${KAFKA_TLS}) as group ${GROUP}`);
      return;
    } catch (err) {
      log(`Kafka not reachable yet (attempt ${attempt}, brokers ${BROKERS.join(',')}): ${(err as Error).message}`);
      await consumer?.disconnect().catch(() => undefined);
      await sleep(Math.min(5000, 500 * attempt));
    }
  }
}

// Watchdog: no heartbeat and no batch for STALL_S seconds means the consumer
// lost its coordinator (e.g. Kafka came back on a new pod IP): start over
// with a fresh client, which bootstraps through the Service again.
let restarting = false;
setInterval(async () => {
  if (!running || stopping || restarting || Date.now() - lastAlive < STALL_S * 1000) return;
  restarting = true;
  running = false;
  kafkaUp.set(0);
  consumerRestarts.inc();
  log(`Kafka consumer stalled (no heartbeat for ${Math.round((Date.now() - lastAlive) / 1000)}s); reconnecting with a fresh client`);
  try {
    const old = consumer;
    await Promise.race([old?.disconnect().catch(() => undefined), sleep(10_000)]);
    await startConsumer();
  } finally {
    restarting = false;
  }
}, 5000).unref();

// ------------------------------------------------------------------ http
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  req.resume();
  switch (url.pathname) {
    case '/metrics':
      return reply(res, 200, await client.register.metrics(), client.register.contentType);
    case '/healthz':
    case '/livez':
      return reply(res, 200, { status: 'ok' });
    case '/ready':
    case '/readyz': {
      const ok = running && influxReady && !stopping;
      return reply(res, ok ? 200 : 503, {
        status: ok ? 'ready' : 'not ready',
        kafka: running ? 'consuming' : 'not consuming',
        influxdb: influxReady ? 'reachable' : 'not reachable',
        stopping,
      });
    }
    case '/':
      return reply(res, 200, {
        service: 'processor',
        pod: HOST,
        topic: TOPIC,
        group: GROUP,
        influxdb: `${INFLUX_URL.origin}/${INFLUX_DB}`,
        measurement: MEASUREMENT,
      });
    default:
      return reply(res, 404, { error: `no route ${url.pathname}` });
  }
}

const server = serve(PORT, 'Processor', handle);

// ------------------------------------------------------------------ lifecycle
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`Received ${signal}: stopping consumer`);
  const force = setTimeout(() => {
    log('Shutdown took too long; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  try {
    await consumer?.disconnect(); // finishes the batch in hand and commits its offsets
  } catch (err) {
    log(`Kafka disconnect failed: ${(err as Error).message}`);
  }
  server.close();
  server.closeIdleConnections();
  agent.destroy();
  log('Processor stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

void influxInit().then(() => (stopping ? undefined : startConsumer()));
