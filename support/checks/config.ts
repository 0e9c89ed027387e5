import { parse as parseYaml } from 'yaml';
import type { Target } from '../clients/prometheus';
import { compare, type Comparison } from '../engine/compare';
import { formatPrometheusDuration, parsePrometheusDuration } from '../engine/duration';
import { errorText } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

/** Component configuration read from the components' own APIs: Prometheus's scrape interval and retention, Loki's settings. */

/** Where a scrape interval was read: the loaded configuration, or the active targets for pools it does not list. */
export interface JobInterval {
  job: string;
  interval: string;
  timeout?: string;
  source: 'config' | 'targets';
}

/**
 * The global scrape_interval and every job's interval from /api/v1/status/config
 * (Prometheus prints each job's effective interval, the global one filled in), plus
 * scrape pools only the targets know (jobs from scrape_config_files).
 */
export function scrapeIntervals(
  configYaml: string,
  targets: Pick<Target, 'scrapePool' | 'job' | 'scrapeInterval'>[] = [],
): { global: string; jobs: JobInterval[] } {
  const doc = (parseYaml(configYaml) ?? {}) as { global?: Record<string, unknown>; scrape_configs?: Record<string, unknown>[] };
  const global = String(doc.global?.scrape_interval ?? '1m'); // Prometheus's default
  const jobs: JobInterval[] = (doc.scrape_configs ?? []).map((j) => ({
    job: String(j.job_name),
    interval: String(j.scrape_interval ?? global),
    timeout: j.scrape_timeout === undefined ? undefined : String(j.scrape_timeout),
    source: 'config',
  }));
  for (const t of targets) {
    const pool = t.scrapePool || t.job;
    if (t.scrapeInterval && !jobs.some((j) => j.job === pool)) jobs.push({ job: pool, interval: t.scrapeInterval, source: 'targets' });
  }
  return { global, jobs };
}

function durationMs(text: string, what: string): number {
  const ms = parsePrometheusDuration(text);
  if (ms === undefined) throw new Error(`${what} is "${text}", which is not a duration`);
  return ms;
}

const bound = (cmp: Comparison, ms: number) => `${cmp.words} ${formatPrometheusDuration(ms)}`;

/** "Prometheus scrapes every at most 30s": the global interval and every job's meet the bound; a job that does not is named. */
export function prometheusScrapeInterval(ctx: Ctx, cmp: Comparison, boundMs: number): StepResult {
  return ctx.check(`Prometheus scrapes every ${bound(cmp, boundMs)}`, async () => {
    const prom = await ctx.clients.prometheus();
    const config = await prom.config();
    // Only for pools the configuration does not list; an old Prometheus without the field is fine.
    const targets = await prom.targets().catch(() => undefined);
    const { global, jobs } = scrapeIntervals(config.yaml, targets?.targets);
    const globalMs = durationMs(global, 'the global scrape_interval');
    const globalOk = compare(globalMs, cmp, boundMs);
    const judged = jobs.map((j) => ({ ...j, ms: durationMs(j.interval, `the scrape_interval of job ${j.job}`) }));
    const violating = judged.filter((j) => !compare(j.ms, cmp, boundMs));
    await ctx.evidence.table(`scrape intervals (${config.request.url}${targets ? `, ${targets.request.url}` : ''})`, [
      { job: '(global)', scrape_interval: global, scrape_timeout: '', source: 'config', own: '', verdict: globalOk ? 'ok' : `not ${bound(cmp, boundMs)}` },
      ...judged.map((j) => ({
        job: j.job,
        scrape_interval: j.interval,
        scrape_timeout: j.timeout ?? '',
        source: j.source,
        own: j.ms === globalMs ? '' : 'yes',
        verdict: compare(j.ms, cmp, boundMs) ? 'ok' : `not ${bound(cmp, boundMs)}`,
      })),
    ]);
    const problems: string[] = [];
    if (!globalOk) problems.push(`the global scrape_interval is ${global}`);
    // Jobs that merely inherit a failing global are covered by the line above.
    const own = violating.filter((j) => globalOk || j.ms !== globalMs);
    if (own.length) problems.push(own.map((j) => `job ${j.job} scrapes every ${j.interval}`).join(', '));
    if (problems.length)
      throw new Error(
        `Prometheus's scrape intervals are not all ${bound(cmp, boundMs)}: ${problems.join('; ')}` +
          (!globalOk && violating.length ? ` (jobs affected: ${violating.map((j) => j.job).join(', ')})` : ''),
      );
    return `global scrape_interval ${global}; ${jobs.length} job(s): ${jobs.map((j) => `${j.job} ${j.interval}`).join(', ')}`;
  });
}

