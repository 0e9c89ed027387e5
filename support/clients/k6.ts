import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '../engine/config';
import { BadInputError, formatDuration } from '../engine/errors';
import { findExecutable } from '../engine/executable';

/**
 * Runs a k6 script with the k6 binary (v1) and reads its end-of-test summary
 * from `--summary-export` (the JSON with per-metric values, thresholds and
 * checks; k6 v1's "new machine-readable summary" has no thresholds). k6 runs
 * with a hard timeout, no usage report and no REST API port, so parallel runs
 * don't collide and nothing leaves the machine.
 */

export interface K6RunOptions {
  script: string;
  /** `--vus` override. */
  vus?: number;
  /** `--duration` override: ms or a k6 duration such as "30s". */
  duration?: number | string;
  /** `--iterations` override. */
  iterations?: number;
  /** Passed as `-e KEY=value` (visible to the script as __ENV). */
  env?: Record<string, string>;
  /** Hard limit; k6 is killed after it. Default: duration + 60 s, or 10 minutes. */
  timeoutMs?: number;
  cwd?: string;
  extraArgs?: string[];
  /** Aborting it stops k6 (SIGTERM, then SIGKILL after 5 s); k6 still writes its summary on SIGTERM. */
  signal?: AbortSignal;
}

export interface K6Threshold {
  metric: string;
  expression: string;
  ok: boolean;
}

export interface K6Check {
  name: string;
  path: string;
  passes: number;
  fails: number;
}

export interface K6Summary {
  /** Metric name (with sub-metric tags, e.g. `http_req_duration{expected_response:true}`) → its values. */
  metrics: Record<string, Record<string, number>>;
  thresholds: K6Threshold[];
  checks: K6Check[];
  /** The figures most reports want first. */
  headline: {
    httpReqs?: number;
    httpReqsPerSec?: number;
    iterations?: number;
    httpReqDurationP95Ms?: number;
    httpReqDurationAvgMs?: number;
    httpReqFailedRate?: number;
    checksRate?: number;
    vusMax?: number;
  };
}

export interface K6RunResult {
  /** The command as run; secret-looking -e values are shown as ***. */
  command: string[];
  script: string;
  exitCode: number | undefined;
  /** k6's meaning of the exit code, e.g. "thresholds failed". */
  exitMeaning: string;
  /** True only when k6 exited 0 and every threshold passed. */
  ok: boolean;
  thresholdsPassed: boolean;
  timedOut: boolean;
  durationMs: number;
  /** Absent when k6 stopped before writing it (script error, timeout). */
  summary?: K6Summary;
  /** The end of k6's output (its text summary) and of its log. */
  stdoutTail: string;
  stderrTail: string;
  raw?: unknown;
}

/** k6's documented exit codes (errext/exitcodes). */
export const K6_EXIT_CODES: Record<number, string> = {
  0: 'ok',
  97: 'cloud test run failed',
  98: 'cloud failed to get progress',
  99: 'thresholds failed',
  100: 'setup timeout',
  101: 'teardown timeout',
  102: 'generic timeout',
  103: 'generic engine error',
  104: 'invalid config',
  105: 'external abort',
  106: 'cannot start REST API',
  107: 'script exception',
  108: 'script aborted',
  109: 'Go panic',
  110: 'marked as failed',
};

const CACHE_BIN = join(homedir(), '.cache', 'kubeproof', 'bin', 'k6');

export class K6Runner {
  constructor(readonly binary: string = 'k6') {}

  static fromConfig(config: Config): K6Runner {
    return new K6Runner(config.k6.binary);
  }

  /** The k6 executable to run; fails fast with how to get one. */
  resolveBinary(): string {
    const found = findExecutable(this.binary) ?? (this.binary === 'k6' ? findExecutable(CACHE_BIN) : undefined);
    if (!found) {
      throw new BadInputError(
        `k6 binary "${this.binary}" not found${this.binary.includes('/') ? '' : ' on PATH'}`,
        `run \`npm run components:build\` (builds k6 into ~/.cache/kubeproof/bin), or install k6 v1 and set KUBEPROOF_K6_BIN=/path/to/k6`,
      );
    }
    return found;
  }

  /** The binary and the script, both found — checked before a load starts, not when its end is awaited. */
  preflight(scriptPath: string, cwd = process.cwd()): { binary: string; script: string } {
    const binary = this.resolveBinary();
    const script = resolve(cwd, scriptPath);
    if (!existsSync(script)) throw new BadInputError(`k6 script ${scriptPath} not found (looked at ${script})`);
    return { binary, script };
  }

