// Lego Loco emulator stand-in — a service under test for the Lego Loco platform (seed 002).
//
// The real emulator runs the game in QEMU and streams its screen; nine of
// those do not fit the lab's two cores. This stand-in keeps what the cluster
// sees: a process per pod that renders frames all the time (a small
// generated bitmap: a moving bar and the frame number) and streams them over
// HTTP as multipart/x-mixed-replace (what an <img> tag shows as video).
//
// Runs with Node 24's type stripping (`node src/main.ts`): erasable syntax only.
//
// Environment
//   PORT          HTTP port, default 8080
//   METRICS_PORT  Prometheus metrics port, default 9464
//   FRAME_RATE    frames rendered per second, default 2
//   FRAME_WIDTH   default 64, FRAME_HEIGHT default 48 (pixels)
//   STATE_DIR     where the instance keeps its state (the frame it reached, how often it started),
//                 saved every 10 s and on SIGTERM, resumed on start; unset: nothing is kept
//
// HTTP
//   GET /            what this instance is (JSON)
//   GET /stream      multipart/x-mixed-replace stream of BMP frames (?frames=N ends it after N frames)
//   GET /frame.bmp   the latest frame
//   GET /health      200 while frames are being rendered (not older than 5 frame intervals)
//   GET /metrics     on METRICS_PORT (default 9464): Prometheus text format
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import client from 'prom-client';

const HOST = hostname();
const number = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name}=${raw} is not a positive number`);
  return v;
};
const PORT = number('PORT', 8080);
const METRICS_PORT = number('METRICS_PORT', 9464);
const FRAME_RATE = number('FRAME_RATE', 2);
const WIDTH = Math.round(number('FRAME_WIDTH', 64));
const HEIGHT = Math.round(number('FRAME_HEIGHT', 48));
const STATE_DIR = process.env.STATE_DIR ?? '';
const BOUNDARY = 'locoframe';

// Structured logs: one JSON object per line on stdout.
const log = (level: string, msg: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'loco-emulator', instance: HOST, msg, ...fields })}\n`);
};

// ------------------------------------------------------------------ metrics
client.collectDefaultMetrics();
const rendered = new client.Counter({ name: 'loco_emulator_frames_rendered_total', help: 'Frames rendered by the emulator' });
const streamed = new client.Counter({ name: 'loco_emulator_frames_streamed_total', help: 'Frames sent to stream clients' });
const streamBytes = new client.Counter({ name: 'loco_emulator_stream_bytes_total', help: 'Bytes sent to stream clients' });
const clients = new client.Gauge({ name: 'loco_emulator_stream_clients', help: 'Stream clients connected now' });
const frameRate = new client.Gauge({ name: 'loco_emulator_frame_rate', help: 'Configured frames per second (FRAME_RATE)' });
const requests = new client.Counter({ name: 'loco_emulator_http_requests_total', help: 'HTTP requests served', labelNames: ['path', 'code'] });
frameRate.set(FRAME_RATE);
rendered.inc(0);
streamed.inc(0);

// ------------------------------------------------------------------ frames
// A 24-bit BMP: 54-byte header, rows bottom-up, each padded to 4 bytes.
const rowBytes = Math.ceil((WIDTH * 3) / 4) * 4;
const header = Buffer.alloc(54);
header.write('BM', 0, 'ascii');
header.writeUInt32LE(54 + rowBytes * HEIGHT, 2);
header.writeUInt32LE(54, 10);
header.writeUInt32LE(40, 14);
header.writeInt32LE(WIDTH, 18);
header.writeInt32LE(HEIGHT, 22);
header.writeUInt16LE(1, 26);
header.writeUInt16LE(24, 28);
header.writeUInt32LE(rowBytes * HEIGHT, 34);

// The instance's state, like a game's save: resumed from STATE_DIR when there is one.
interface State {
  frame: number;
  starts: number;
  savedAt: string;
}
function loadState(): State {
  if (!STATE_DIR) return { frame: 0, starts: 1, savedAt: '' };
  try {
    const saved = JSON.parse(readFileSync(`${STATE_DIR}/state.json`, 'utf8')) as State;
    log('info', 'state resumed', { frame: saved.frame, starts: saved.starts + 1, savedAt: saved.savedAt });
    return { ...saved, starts: saved.starts + 1 };
  } catch {
    log('info', 'no saved state: starting fresh', { dir: STATE_DIR });
    return { frame: 0, starts: 1, savedAt: '' };
  }
}
function saveState(): void {
  if (!STATE_DIR) return;
  const state: State = { frame: frameNo, starts, savedAt: new Date().toISOString() };
  try {
    writeFileSync(`${STATE_DIR}/state.json.tmp`, JSON.stringify(state));
    renameSync(`${STATE_DIR}/state.json.tmp`, `${STATE_DIR}/state.json`);
  } catch (e) {
    log('error', 'state not saved', { dir: STATE_DIR, error: (e as Error).message });
  }
}
const resumed = loadState();
const starts = resumed.starts;
let frameNo = resumed.frame;
let frame = render(frameNo);
let renderedAt = Date.now();

