// Webhook sink — a platform-neutral receiver for Alertmanager's webhook
// notifications (or any JSON webhook): stores what it receives, in memory,
// and serves it back, so a verifier can prove a receiver was notified.
// The same file runs on loopback (kubeproof's component tests) and in a
// cluster (image kubeproof.local/webhook-sink:dev, lab/images/recipes/webhook-sink.sh).
//
// Runs with Node 24's type stripping (`node src/main.ts`): erasable syntax only, no dependencies.
//
// Environment
//   PORT               HTTP port, default 8080
//   HOST               listen address, default all interfaces (the component tests use 127.0.0.1)
//   MAX_NOTIFICATIONS  kept in memory, oldest dropped first, default 1000
//
// HTTP
//   POST <any path>          store the JSON body (Alertmanager: url http://webhook-sink:8080/<receiver>); 200 {seq}
//   GET  /notifications      {bootId, now, lastSeq, count, notifications: [...]}, newest last
//        ?after=<seq>        only those stored after that one (seq counts up from 1 per process: bootId tells a restart)
//   GET  /healthz            200 ok
// Each notification: {seq, receivedAt (RFC 3339, the sink's clock), path, receiver, status, alerts: [{alertname, status,
// labels, startsAt, endsAt, fingerprint}], payload (the body as received)}.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

const env = (name: string, fallback: string): string => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : v;
};
const PORT = Number(env('PORT', '8080'));
const HOST = env('HOST', '::');
const MAX_NOTIFICATIONS = Number(env('MAX_NOTIFICATIONS', '1000'));
const MAX_BODY_BYTES = 1024 * 1024;
// A new id per process: a reader that remembered `lastSeq` sees the sink restarted (and its numbering with it).
const BOOT_ID = randomUUID();

interface AlertSummary {
  alertname: string;
  status: string;
  labels: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  fingerprint?: string;
}

interface Notification {
  seq: number;
  receivedAt: string;
  path: string;
  receiver: string;
  status: string;
  alerts: AlertSummary[];
  payload: unknown;
}

const notifications: Notification[] = [];
let lastSeq = 0;

const log = (msg: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), service: 'webhook-sink', msg, ...fields })}\n`);
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const record = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};

/** The parts a reader matches on, taken from Alertmanager's webhook payload (version 4); other JSON is kept as it came. */
function summarize(path: string, payload: unknown, receivedAt: string): Notification {
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const alerts = Array.isArray(p.alerts) ? p.alerts : [];
  return {
    seq: ++lastSeq,
    receivedAt,
    path,
    receiver: text(p.receiver),
    status: text(p.status),
    alerts: alerts.map((a: Record<string, unknown>) => {
      const labels = record(a?.labels);
      return {
        alertname: labels.alertname ?? '',
        status: text(a?.status),
        labels,
        startsAt: text(a?.startsAt) || undefined,
        endsAt: text(a?.endsAt) || undefined,
        fingerprint: text(a?.fingerprint) || undefined,
      };
    }),
    payload,
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sink');
  if (req.method === 'GET' && url.pathname === '/healthz') return reply(res, 200, { status: 'ok' });
  if (req.method === 'GET' && url.pathname === '/notifications') {
    const after = Number(url.searchParams.get('after') ?? '0');
    if (!Number.isInteger(after) || after < 0) return reply(res, 400, { error: `after=${url.searchParams.get('after')} is not a sequence number` });
    const shown = notifications.filter((n) => n.seq > after);
    return reply(res, 200, { bootId: BOOT_ID, now: new Date().toISOString(), lastSeq, count: shown.length, notifications: shown });
  }
  if (req.method === 'POST') {
    const receivedAt = new Date().toISOString();
    const body = await readBody(req);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch (e) {
      log('rejected a body that is not JSON', { path: url.pathname, error: (e as Error).message });
      return reply(res, 400, { error: `body is not JSON: ${(e as Error).message}` });
    }
    const n = summarize(url.pathname, payload, receivedAt);
    notifications.push(n);
    if (notifications.length > MAX_NOTIFICATIONS) notifications.splice(0, notifications.length - MAX_NOTIFICATIONS);
    log('notification', { seq: n.seq, path: n.path, receiver: n.receiver, status: n.status, alerts: n.alerts.map((a) => `${a.alertname}:${a.status}`) });
    return reply(res, 200, { seq: n.seq });
  }
  reply(res, 404, { error: `no ${req.method} ${url.pathname}; GET /notifications lists what was received, POST stores a notification` });
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: Error) => {
    if (!res.headersSent) reply(res, 500, { error: err.message });
    else res.destroy(err);
  });
});
server.listen(PORT, HOST, () => log(`listening on ${HOST}:${PORT}`, { bootId: BOOT_ID }));
const stop = (): void => {
  log('stopping');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
