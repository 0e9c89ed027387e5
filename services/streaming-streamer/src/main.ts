// streaming-streamer — the streaming prototype's streamer.
//
// Serves a media item's bytes, generated on the fly (a repeatable pattern
// seeded by the item id), with HTTP range support as a player seeks. The item's
// size comes from the index service (cached for a while).
//
// Environment
//   PORT         default 8080
//   INDEX_URL    default http://streaming-index:8080
//   CACHE_S      seconds an item's metadata is kept, default 60
//
// HTTP
//   GET|HEAD /stream/:id      200 with the whole item, or 206 for `Range: bytes=a-b` (also `a-`, `-n`);
//                             416 for a range outside the item, 404 for an unknown item, 502 when the index fails
//   GET /health, /metrics     streamer_bytes_sent_total, streamer_active_streams besides the request metrics
import type { ServerResponse } from 'node:http';
import client from 'prom-client';
import type { Handled } from './observability.ts';
import { env, reply, serve } from './observability.ts';

const SERVICE = 'streaming-streamer';
const INDEX_URL = env('INDEX_URL', 'http://streaming-index:8080').replace(/\/+$/, '');
const CACHE_MS = Number(env('CACHE_S', '60')) * 1000;
const CHUNK = 64 * 1024;

const bytesSent = new client.Counter({ name: 'streamer_bytes_sent_total', help: 'Media bytes written to clients' });
const active = new client.Gauge({ name: 'streamer_active_streams', help: 'Streams being sent right now' });

interface Item {
  id: string;
  sizeBytes: number;
  mimeType: string;
}

const cache = new Map<string, { item: Item | undefined; at: number }>();

/** The item from the index (undefined: the index does not know it); throws when the index fails. */
async function lookup(id: string): Promise<Item | undefined> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.item;
  const r = await fetch(`${INDEX_URL}/api/items/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(3000) });
  if (r.status === 404) {
    cache.set(id, { item: undefined, at: Date.now() });
    return undefined;
  }
  if (!r.ok) throw new Error(`index answered ${r.status} for item ${id}`);
  const item = (await r.json()) as Item;
  cache.set(id, { item, at: Date.now() });
  return item;
}

/** `Range: bytes=…` → [start, end] inclusive; 'all' without a header; undefined when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): [number, number] | 'all' | undefined {
  if (!header) return 'all';
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Math.min(Number(m[2]), size);
    return n > 0 ? [size - n, size - 1] : undefined;
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start < size && start <= end ? [start, end] : undefined;
}

/** The byte at `offset` of an item: a pattern seeded by its id, so a range reads the same bytes as the whole. */
function chunk(seed: number, from: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = ((from + i) * 31 + seed) & 0xff;
  return b;
}

async function send(res: ServerResponse, item: Item, start: number, end: number): Promise<void> {
  const seed = [...item.id].reduce((s, c) => (s * 33 + c.charCodeAt(0)) & 0xffff, 5381);
  active.inc();
  try {
    for (let at = start; at <= end && !res.destroyed; at += CHUNK) {
      const n = Math.min(CHUNK, end - at + 1);
      if (!res.write(chunk(seed, at, n))) await new Promise((r) => res.once('drain', r));
      bytesSent.inc(n);
    }
    res.end();
  } finally {
    active.dec();
  }
}

serve(SERVICE, Number(env('PORT', '8080')), ['/stream/:id'], async (req, res, url): Promise<Handled> => {
  req.resume();
  const m = /^\/stream\/([^/]+)$/.exec(url.pathname);
  if (!m) {
    if (url.pathname === '/') {
      reply(res, 200, { service: SERVICE, index: INDEX_URL, endpoints: ['/stream/:id', '/health', '/metrics'] });
      return { route: '/', status: 200 };
    }
    reply(res, 404, { error: `no route ${url.pathname}` });
    return { route: 'other', status: 404 };
  }
  const route = '/stream/:id';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    reply(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
    return { route, status: 405 };
  }
  let item: Item | undefined;
  try {
    item = await lookup(decodeURIComponent(m[1]));
  } catch (err) {
    reply(res, 502, { error: `the index did not answer: ${(err as Error).message}` });
    return { route, status: 502 };
  }
  if (!item) {
    reply(res, 404, { error: `no item ${m[1]}` });
    return { route, status: 404 };
  }
  const range = parseRange(req.headers.range, item.sizeBytes);
  if (range === undefined) {
    reply(res, 416, { error: `range ${req.headers.range} is outside the item (${item.sizeBytes} bytes)` }, { 'content-range': `bytes */${item.sizeBytes}` });
    return { route, status: 416 };
  }
  const [start, end] = range === 'all' ? [0, item.sizeBytes - 1] : range;
  const status = range === 'all' ? 200 : 206;
  res.writeHead(status, {
    'content-type': item.mimeType,
    'content-length': end - start + 1,
    'accept-ranges': 'bytes',
    ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${item.sizeBytes}` } : {}),
  });
  if (req.method === 'HEAD') res.end();
  else await send(res, item, start, end);
  return { route, status };
});