function render(n: number): Buffer {
  const pixels = Buffer.alloc(rowBytes * HEIGHT);
  const bar = n % WIDTH;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const o = y * rowBytes + x * 3;
      const onBar = Math.abs(x - bar) < 3;
      // Blue-green-red order; the frame number's low bits tint the background.
      pixels[o] = onBar ? 0 : 40 + ((n * 7) & 63);
      pixels[o + 1] = onBar ? 200 : 30 + y;
      pixels[o + 2] = onBar ? 255 : 20 + x;
    }
  }
  return Buffer.concat([header, pixels]);
}

const viewers = new Set<(f: Buffer) => void>();
setInterval(() => {
  frameNo += 1;
  frame = render(frameNo);
  renderedAt = Date.now();
  rendered.inc();
  for (const send of viewers) send(frame);
}, 1000 / FRAME_RATE);
if (STATE_DIR) setInterval(saveState, 10_000);

// ------------------------------------------------------------------ http
function reply(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function stream(req: IncomingMessage, res: ServerResponse, limit: number): void {
  res.writeHead(200, { 'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`, 'cache-control': 'no-store', connection: 'close' });
  let sent = 0;
  const send = (f: Buffer): void => {
    const part = Buffer.concat([Buffer.from(`--${BOUNDARY}\r\ncontent-type: image/bmp\r\ncontent-length: ${f.length}\r\n\r\n`), f, Buffer.from('\r\n')]);
    res.write(part);
    streamed.inc();
    streamBytes.inc(part.length);
    sent += 1;
    if (sent >= limit) stop();
  };
  const stop = (): void => {
    if (!viewers.delete(send)) return;
    clients.dec();
    res.end();
    log('info', 'stream ended', { frames: sent });
  };
  viewers.add(send);
  clients.inc();
  log('info', 'stream started', { client: req.socket.remoteAddress, limit: Number.isFinite(limit) ? limit : null });
  req.on('close', stop);
  send(frame);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const known = ['/', '/stream', '/frame.bmp', '/health'].includes(url.pathname);
  const done = (code: number): void => void requests.inc({ path: known ? url.pathname : 'other', code: String(code) });
  if (url.pathname === '/stream') {
    const n = Number(url.searchParams.get('frames') ?? 'Infinity');
    stream(req, res, Number.isFinite(n) && n > 0 ? n : Infinity);
    return done(200);
  }
  if (url.pathname === '/frame.bmp') {
    res.writeHead(200, { 'content-type': 'image/bmp', 'content-length': frame.length, 'cache-control': 'no-store' });
    res.end(frame);
    return done(200);
  }
  if (url.pathname === '/health') {
    const age = Date.now() - renderedAt;
    const ok = age < (5 * 1000) / FRAME_RATE;
    reply(res, ok ? 200 : 503, { status: ok ? 'ok' : 'stalled', instance: HOST, frame: frameNo, frameAgeMs: age });
    return done(ok ? 200 : 503);
  }
  if (url.pathname === '/') {
    reply(res, 200, {
      service: 'loco-emulator',
      instance: HOST,
      frame: frameNo,
      resumedFrom: resumed.frame,
      starts,
      frameRate: FRAME_RATE,
      size: `${WIDTH}x${HEIGHT}`,
      clients: viewers.size,
    });
    return done(200);
  }
  reply(res, 404, { error: `no route ${url.pathname}` });
  done(404);
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
server.listen(PORT, () => log('info', 'emulator streaming', { port: PORT, frameRate: FRAME_RATE, size: `${WIDTH}x${HEIGHT}` }));

// Stop streaming at once on SIGTERM: clients reconnect to another instance.
process.on('SIGTERM', () => {
  log('info', 'SIGTERM: closing', { clients: viewers.size, frame: frameNo });
  saveState();
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 200).unref();
});
