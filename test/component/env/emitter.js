'use strict';
// "Instrumented producer" fixture for the component tests.
//
// Plain CommonJS so it runs with `node emitter.js` (no build step). It plays
// the conveyor pipeline's producer/processor pair against real backends:
//   - /metrics on 127.0.0.1:$EMITTER_PORT (prom-client): producer and processor
//     counters plus the default process metrics, scraped by Prometheus;
//   - one log line per second pushed to Loki's push API (every 10th an ERROR);
//   - one point per second written to InfluxDB database `conveyor`.
// Loki and InfluxDB may be unavailable for a while (starting, restarting):
// failures are logged once per outage and retried on the next tick; the
// emitter never exits because of them.
//
// Environment (defaults match test/component/env/up.sh):
//   EMITTER_PORT=19400  KUBEPROOF_LOKI_URL=http://127.0.0.1:13100
//   KUBEPROOF_INFLUX_URL=http://127.0.0.1:18086  KUBEPROOF_INFLUX_DATABASE=conveyor
//   EMITTER_RATE=5 (messages per second)

const http = require('node:http');
const client = require('prom-client');

const PORT = Number(process.env.EMITTER_PORT || 19400);
const LOKI_URL = (process.env.KUBEPROOF_LOKI_URL || 'http://127.0.0.1:13100').replace(/\/$/, '');
const INFLUX_URL = (process.env.KUBEPROOF_INFLUX_URL || 'http://127.0.0.1:18086').replace(/\/$/, '');
const INFLUX_DB = process.env.KUBEPROOF_INFLUX_DATABASE || 'conveyor';
const RATE = Number(process.env.EMITTER_RATE || 5);
const TOPIC = 'conveyor';
const LOKI_LABELS = { app: 'producer', namespace: 'conveyor-pipeline', job: 'emitter' };
const REQUEST_TIMEOUT_MS = 2000;

function log(msg) {
  process.stdout.write(`${new Date().toISOString()} emitter: ${msg}\n`);
}

// ---- metrics ---------------------------------------------------------------
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const sent = new client.Counter({
  name: 'producer_messages_sent_total',
  help: 'Messages the producer sent to Kafka.',
  labelNames: ['topic'],
  registers: [registry],
});
const consumed = new client.Counter({
  name: 'processor_messages_consumed_total',
  help: 'Messages the processor consumed from Kafka.',
  labelNames: ['topic'],
  registers: [registry],
});
const influxWrites = new client.Counter({
  name: 'processor_influxdb_writes_total',
  help: 'Points the processor wrote to InfluxDB (successful writes).',
  registers: [registry],
});
const influxErrors = new client.Counter({
  name: 'processor_influxdb_write_errors_total',
  help: 'Failed InfluxDB writes (backend unavailable or rejected).',
  registers: [registry],
});
const lokiPushes = new client.Counter({
  name: 'emitter_loki_pushes_total',
  help: 'Log pushes to Loki by outcome.',
  labelNames: ['outcome'],
  registers: [registry],
});
// Initialise label sets so every series exists from the first scrape.
sent.inc({ topic: TOPIC }, 0);
consumed.inc({ topic: TOPIC }, 0);
lokiPushes.inc({ outcome: 'ok' }, 0);
lokiPushes.inc({ outcome: 'error' }, 0);

// ---- HTTP server -------------------------------------------------------------
const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/metrics') {
      res.setHeader('Content-Type', registry.contentType);
      res.end(await registry.metrics());
    } else if (req.url === '/healthz' || req.url === '/') {
      res.end('ok\n');
    } else {
      res.statusCode = 404;
      res.end('not found\n');
    }
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
});

// ---- backends ------------------------------------------------------------------
// One log line per state change (up -> down -> up), not one per second.
const backendDown = { loki: false, influx: false };
function markResult(name, ok, detail) {
  if (!ok && !backendDown[name]) log(`${name} unavailable, will retry every second: ${detail}`);
  if (ok && backendDown[name]) log(`${name} reachable again`);
  backendDown[name] = !ok;
}

async function request(url, init) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await res.text();
  return { status: res.status, body };
}

let sentCount = 0;
let tick = 0;

async function pushLog() {
  tick += 1;
  const line =
    tick % 10 === 0 ? `ERROR simulated failure publishing to topic=${TOPIC} attempt=${tick} sent=${sentCount}` : `Speed: ${RATE} msg/s sent=${sentCount}`;
  const tsNs = `${BigInt(Date.now()) * 1000000n}`;
  const payload = { streams: [{ stream: LOKI_LABELS, values: [[tsNs, line]] }] };
  try {
    const r = await request(`${LOKI_URL}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (r.status !== 204 && r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    lokiPushes.inc({ outcome: 'ok' });
    markResult('loki', true);
  } catch (err) {
    lokiPushes.inc({ outcome: 'error' });
    markResult('loki', false, err.message);
  }
}

let influxDbReady = false;
async function ensureDatabase() {
  // CREATE DATABASE is idempotent in InfluxDB 1.x.
  const q = encodeURIComponent(`CREATE DATABASE "${INFLUX_DB}"`);
  const r = await request(`${INFLUX_URL}/query?q=${q}`, { method: 'POST' });
  if (r.status !== 200) throw new Error(`CREATE DATABASE: HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  influxDbReady = true;
}

async function writePoint() {
  try {
    if (!influxDbReady) await ensureDatabase();
    const point = `conveyor_readings,line=conveyor,sensor=emitter speed=${RATE},sent=${sentCount}i ${Date.now()}`;
    const r = await request(`${INFLUX_URL}/write?db=${encodeURIComponent(INFLUX_DB)}&precision=ms`, {
      method: 'POST',
      body: point,
    });
    if (r.status === 404) influxDbReady = false; // database gone (Influx restarted empty): recreate next tick
    if (r.status !== 204) throw new Error(`write: HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    influxWrites.inc();
    markResult('influx', true);
  } catch (err) {
    influxErrors.inc();
    markResult('influx', false, err.message);
  }
}

// ---- main loop -------------------------------------------------------------------
const timers = [];
server.listen(PORT, '127.0.0.1', () => {
  log(`metrics on http://127.0.0.1:${PORT}/metrics; loki ${LOKI_URL}; influx ${INFLUX_URL}/${INFLUX_DB}; ${RATE} msg/s`);
  // The producer sends RATE messages per second, evenly spaced; the processor
  // consumes each one shortly after.
  timers.push(
    setInterval(
      () => {
        sentCount += 1;
        sent.inc({ topic: TOPIC });
        setTimeout(() => consumed.inc({ topic: TOPIC }), 50);
      },
      Math.max(1, Math.round(1000 / RATE)),
    ),
  );
  // Once a second: a log line and a database point. Each call awaits its own
  // request (bounded by REQUEST_TIMEOUT_MS), so a slow backend cannot pile up
  // more than a couple of requests.
  let busy = false;
  timers.push(
    setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        await Promise.all([pushLog(), writePoint()]);
      } finally {
        busy = false;
      }
    }, 1000),
  );
});
server.on('error', (err) => {
  log(`cannot serve on 127.0.0.1:${PORT}: ${err.message}`);
  process.exit(1);
});

function shutdown(signal) {
  log(`${signal}: stopping`);
  timers.forEach(clearInterval);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
