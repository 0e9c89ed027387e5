import { JSONPath } from 'jsonpath-plus';
import { BadInputError, errorText, formatDuration } from '../engine/errors';
import { type Comparison, compare, describeComparison } from '../engine/compare';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { jsonPathMatches } from './shared/jsonpath';
import { ensureProbe, type HttpProbe, type HttpProbeOptions, httpFromProbe, parseHeader } from './shared/probe';
import { timelineText } from './shared/timeline';

/** HTTP as a workload sees it, beyond a plain GET: method, headers, body, virtual hosts, JSON content. */

const BODY_START = 300;

/** The start of a body, on one line, for messages. */
function bodyStart(body: string, n = BODY_START): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n)}…` : flat || '(empty body)';
}

/** A credential in an error (a server may echo it) is masked like in every other evidence; the stack repeats the message. */
function redacted(ctx: Ctx, e: unknown): unknown {
  if (e instanceof Error) {
    e.message = ctx.evidence.redactor.redact(e.message);
    if (e.stack) e.stack = ctx.evidence.redactor.redact(e.stack);
  }
  return e;
}

/** Asks until the answer has the status; evidence: the request, each status seen, the latency and the start of the body. */
async function statusWithin(ctx: Ctx, status: number, url: string, request: HttpProbeOptions, withinMs: number): Promise<string> {
  const seen: { last?: HttpProbe } = {}; // set by the looks, read after the wait
  await ensureProbe(ctx); // its start does not count against the bound
  try {
    const r = await waitUntil({
      what: `${url}${request.host ? ` (host ${request.host})` : ''} to answer HTTP ${status} from the probe pod`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      intervalMs: 1000,
      check: async () => {
        const h = await httpFromProbe(ctx, url, request);
        seen.last = h;
        return { ok: h.status === status, summary: h.status ? `${h.summary}: ${bodyStart(h.body, 80)}` : h.summary };
      },
    });
    await attachExchange(ctx, seen.last!, r.timeline);
    return ctx.evidence.redactor.redact(`${seen.last!.request}: ${r.summary}`);
  } catch (e) {
    if (seen.last) await attachExchange(ctx, seen.last);
    throw redacted(ctx, e);
  }
}

async function attachExchange(ctx: Ctx, h: HttpProbe, timeline?: { atMs: number; summary: string }[]): Promise<void> {
  await ctx.evidence.table('request and last answer', [
    { field: 'request', value: h.request },
    { field: 'status', value: h.status ? String(h.status) : h.summary },
    { field: 'latency', value: h.status ? `${h.latencyMs}ms` : '-' },
    { field: 'content type', value: h.contentType ?? '-' },
    { field: 'body (start)', value: h.status ? bodyStart(h.body, 500) : '-' },
  ]);
  if (timeline) await ctx.evidence.text('what each look saw', timelineText(timeline));
}

function header(text: string): [string, string] {
  const h = parseHeader(text);
  if (!h) throw new BadInputError(`"${text}" is not a header`, 'write it as `Name: value`, e.g. `X-Request-Id: 42`');
  return h;
}

/**
 * "the probe gets HTTP 200 from `http://api/secure` with the header `X-Api-Key: …` within 30s": a GET
 * with the header, from inside the cluster. The values of credential headers (Authorization, Cookie,
 * API keys) are withheld from the evidence and masked wherever the answer repeats them.
 */
export function probeGetsHttpWithHeader(ctx: Ctx, status: number, url: string, headerText: string, withinMs: number): StepResult {
  return ctx.check(`GET ${url} with a header answers ${status}`, async () => statusWithin(ctx, status, url, { headers: [header(headerText)] }, withinMs));
}

/**
 * "the probe gets HTTP 201 when sending POST `{"name":"x"}` to `http://api/items` within 30s": the
 * method and the body (sent as JSON when it looks like JSON and no Content-Type is given).
 */