  async run(opts: K6RunOptions): Promise<K6RunResult> {
    const { binary, script } = this.preflight(opts.script, opts.cwd);
    const dir = mkdtempSync(join(tmpdir(), 'kubeproof-k6-'));
    const summaryFile = join(dir, 'summary.json');
    const args = k6Args(script, summaryFile, opts);
    const durationMs = typeof opts.duration === 'string' ? k6DurationMs(opts.duration) : opts.duration;
    const timeoutMs = opts.timeoutMs ?? (durationMs ? durationMs + 60_000 : 600_000);
    const started = performance.now();
    try {
      const { execa } = await import('execa');
      const res = await execa(binary, args, {
        cwd: opts.cwd,
        reject: false,
        timeout: timeoutMs,
        forceKillAfterDelay: 5000,
        cancelSignal: opts.signal,
        env: { K6_NO_USAGE_REPORT: 'true', NO_COLOR: '1' },
        stdin: 'ignore',
        maxBuffer: 50_000_000,
      });
      const raw = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as unknown) : undefined;
      const summary = raw ? parseK6Summary(raw) : undefined;
      const thresholdsPassed = !!summary && summary.thresholds.every((t) => t.ok);
      const exitMeaning = res.timedOut
        ? `killed after the ${formatDuration(timeoutMs)} timeout`
        : res.isCanceled
          ? 'interrupted'
          : res.exitCode === undefined
            ? `terminated by ${res.signal ?? 'a signal'}`
            : (K6_EXIT_CODES[res.exitCode] ?? `exit code ${res.exitCode}`);
      return {
        command: [binary, ...redactArgs(args)],
        script: opts.script,
        exitCode: res.exitCode,
        exitMeaning,
        ok: res.exitCode === 0 && thresholdsPassed,
        thresholdsPassed,
        timedOut: res.timedOut,
        durationMs: Math.round(performance.now() - started),
        summary,
        stdoutTail: tail(String(res.stdout ?? '')),
        stderrTail: tail(String(res.stderr ?? '')),
        raw,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

// ---- pure helpers (unit tested) ----

export function k6Args(script: string, summaryFile: string, opts: Omit<K6RunOptions, 'script'>): string[] {
  const args = ['run', '--quiet', '--no-color', '--no-usage-report', '--address', '', `--summary-export=${summaryFile}`];
  if (opts.vus !== undefined) args.push('--vus', String(opts.vus));
  if (opts.duration !== undefined)
    args.push('--duration', typeof opts.duration === 'number' ? `${Math.max(1, Math.round(opts.duration / 1000))}s` : opts.duration);
  if (opts.iterations !== undefined) args.push('--iterations', String(opts.iterations));
  for (const [k, v] of Object.entries(opts.env ?? {})) args.push('-e', `${k}=${v}`);
  args.push(...(opts.extraArgs ?? []), script);
  return args;
}

const SECRET_KEY = /token|password|passwd|secret|key|auth|credential/i;

export function redactArgs(args: string[]): string[] {
  return args.map((a, i) => {
    if (args[i - 1] !== '-e') return a;
    const eq = a.indexOf('=');
    return eq > 0 && SECRET_KEY.test(a.slice(0, eq)) ? `${a.slice(0, eq)}=***` : a;
  });
}

/** "30s", "2m", "1m30s", "500ms", "1h" → ms (k6's Go durations). */
export function k6DurationMs(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let matched = '';
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(m[1]) * units[m[2]];
    matched += m[0];
  }
  return matched && matched === text.trim() ? total : undefined;
}

/** Parses the `--summary-export` JSON. In it, a threshold's value is true when it was crossed (failed). */
export function parseK6Summary(raw: unknown): K6Summary {
  const data = raw as { metrics?: Record<string, Record<string, unknown>>; root_group?: RawGroup };
  const metrics: K6Summary['metrics'] = {};
  const thresholds: K6Threshold[] = [];
  for (const [name, m] of Object.entries(data.metrics ?? {})) {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(m)) {
      if (k === 'thresholds') {
        for (const [expression, crossed] of Object.entries(v as Record<string, boolean | { ok: boolean }>)) {
          const ok = typeof crossed === 'object' ? crossed.ok : !crossed;
          thresholds.push({ metric: name, expression, ok });
        }
      } else if (typeof v === 'number') {
        values[k] = v;
      }
    }
    metrics[name] = values;
  }
  const checks = collectChecks(data.root_group);
  const get = (metric: string, key: string) => metrics[metric]?.[key];
  return {
    metrics,
    thresholds,
    checks,
    headline: {
      httpReqs: get('http_reqs', 'count'),
      httpReqsPerSec: get('http_reqs', 'rate'),
      iterations: get('iterations', 'count'),
      httpReqDurationP95Ms: get('http_req_duration', 'p(95)'),
      httpReqDurationAvgMs: get('http_req_duration', 'avg'),
      httpReqFailedRate: get('http_req_failed', 'value'),
      checksRate: get('checks', 'value'),
      vusMax: get('vus_max', 'value') ?? get('vus_max', 'max'),
    },
  };
}

interface RawGroup {
  checks?: Record<string, { name: string; path: string; passes: number; fails: number }> | { name: string; path: string; passes: number; fails: number }[];
  groups?: Record<string, RawGroup> | RawGroup[];
}

function collectChecks(group: RawGroup | undefined): K6Check[] {
  if (!group) return [];
  const own = Object.values(group.checks ?? {}).map((c) => ({ name: c.name, path: c.path, passes: c.passes, fails: c.fails }));
  return [...own, ...Object.values(group.groups ?? {}).flatMap(collectChecks)];
}

function tail(text: string, lines = 60): string {
  return text.split('\n').slice(-lines).join('\n').trim();
}