export interface Retention {
  /** How long blocks are kept; Infinity when only a size bounds retention. */
  timeMs: number;
  /** A size bound (`10GiB`), when one is set: older data goes once the TSDB exceeds it. */
  size?: string;
  source: string;
}

const PROMETHEUS_DEFAULT_RETENTION = '15d';

/**
 * The retention Prometheus applies: runtimeinfo's storageRetention (`15d`, `15d or 10GiB`,
 * `10GiB`) when it reports one, else the flags, where neither bound set means the default 15d.
 */
export function effectiveRetention(info: Record<string, unknown> | undefined, flags: Record<string, string>): Retention {
  const reported = typeof info?.storageRetention === 'string' ? info.storageRetention.trim() : '';
  if (reported) {
    const parts = reported.split(/\s+or\s+/);
    const time = parts.map(parsePrometheusDuration).find((ms) => ms !== undefined);
    const size = parts.find((p) => parsePrometheusDuration(p) === undefined);
    return { timeMs: time || Infinity, size, source: `runtimeinfo storageRetention "${reported}"` };
  }
  const timeFlag = flags['storage.tsdb.retention.time'] ?? '';
  const oldFlag = flags['storage.tsdb.retention'] ?? ''; // deprecated before 2.8, still honoured
  const sizeFlag = flags['storage.tsdb.retention.size'] ?? '';
  const time = parsePrometheusDuration(timeFlag) || parsePrometheusDuration(oldFlag) || 0;
  const size = sizeFlag && !/^0[A-Za-z]*$/.test(sizeFlag) ? sizeFlag : undefined;
  const shown = `flags storage.tsdb.retention.time=${timeFlag || '(unset)'}, storage.tsdb.retention.size=${sizeFlag || '(unset)'}`;
  if (time) return { timeMs: time, size, source: shown };
  if (size) return { timeMs: Infinity, size, source: shown };
  return {
    timeMs: parsePrometheusDuration(PROMETHEUS_DEFAULT_RETENTION)!,
    source: `${shown}: neither set, so Prometheus's default ${PROMETHEUS_DEFAULT_RETENTION}`,
  };
}

/** "Prometheus keeps data for at least 15d": the retention time Prometheus applies (runtimeinfo, flags), against the bound. */
export function prometheusRetention(ctx: Ctx, cmp: Comparison, boundMs: number): StepResult {
  return ctx.check(`Prometheus keeps data for ${bound(cmp, boundMs)}`, async () => {
    const prom = await ctx.clients.prometheus();
    const flags = await prom.flags();
    // runtimeinfo came with Prometheus 2.14; without it the flags say the same.
    const runtime = await prom.runtimeInfo().catch((e: unknown) => errorText(e));
    const info = typeof runtime === 'string' ? undefined : runtime.info;
    const retention = effectiveRetention(info, flags.flags);
    await ctx.evidence.table(`Prometheus retention (${flags.request.url}${typeof runtime === 'string' ? '' : `, ${runtime.request.url}`})`, [
      {
        source: 'runtimeinfo storageRetention',
        value: typeof runtime === 'string' ? `(unavailable: ${runtime})` : String(info?.storageRetention ?? '(absent)'),
      },
      ...Object.entries(flags.flags)
        .filter(([k]) => k.startsWith('storage.tsdb.retention'))
        .map(([k, v]) => ({ source: `flag ${k}`, value: v })),
    ]);
    const kept = `${formatPrometheusDuration(retention.timeMs)}${retention.size ? ` (and at most ${retention.size})` : ''}`;
    if (!compare(retention.timeMs, cmp, boundMs)) throw new Error(`Prometheus keeps data for ${kept}, not ${bound(cmp, boundMs)} (${retention.source})`);
    return `keeps data for ${kept} (${retention.source})${retention.size ? `; older data also goes once the TSDB exceeds ${retention.size}` : ''}`;
  });
}

export type SettingLookup =
  { found: true; value: unknown } | { found: false; /** the deepest path that exists */ at: string; missing: string; reason: string; keys: string[] };

/** A dotted path (`limits_config.retention_period`, `schema_config.configs.0.store`) in a parsed YAML document. */
export function settingAt(doc: unknown, path: string): SettingLookup {
  let node: unknown = doc;
  const segments = path.split('.').filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    const at = segments.slice(0, i).join('.') || '(top level)';
    const segment = segments[i];
    if (Array.isArray(node)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.length)
        return { found: false, at, missing: segment, reason: `${at} is a list of ${node.length} item(s): use an index 0…${node.length - 1}`, keys: [] };
      node = node[index];
    } else if (node && typeof node === 'object') {
      const keys = Object.keys(node);
      if (!(segment in node)) return { found: false, at, missing: segment, reason: `${at} has no key "${segment}"`, keys: nearestKeys(keys, segment) };
      node = (node as Record<string, unknown>)[segment];
    } else {
      return { found: false, at, missing: segment, reason: `${at} is a value (${String(node)}), not a section`, keys: [] };
    }
  }
  return { found: true, value: node };
}