export function probeGetsHttpSending(ctx: Ctx, status: number, method: string, body: string | undefined, url: string, withinMs: number): StepResult {
  return ctx.check(`${method.toUpperCase()} ${url} answers ${status}`, async () => {
    if (!/^[A-Za-z]+$/.test(method)) throw new BadInputError(`"${method}" is not an HTTP method`, 'write GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS');
    return statusWithin(ctx, status, url, { method, body }, withinMs);
  });
}

/**
 * "the probe gets HTTP 200 from `http://ingress/` for the host `shop.example` within 30s": the request
 * names the virtual host (Host header, and SNI for HTTPS) but connects to the URL's host and port,
 * the way an ingress controller or a shared server is reached.
 */
export function probeGetsHttpForHost(ctx: Ctx, status: number, url: string, host: string, withinMs: number): StepResult {
  return ctx.check(`${url} answers ${status} for the host ${host}`, async () => {
    if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new BadInputError(`"${host}" is not a host name`, 'write a DNS name such as shop.example');
    try {
      new URL(url);
    } catch {
      throw new BadInputError(`"${url}" is not a URL`, 'write it like http://service:port/path');
    }
    return statusWithin(ctx, status, url, { host }, withinMs);
  });
}

/* ------------------------------------------------------------------ JSON */

type JsonExpectation =
  { kind: 'equals'; text: string } | { kind: 'compares'; cmp: Comparison; value: number } | { kind: 'counts'; cmp: Comparison; value: number };

/** `$.a.b`, `a.b` and `items[0]` all name the same kind of path; a bare name is read from the root. */
export function normalizePath(path: string): string {
  const p = path.trim();
  if (!p) throw new BadInputError('the JSON path is empty', 'write a path like $.items or status.ready');
  return p.startsWith('$') ? p : p.startsWith('[') ? `$${p}` : `$.${p}`;
}

