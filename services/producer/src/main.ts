// Conveyor producer — a service under test for the conveyor-pipeline milestones.
//
// Produces JSON conveyor readings to the Kafka topic `conveyor` at a steady
// rate, logs `Speed: <n> msg/s` every few seconds, serves Prometheus metrics
// on :8000/metrics and offers a CPU work endpoint so a load test can make its
// HorizontalPodAutoscaler scale.
//
// Runs with Node 24's type stripping (`node src/main.ts`): erasable syntax only.
//
// Environment
//   KAFKA_BROKERS            comma list, default kafka:9092
//   KAFKA_TOPIC              default conveyor
//   KAFKA_TOPIC_PARTITIONS   partitions when the producer creates the topic, default 3
//   KAFKA_CLIENT_ID          default producer-<hostname>
//   KAFKA_TLS                true to connect with TLS (implied by KAFKA_CA_FILE)
//   KAFKA_CA_FILE            PEM CA bundle that signed the brokers' certificates
//   KAFKA_TLS_SERVER_NAME    expected broker certificate name (default: the broker host)
//   PRODUCER_RATE            messages per second, default 10
//   SPEED_LOG_INTERVAL_S     seconds between `Speed:` lines, default 5
//   METRICS_PORT             default 8000 (metrics, health, work endpoints)
//   WORK_MAX_MS              cap for one /work request's CPU time, default 2000
//
// HTTP on METRICS_PORT
//   GET  /metrics            Prometheus text format
//   GET  /healthz            liveness: the process and its event loop answer
//   GET  /ready              readiness: 200 once connected to Kafka
//   GET|POST /work?ms=200    burns CPU for ~ms milliseconds (in 10 ms slices), answers JSON
//   POST /burst?n=1000       sends n extra readings at once, answers JSON
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { createHash } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Producer } from 'kafkajs';
import client from 'prom-client';
import { env, kafkaConfig, log, num, quietTimeoutWarnings, reply, serve } from '../../common/runtime.ts';

const { Kafka, CompressionTypes } = kafkajs;
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1'; // keyed by conveyor_id; the default partitioner is fine

quietTimeoutWarnings();

const HOST = hostname();
const KAFKA = kafkaConfig('producer', 8);
const BROKERS = KAFKA.brokers;
const TOPIC = env('KAFKA_TOPIC', 'conveyor');
const PARTITIONS = num('KAFKA_TOPIC_PARTITIONS', 3);
const RATE = num('PRODUCER_RATE', 10);
const SPEED_INTERVAL_S = num('SPEED_LOG_INTERVAL_S', 5);
const PORT = num('METRICS_PORT', 8000);
const WORK_MAX_MS = num('WORK_MAX_MS', 2000);
const TLS = KAFKA.ssl !== false;

// ------------------------------------------------------------------ metrics
client.collectDefaultMetrics();
const sent = new client.Counter({ name: 'producer_messages_sent_total', help: 'Readings acknowledged by Kafka', labelNames: ['topic'] });
const sendErrors = new client.Counter({ name: 'producer_send_errors_total', help: 'Failed Kafka sends', labelNames: ['topic'] });
const rateGauge = new client.Gauge({ name: 'producer_messages_per_second', help: 'Readings acknowledged per second over the last speed interval' });
const targetRate = new client.Gauge({ name: 'producer_target_rate', help: 'Configured readings per second (PRODUCER_RATE)' });
const workRequests = new client.Counter({ name: 'producer_work_requests_total', help: 'CPU work requests served (/work)' });
const workSeconds = new client.Counter({ name: 'producer_work_cpu_seconds_total', help: 'Wall seconds spent in /work CPU loops' });
const bursts = new client.Counter({ name: 'producer_burst_messages_total', help: 'Readings sent by /burst requests' });
const kafkaUp = new client.Gauge({ name: 'producer_kafka_connected', help: '1 while the Kafka producer is connected' });
targetRate.set(RATE);
sent.inc({ topic: TOPIC }, 0);
sendErrors.inc({ topic: TOPIC }, 0);

// ------------------------------------------------------------------ kafka
const kafka = new Kafka(KAFKA);

let producer: Producer | undefined;
let connected = false;
let stopping = false;
let seq = 0;

function reading(): { key: string; value: string } {
  seq += 1;
  const conveyor = `conveyor-${(seq % 4) + 1}`;
  const t = Date.now();
  const value = {
    conveyor_id: conveyor,
    sensor_id: `${conveyor}-s${(seq % 3) + 1}`,
    speed_mps: Math.round((1.5 + Math.sin(t / 10_000) * 0.5 + Math.random() * 0.1) * 1000) / 1000,
    temperature_c: Math.round((35 + Math.random() * 10) * 100) / 100,
    load_kg: Math.round(Math.random() * 50_000) / 100,
    status: Math.random() < 0.01 ? 'warning' : 'ok',
    seq,
    producer: HOST,
    timestamp: new Date(t).toISOString(),
  };
  return { key: conveyor, value: JSON.stringify(value) };
}

async function send(n: number): Promise<number> {
  if (!producer || !connected) throw new Error('not connected to Kafka');
  const messages = Array.from({ length: n }, reading);
  try {
    await producer.send({ topic: TOPIC, messages, compression: CompressionTypes.None });
    sent.inc({ topic: TOPIC }, n);
    return n;
  } catch (err) {
    sendErrors.inc({ topic: TOPIC }, n);
    throw err;
  }
}

async function ensureTopic(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(TOPIC)) {
      const created = await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
      if (created) log(`Created Kafka topic ${TOPIC} (${PARTITIONS} partitions)`);
    }
  } finally {
    await admin.disconnect();
  }
}

