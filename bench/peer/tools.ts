import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { nowMs } from './watcher';

/**
 * Running each tool once, bounded, and reading what it reported: cucumber's
 * messages for kubeproof, Chainsaw's JSON report. Times are wall-clock
 * milliseconds since the epoch (the clock the independent watcher stamps with).
 */

export interface Proc {
  exitCode: number | null;
  signal: string | null;
  startedAt: number;
  endedAt: number;
  stdout: string;
  stderr: string;
  /** From /usr/bin/time: the tool process's peak RSS and CPU seconds (user + system). */
  maxRssKiB?: number;
  cpuSeconds?: number;
  timedOut: boolean;
}

let current: { kill: (signal: NodeJS.Signals) => void } | undefined;

/** Asks the running tool (if any) to stop: SIGINT, as a person at a terminal would; both tools clean up on it. */
export function interruptCurrent(): void {
  current?.kill('SIGINT');
}

/** Runs a command under /usr/bin/time (when present), at most `timeoutMs`. Never rejects on a non-zero exit. */
export function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, timeFile: string): Promise<Proc> {
  const timed = existsSync('/usr/bin/time');
  const file = timed ? '/usr/bin/time' : cmd;
  const argv = timed ? ['-f', '%M %U %S', '-o', timeFile, cmd, ...args] : args;
  return new Promise((resolve, reject) => {
    const startedAt = nowMs();
    // its own process group, so a signal reaches the tool and not only /usr/bin/time (which ignores SIGINT)
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const signalGroup = (s: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, s);
      } catch {
        /* already gone */
      }
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    current = { kill: signalGroup };
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGINT');
      setTimeout(() => signalGroup('SIGKILL'), 30_000).unref();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      current = undefined;
      reject(e);
    });
    child.on('close', (exitCode, signal) => {
      const endedAt = nowMs();
      clearTimeout(timer);
      current = undefined;
      let maxRssKiB: number | undefined;
      let cpuSeconds: number | undefined;
      if (timed && existsSync(timeFile)) {
        const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(timeFile, 'utf8'));
        if (m) {
          maxRssKiB = Number(m[1]);
          cpuSeconds = Math.round((Number(m[2]) + Number(m[3])) * 100) / 100;
        }
      }
      resolve({
        exitCode,
        signal,
        startedAt,
        endedAt,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        maxRssKiB,
        cpuSeconds,
        timedOut,
      });
    });
  });
}

/** One step (or hook) of a cucumber test case, from its messages. */
export interface CukeStep {
  text: string;
  hook: boolean;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  status: string;
  message?: string;
}

export interface CukeRun {
  caseStartedAt?: number;
  caseFinishedAt?: number;
  steps: CukeStep[];
  success?: boolean;
}

const msOf = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;

type Timestamp = { seconds: number; nanos: number };
/** The cucumber messages read here (a subset of @cucumber/messages' Envelope). */
interface Envelope {
  pickle?: { steps: { id: string; text: string }[] };
  testCase?: { testSteps: { id: string; pickleStepId?: string }[] };
  testCaseStarted?: { timestamp: Timestamp };
  testCaseFinished?: { timestamp: Timestamp };
  testRunFinished?: { success: boolean };
  testStepStarted?: { testStepId: string; timestamp: Timestamp };
  testStepFinished?: {
    testStepId: string;
    timestamp: Timestamp;
    testStepResult: { duration: Timestamp; status: string; message?: string; exception?: { message?: string } };
  };
}

/** Reads a cucumber `message:` ndjson file of one scenario. */
export function parseCucumberMessages(text: string): CukeRun {
  const messages = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Envelope);
  const pickleSteps = new Map<string, string>();
  for (const m of messages) if (m.pickle) for (const s of m.pickle.steps) pickleSteps.set(s.id, s.text);
  const testSteps = new Map<string, { text: string; hook: boolean }>();
  for (const m of messages)
    if (m.testCase)
      for (const s of m.testCase.testSteps)
        testSteps.set(s.id, s.pickleStepId ? { text: pickleSteps.get(s.pickleStepId) ?? '?', hook: false } : { text: 'hook', hook: true });
  const started = new Map<string, number>();
  const run: CukeRun = { steps: [] };
  for (const m of messages) {
    if (m.testCaseStarted) run.caseStartedAt ??= msOf(m.testCaseStarted.timestamp);
    if (m.testCaseFinished) run.caseFinishedAt = msOf(m.testCaseFinished.timestamp);
    if (m.testRunFinished) run.success = m.testRunFinished.success;
    if (m.testStepStarted) started.set(m.testStepStarted.testStepId, msOf(m.testStepStarted.timestamp));
    if (m.testStepFinished) {
      const f = m.testStepFinished;
      const s = testSteps.get(f.testStepId) ?? { text: '?', hook: false };
      run.steps.push({
        ...s,
        startedAt: started.get(f.testStepId) ?? NaN,
        finishedAt: msOf(f.timestamp),
        durationMs: msOf(f.testStepResult.duration),
        status: f.testStepResult.status,
        message: f.testStepResult.exception?.message ?? firstLines(f.testStepResult.message),
      });
    }
  }
  return run;
}

/** An error message without its stack trace. */
function firstLines(message: string | undefined): string | undefined {
  if (!message) return undefined;
  return message
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .join('\n')
    .replace(/^Error: /, '');
}

export interface ChainsawOperation {
  type: string;
  description?: string;
  status: string;
  startedAt: number;
  endedAt: number;
  failure?: string;
}

export interface ChainsawRun {
  testStartedAt?: number;
  testEndedAt?: number;
  status?: string;
  namespace?: string;
  operations: ChainsawOperation[];
}

/** Go's RFC 3339 time with nanoseconds → epoch ms, keeping the sub-millisecond part. */
export function parseGoTime(s: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return NaN;
  return Date.parse(`${m[1]}${m[3]}`) + (m[2] ? Number(`0${m[2]}`) * 1000 : 0);
}

/** Reads Chainsaw's JSON report (`--report-format JSON`) of one test. */
export function parseChainsawReport(text: string): ChainsawRun {
  const r = JSON.parse(text) as {
    tests?: {
      status: string;
      startTime: string;
      endTime: string;
      namespace?: string;
      steps?: { operations?: { type: string; status: string; startTime: string; endTime: string; failure?: { error?: string } }[] }[];
    }[];
  };
  const t = r.tests?.[0];
  if (!t) return { operations: [] };
  return {
    testStartedAt: parseGoTime(t.startTime),
    testEndedAt: parseGoTime(t.endTime),
    status: t.status,
    namespace: t.namespace,
    operations: (t.steps ?? []).flatMap((s) =>
      (s.operations ?? []).map((o) => ({
        type: o.type,
        status: o.status,
        startedAt: parseGoTime(o.startTime),
        endedAt: parseGoTime(o.endTime),
        failure: o.failure?.error,
      })),
    ),
  };
}
