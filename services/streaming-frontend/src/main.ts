// streaming-frontend — the streaming prototype's static frontend.
//
// A tiny static server for the single page in src/public, which lists the
// catalogue and plays an item. Like the NGINX config it stands in for, it
// forwards /api/ to the index service and /stream/ to the streamer, so the
// page needs one origin only.
//
// Environment
//   PORT          default 8080
//   INDEX_URL     default http://streaming-index:8080
//   STREAMER_URL  default http://streaming-streamer:8080
//
// HTTP
//   GET /, /index.html, /app.js   the page
//   GET /api/...                  forwarded to the index
//   GET /stream/...               forwarded to the streamer (Range passed through)
//   GET /health, /metrics
import { request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Handled } from './observability.ts';
import { env, reply, serve } from './observability.ts';

const SERVICE = 'streaming-frontend';
const INDEX_URL = env('INDEX_URL', 'http://streaming-index:8080');
const STREAMER_URL = env('STREAMER_URL', 'http://streaming-streamer:8080');

// The page is read once: the image is immutable.
const STATIC: Record<string, { type: string; body: Buffer }> = {
  '/index.html': { type: 'text/html; charset=utf-8', body: readFileSync(new URL('./public/index.html', import.meta.url)) },
  '/app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./public/app.js', import.meta.url)) },
};

/** Forwards the request to `base` and pipes the answer back; resolves with the upstream status. */
function forward(req: IncomingMessage, res: ServerResponse, base: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (req.headers.range) headers.range = req.headers.range;
    if (req.headers.accept) headers.accept = req.headers.accept;
    const up = request(new URL(path, base), { method: req.method, headers, timeout: 5000 }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => resolve(answer.statusCode ?? 502));
      answer.on('error', () => resolve(502));
    });
    up.on('timeout', () => up.destroy(new Error(`${base} did not answer within 5s`)));
    up.on('error', (err) => {
      if (!res.headersSent) reply(res, 502, { error: `${base}: ${err.message}` });
      else res.destroy(err);
      resolve(502);
    });
    req.pipe(up);
  });
}

serve(SERVICE, Number(env('PORT', '8080')), ['static', '/api/*', '/stream/*'], async (req, res, url): Promise<Handled> => {
  const path = url.pathname;
  if (path.startsWith('/api/')) return { route: '/api/*', status: await forward(req, res, INDEX_URL, path + url.search) };
  if (path.startsWith('/stream/')) return { route: '/stream/*', status: await forward(req, res, STREAMER_URL, path) };
  req.resume();
  const file = STATIC[path === '/' ? '/index.html' : path];
  if (!file) {
    reply(res, 404, { error: `no page ${path}` });
    return { route: 'other', status: 404 };
  }
  res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return { route: 'static', status: 200 };
});