/** A path that can match several values (wildcard, recursive descent, filter, union, slice). */
function isDefinite(path: string): boolean {
  return JSONPath.toPathArray(path).every((seg) => seg !== '*' && seg !== '..' && !/^\?\(|^\(|[,:]/.test(seg));
}

/** What the path selects: the value for a definite path (undefined when absent), the list of matches otherwise. */
export function selectJson(json: unknown, path: string): { found: boolean; value: unknown } {
  const matches = jsonPathMatches(json, path, '$.items[0].name or $.items[?(@.ready)]');
  if (!isDefinite(path)) return { found: true, value: matches };
  return matches.length ? { found: true, value: matches[0] } : { found: false, value: undefined };
}

function shown(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

/** Judges a selected value; `summary` says what it is, whether or not it matches. */
export function judgeJson(value: unknown, path: string, want: JsonExpectation): { ok: boolean; summary: string } {
  const at = `${path} is ${shown(value)}`;
  if (want.kind === 'equals') {
    let ok = typeof value === 'string' && value === want.text;
    if (!ok && typeof value !== 'string') {
      try {
        ok = canonical(value) === canonical(JSON.parse(want.text));
      } catch {
        ok = false; // not JSON: only a string could have been equal
      }
    }
    return { ok, summary: ok ? at : `${at}, expected ${shown(want.text)}` };
  }
  if (want.kind === 'compares') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() && Number.isFinite(Number(value)) ? Number(value) : NaN;
    if (Number.isNaN(n)) return { ok: false, summary: `${at}: not a number, expected ${describeComparison(want.cmp, want.value)}` };
    const ok = compare(n, want.cmp, want.value);
    return { ok, summary: ok ? at : `${at}, expected ${describeComparison(want.cmp, want.value)}` };
  }
  if (!Array.isArray(value)) return { ok: false, summary: `${at}: not a list, expected ${describeComparison(want.cmp, want.value)} item(s)` };
  const ok = compare(value.length, want.cmp, want.value);
  return { ok, summary: `${path} has ${value.length} item(s)${ok ? '' : `, expected ${describeComparison(want.cmp, want.value)}`}` };
}

/** Asks until a 2xx JSON answer holds the expected value at the path; evidence: the exchange and each value seen. */
async function jsonWithin(ctx: Ctx, url: string, rawPath: string, want: JsonExpectation, withinMs: number): Promise<string> {
  const path = normalizePath(rawPath);
  const wanted =
    want.kind === 'equals'
      ? `is ${shown(want.text)}`
      : want.kind === 'compares'
        ? `is ${describeComparison(want.cmp, want.value)}`
        : `has ${describeComparison(want.cmp, want.value)} item(s)`;
  const seen: { last?: HttpProbe } = {}; // set by the looks, read after the wait
  await ensureProbe(ctx); // its start does not count against the bound
  try {
    const r = await waitUntil({
      what: `JSON from ${url} where ${path} ${wanted}`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      intervalMs: 1000,
      check: async () => {
        const h = await httpFromProbe(ctx, url);
        seen.last = h;
        if (!h.status) return { ok: false, summary: `GET ${url}: ${h.summary}` };
        if (h.status < 200 || h.status > 299) return { ok: false, summary: `GET ${url}: HTTP ${h.status}, not 2xx: ${bodyStart(h.body, 120)}` };
        let json: unknown;
        try {
          json = JSON.parse(h.body);
        } catch (e) {
          return {
            ok: false,
            summary: `GET ${url}: HTTP ${h.status} (${h.contentType ?? 'no content type'}) is not JSON (${errorText(e)}): ${bodyStart(h.body, 120)}`,
          };
        }
        const sel = selectJson(json, path);
        if (!sel.found) return { ok: false, summary: `GET ${url}: HTTP ${h.status}, nothing at ${path}; the answer: ${bodyStart(h.body, 120)}` };
        const j = judgeJson(sel.value, path, want);
        return { ok: j.ok, summary: `${j.summary} (HTTP ${h.status} in ${h.latencyMs}ms)` };
      },
    });
    await attachExchange(ctx, seen.last!, r.timeline);
    return ctx.evidence.redactor.redact(`GET ${url}: ${r.summary}${r.elapsedMs > 1500 ? ` after ${formatDuration(r.elapsedMs)}` : ''}`);
  } catch (e) {
    if (seen.last) await attachExchange(ctx, seen.last);
    throw redacted(ctx, e);
  }
}

/** "the probe gets JSON from `http://api/status` where `$.ready` is `true` within 30s": a string equals the text; any other value equals the text read as JSON. */
export function probeGetsJsonValue(ctx: Ctx, url: string, path: string, expected: string, withinMs: number): StepResult {
  return ctx.check(`JSON from ${url}: ${path} is ${expected}`, () => jsonWithin(ctx, url, path, { kind: 'equals', text: expected }, withinMs));
}

/** "the probe gets JSON from `http://api/status` where `load` is less than 0.8 within 30s": a number (or a numeric string) compared. */
export function probeGetsJsonNumber(ctx: Ctx, url: string, path: string, cmp: Comparison, value: number, withinMs: number): StepResult {
  return ctx.check(`JSON from ${url}: ${path} is ${describeComparison(cmp, value)}`, () =>
    jsonWithin(ctx, url, path, { kind: 'compares', cmp, value }, withinMs),
  );
}

/**
 * "the probe gets JSON from `http://backend/api/instances` where `$.instances` has at least 1 item within 1m":
 * the length of the list at a path, or the number of matches of a wildcard or filter path.
 */
export function probeGetsJsonCount(ctx: Ctx, url: string, path: string, cmp: Comparison, count: number, withinMs: number): StepResult {
  return ctx.check(`JSON from ${url}: ${path} has ${describeComparison(cmp, count)} item(s)`, () =>
    jsonWithin(ctx, url, path, { kind: 'counts', cmp, value: count }, withinMs),
  );
}