/** Keys like `wanted` first (containing it, or a few typos away), then the rest alphabetically. */
export function nearestKeys(keys: string[], wanted: string, max = 8): string[] {
  const w = wanted.toLowerCase();
  const score = (k: string) => {
    const l = k.toLowerCase();
    return l.includes(w) || (l.length > 2 && w.includes(l)) ? 0 : editDistance(l, w);
  };
  return [...keys].sort((a, b) => score(a) - score(b) || a.localeCompare(b)).slice(0, max);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** Equal as written, or as durations (`744h` is `31d`), numbers or booleans. */
export function settingEquals(actual: unknown, expected: string): boolean {
  const e = expected.trim();
  if (actual === null || actual === undefined) return ['', 'null', '~'].includes(e);
  if (typeof actual === 'object') return false;
  const a = String(actual).trim();
  if (a === e) return true;
  const [ad, ed] = [parsePrometheusDuration(a), parsePrometheusDuration(e)];
  if (ad !== undefined && ed !== undefined) return ad === ed;
  if (a !== '' && e !== '' && Number.isFinite(Number(a)) && Number.isFinite(Number(e))) return Number(a) === Number(e);
  return typeof actual === 'boolean' && a === e.toLowerCase();
}

const SECRET_KEY = /secret|password|passwd|token|credential|api_?key|access_?key|private_?key/i;

/** The zero value of a setting's type: what Loki leaves out of /config (Go's `omitempty`). */
export function zeroLike(value: unknown): unknown {
  if (typeof value === 'boolean') return false;
  if (typeof value === 'number') return 0;
  if (typeof value === 'string') return '';
  if (Array.isArray(value)) return [];
  return value && typeof value === 'object' ? {} : null;
}

/**
 * "the Loki setting `limits_config.retention_period` is `744h`": read from Loki's /config.
 * Loki leaves out settings at their zero value (auth_enabled: false); a path that its
 * defaults (/config?mode=defaults) know is that zero value. Any other missing path fails
 * naming the nearest keys.
 */
export function lokiSetting(ctx: Ctx, path: string, expected: string): StepResult {
  return ctx.check(`Loki setting ${path} is ${expected}`, async () => {
    const loki = await ctx.clients.loki();
    const { request, yaml } = await loki.config();
    const doc: unknown = parseYaml(yaml);
    let found = settingAt(doc, path);
    let omitted = '';
    if (!found.found) {
      const defaults = await loki.config('defaults');
      const byDefault = settingAt(parseYaml(defaults.yaml), path);
      if (byDefault.found) {
        found = { found: true, value: zeroLike(byDefault.value) };
        omitted = ` (left out of /config at its zero value; the default is ${JSON.stringify(byDefault.value)}, ${defaults.request.url})`;
      }
    }
    const secret = SECRET_KEY.test(path);
    if (secret && found.found) ctx.evidence.redactor.add(String(found.value));
    const shown = (key: string, v: unknown) => (SECRET_KEY.test(key) ? '(withheld)' : v && typeof v === 'object' ? '(section)' : String(v));
    const parentPath = path.split('.').slice(0, -1).join('.');
    const parent = parentPath ? settingAt(doc, parentPath) : { found: true as const, value: doc };
    const siblings = parent.found && parent.value && typeof parent.value === 'object' ? Object.entries(parent.value as Record<string, unknown>) : [];
    await ctx.evidence.text(
      `Loki setting ${path} (${request.url})`,
      [
        `Asked:     ${request.url}`,
        `Setting:   ${path}`,
        `Expected:  ${secret ? '(withheld)' : expected}`,
        `Observed:  ${found.found ? `${shown(path, found.value)}${omitted}` : `(missing: ${found.reason})`}`,
        '',
        `${parentPath || '(top level)'}:`,
        ...siblings.slice(0, 80).map(([k, v]) => `  ${k}: ${shown(k, v)}`),
      ].join('\n'),
    );
    if (!found.found)
      throw new Error(`Loki has no setting ${path}: ${found.reason}${found.keys.length ? `; nearest keys there: ${found.keys.join(', ')}` : ''}`);
    const value = found.value;
    if (value && typeof value === 'object')
      throw new Error(`Loki setting ${path} is a section, not a value; its keys: ${nearestKeys(Object.keys(value), '', 20).join(', ')}`);
    if (!settingEquals(value, expected))
      throw new Error(`Loki setting ${path} is ${secret ? '(withheld)' : JSON.stringify(value)}${omitted}, not "${secret ? '(withheld)' : expected}"`);
    return `${path}: ${secret ? '(withheld)' : String(value)}${omitted}`;
  });
}
