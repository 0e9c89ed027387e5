// streaming-index — the streaming prototype's metadata/index service.
//
// A JSON catalogue of a few media items (the streamer asks it for an item's
// size; the frontend lists it). Runs with Node 24's type stripping.
//
// Environment
//   PORT   default 8080
//
// HTTP
//   GET /api/items            {"count": n, "items": [...]}
//   GET /api/items/:id        one item, 404 when unknown
//   GET /api/search?q=text    items whose title contains the text
//   GET /api/fail             always 500: the test condition for the error-rate alert
//   GET /health, /metrics
import type { Handled } from './observability.ts';
import { env, logger, reply, serve } from './observability.ts';

const SERVICE = 'streaming-index';
const MiB = 1024 * 1024;

interface Item {
  id: string;
  title: string;
  year: number;
  durationSeconds: number;
  sizeBytes: number;
  mimeType: string;
}

// Sizes stay small: the streamer generates the bytes on the fly.
const ITEMS: Item[] = [
  { id: 'big-buck-bunny', title: 'Big Buck Bunny', year: 2008, durationSeconds: 596, sizeBytes: 8 * MiB, mimeType: 'video/mp4' },
  { id: 'elephants-dream', title: 'Elephants Dream', year: 2006, durationSeconds: 654, sizeBytes: 6 * MiB, mimeType: 'video/mp4' },
  { id: 'sintel', title: 'Sintel', year: 2010, durationSeconds: 888, sizeBytes: 12 * MiB, mimeType: 'video/mp4' },
  { id: 'tears-of-steel', title: 'Tears of Steel', year: 2012, durationSeconds: 734, sizeBytes: 10 * MiB, mimeType: 'video/mp4' },
];

const log = logger(SERVICE);

serve(SERVICE, Number(env('PORT', '8080')), ['/api/items', '/api/items/:id', '/api/search'], async (req, res, url): Promise<Handled> => {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    reply(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
    return { route: 'other', status: 405 };
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/api/items') {
    reply(res, 200, { count: ITEMS.length, items: ITEMS });
    return { route: '/api/items', status: 200 };
  }
  const one = /^\/api\/items\/([^/]+)$/.exec(path);
  if (one) {
    const item = ITEMS.find((i) => i.id === decodeURIComponent(one[1]));
    if (!item) {
      reply(res, 404, { error: `no item ${one[1]}` });
      return { route: '/api/items/:id', status: 404 };
    }
    reply(res, 200, item);
    return { route: '/api/items/:id', status: 200 };
  }
  if (path === '/api/search') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const items = ITEMS.filter((i) => i.title.toLowerCase().includes(q));
    reply(res, 200, { query: q, count: items.length, items });
    return { route: '/api/search', status: 200 };
  }
  if (path === '/api/fail') {
    log('error', 'simulated catalogue failure', { path });
    reply(res, 500, { error: 'simulated failure (test condition for the error-rate alert)' });
    return { route: '/api/fail', status: 500 };
  }
  if (path === '/') {
    reply(res, 200, { service: SERVICE, endpoints: ['/api/items', '/api/items/:id', '/api/search?q=', '/api/fail', '/health', '/metrics'] });
    return { route: '/', status: 200 };
  }
  reply(res, 404, { error: `no route ${path}` });
  return { route: 'other', status: 404 };
});