async function connectLoop(): Promise<void> {
  let attempt = 0;
  while (!stopping) {
    attempt += 1;
    try {
      await ensureTopic();
      producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 5 } });
      producer.on(producer.events.DISCONNECT, () => {
        connected = false;
        kafkaUp.set(0);
        if (!stopping) log('Kafka producer disconnected; will reconnect');
      });
      await producer.connect();
      connected = true;
      kafkaUp.set(1);
      log(`Connected to Kafka ${BROKERS.join(',')} (tls=${TLS}), producing to topic ${TOPIC} at ${RATE} msg/s`);
      return;
    } catch (err) {
      log(`Kafka not reachable yet (attempt ${attempt}, brokers ${BROKERS.join(',')}): ${(err as Error).message}`);
      await sleep(Math.min(5000, 500 * attempt));
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Steady rate: every tick send the readings that are due since the start.
async function produceLoop(): Promise<void> {
  const tickMs = 100;
  let due = 0;
  let inFlight = false;
  const timer = setInterval(() => {
    if (stopping || RATE === 0) return;
    due += (RATE * tickMs) / 1000;
    if (!connected) {
      if (!reconnecting) void reconnect();
      return;
    }
    if (inFlight) return;
    const n = Math.floor(due);
    if (n < 1) return;
    due -= n;
    inFlight = true;
    send(n)
      .catch((err: Error) => log(`Send failed: ${err.message}`))
      .finally(() => {
        inFlight = false;
      });
    // Do not pile up a backlog while Kafka is away: at most one second due.
    due = Math.min(due, RATE);
  }, tickMs);
  stopTimers.push(() => clearInterval(timer));
}

let reconnecting = false;
async function reconnect(): Promise<void> {
  if (reconnecting) return;
  reconnecting = true;
  try {
    await producer?.disconnect().catch(() => undefined);
    await connectLoop();
  } finally {
    reconnecting = false;
  }
}

function speedLoop(): void {
  let last = 0;
  let lastAt = Date.now();
  const timer = setInterval(async () => {
    const total = (await sent.get()).values.reduce((s, v) => s + v.value, 0);
    const now = Date.now();
    const speed = ((total - last) * 1000) / (now - lastAt);
    last = total;
    lastAt = now;
    rateGauge.set(speed);
    log(`Speed: ${speed.toFixed(1)} msg/s (topic ${TOPIC}, sent ${total} total${connected ? '' : ', Kafka disconnected'})`);
  }, SPEED_INTERVAL_S * 1000);
  stopTimers.push(() => clearInterval(timer));
}

// ------------------------------------------------------------------ http
async function burnCpu(ms: number): Promise<number> {
  const start = performance.now();
  let x = 0;
  while (performance.now() - start < ms) {
    const sliceEnd = Math.min(performance.now() + 10, start + ms);
    while (performance.now() < sliceEnd) {
      // hashing is real CPU work the JIT cannot optimise away
      x ^= createHash('sha256').update(String(x)).digest()[0];
    }
    await new Promise((r) => setImmediate(r)); // keep health checks and sends responsive
  }
  return performance.now() - start;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  req.resume();
  switch (url.pathname) {
    case '/metrics': {
      const text = await client.register.metrics();
      return reply(res, 200, text, client.register.contentType);
    }
    case '/healthz':
    case '/livez':
      return reply(res, 200, { status: 'ok' });
    case '/ready':
    case '/readyz':
      return connected && !stopping
        ? reply(res, 200, { status: 'ready', kafka: 'connected' })
        : reply(res, 503, { status: 'not ready', kafka: connected ? 'connected' : 'disconnected', stopping });
    case '/work': {
      if (method !== 'GET' && method !== 'POST') return reply(res, 405, { error: 'use GET or POST' });
      const ms = Math.min(WORK_MAX_MS, Math.max(1, Number(url.searchParams.get('ms') ?? '200') || 200));
      workRequests.inc();
      const took = await burnCpu(ms);
      workSeconds.inc(took / 1000);
      return reply(res, 200, { pod: HOST, work_ms: Math.round(took) });
    }
    case '/burst': {
      if (method !== 'POST') return reply(res, 405, { error: 'use POST' });
      const n = Math.min(100_000, Math.max(1, Number(url.searchParams.get('n') ?? '1000') || 1000));
      try {
        let done = 0;
        while (done < n) done += await send(Math.min(500, n - done));
        bursts.inc(n);
        return reply(res, 200, { pod: HOST, sent: n });
      } catch (err) {
        return reply(res, 503, { pod: HOST, error: (err as Error).message });
      }
    }
    case '/':
      return reply(res, 200, {
        service: 'producer',
        pod: HOST,
        topic: TOPIC,
        rate: RATE,
        endpoints: ['/metrics', '/healthz', '/ready', '/work?ms=200', 'POST /burst?n=1000'],
      });
    default:
      return reply(res, 404, { error: `no route ${url.pathname}` });
  }
}

const server = serve(PORT, 'Producer', handle);
server.keepAliveTimeout = 5000;

// ------------------------------------------------------------------ lifecycle
const stopTimers: (() => void)[] = [];

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`Received ${signal}: stopping (sent ${seq} readings)`);
  for (const stop of stopTimers) stop();
  const force = setTimeout(() => {
    log('Shutdown took too long; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  try {
    await producer?.disconnect();
  } catch (err) {
    log(`Kafka disconnect failed: ${(err as Error).message}`);
  }
  server.close();
  server.closeIdleConnections();
  log('Producer stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

void connectLoop().then(() => {
  if (stopping) return;
  void produceLoop();
  speedLoop();
});
