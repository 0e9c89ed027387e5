import { BadInputError, errorText, formatDuration, GoneError, NotVerifiedError, WaitTimeoutError } from './errors';

/** What one look at the awaited condition saw. `summary` is what a timeout message repeats. */
export interface Observation<T> {
  ok: boolean;
  value?: T;
  summary: string;
}

/**
 * A push source (Kubernetes watch, log tail...): call `notify` when something changed, with the
 * observation when the event itself shows the state (no look in between), without to ask for a look.
 */
export type WatchSource<T> = (notify: (observation?: Observation<T>) => void, fail: (error: unknown) => void) => Promise<() => void> | (() => void);

export interface WaitSpec<T> {
  /** What is awaited, in words: "deployment producer to have 2 ready replicas". */
  what: string;
  timeoutMs: number;
  /** Looks at the condition once. Throwing BadInputError, NotVerifiedError or GoneError ends the wait at once; other errors are observations. */
  check: () => Promise<Observation<T>>;
  /** Poll interval: the only trigger without a watch, a safety net with one. */
  intervalMs?: number;
  /** Push source: with it a change is noticed when it happens, not on the next poll. */
  watch?: WatchSource<T>;
  signal?: AbortSignal;
  /**
   * The condition must hold this long, every look in between ok, before the wait ends:
   * a pod that is Ready for a moment between two crashes is not Ready.
   */
  holdMs?: number;
}

export interface WaitResult<T> {
  value: T | undefined;
  summary: string;
  elapsedMs: number;
  observations: number;
  /** Every distinct summary seen, with its offset from the start: a timeline for the report. */
  timeline: { atMs: number; summary: string }[];
  /** When the condition that ended the wait first held (offset from the start; equals elapsedMs without holdMs). */
  okSinceMs: number;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_WATCHED_POLL_MS = 5000;

/**
 * Waits until `check` (or the watch) reports ok, at most `timeoutMs`.
 * On timeout the error says what was awaited, for how long and what was last seen.
 */
export function waitUntil<T>(spec: WaitSpec<T>): Promise<WaitResult<T>> {
  const started = performance.now();
  const timeline: WaitResult<T>['timeline'] = [];
  let observations = 0;
  let lastSummary = 'nothing observed yet';
  let settled = false;
  let checking = false;
  let recheck = false;
  let stopWatch: (() => void) | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let holdTimer: NodeJS.Timeout | undefined;
  let okSince: number | undefined;
  let pushedAt: number | undefined; // when the watch last handed over an observation of its own
  let lapses = 0; // times the condition held for a moment and was lost again

  return new Promise<WaitResult<T>>((resolve, reject) => {
    const finish = (error?: unknown, obs?: Observation<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(pollTimer);
      clearTimeout(deadline);
      clearTimeout(holdTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      // Stopping a watch (aborting its HTTP stream) takes 5–30 ms: the verdict goes out first.
      const stop = stopWatch;
      if (stop)
        setImmediate(() => {
          try {
            stop();
          } catch {
            /* a watch that fails to stop must not hide the result */
          }
        });
      if (error) reject(error);
      else
        resolve({
          value: obs?.value,
          summary: obs?.summary ?? lastSummary,
          elapsedMs: performance.now() - started,
          observations,
          timeline,
          okSinceMs: (okSince ?? performance.now()) - started,
        });
    };

    const record = (obs: Observation<T>) => {
      observations++;
      if (obs.summary !== lastSummary || timeline.length === 0) {
        timeline.push({ atMs: Math.round(performance.now() - started), summary: obs.summary });
      }
      lastSummary = obs.summary;
      const now = performance.now();
      if (!obs.ok) {
        if (okSince !== undefined) lapses++;
        okSince = undefined;
        return;
      }
      okSince ??= now;
      const held = now - okSince;
      if (spec.holdMs && held < spec.holdMs) {
        lastSummary = `${obs.summary}, holding for ${formatDuration(held)} of the ${formatDuration(spec.holdMs)} it must`;
        clearTimeout(holdTimer);
        holdTimer = setTimeout(() => void runCheck(), spec.holdMs - held + 20);
        return;
      }
      finish(undefined, obs);
    };

    const runCheck = async () => {
      if (settled) return;
      if (checking) {
        recheck = true; // coalesce bursts of notifications into one more look
        return;
      }
      checking = true;
      const lookStarted = performance.now();
      try {
        const obs = await spec.check();
        // A watch event that arrived while this look was in flight is newer than what the look read.
        if (pushedAt === undefined || pushedAt < lookStarted) record(obs);
      } catch (e) {
        // Bad input cannot improve, and what cannot run here will not start running: both end the wait at once.
        if (e instanceof BadInputError || e instanceof NotVerifiedError || e instanceof GoneError) return finish(e);
        record({ ok: false, summary: `error: ${errorText(e)}` });
      } finally {
        checking = false;
      }
      if (recheck && !settled) {
        recheck = false;
        void runCheck();
      }
    };

    const schedulePoll = () => {
      if (settled) return;
      const interval = spec.intervalMs ?? (spec.watch ? DEFAULT_WATCHED_POLL_MS : DEFAULT_POLL_MS);
      pollTimer = setTimeout(async () => {
        await runCheck();
        schedulePoll();
      }, interval);
    };

    const onAbort = () =>
      finish(new Error(`interrupted while waiting for ${spec.what} (${formatDuration(performance.now() - started)}); last seen: ${lastSummary}`));

    if (spec.signal?.aborted) return onAbort();
    spec.signal?.addEventListener('abort', onAbort);

    const lapsed = () => (lapses ? `; it held ${lapses} time(s) but never for ${formatDuration(spec.holdMs ?? 0)}` : '');
    deadline = setTimeout(
      () => finish(new WaitTimeoutError(spec.what, performance.now() - started, `${lastSummary}${lapsed()}`, observations)),
      spec.timeoutMs,
    );

    const start = async () => {
      if (spec.watch) {
        try {
          const stop = await spec.watch(
            (obs) => {
              if (!obs) return void runCheck();
              if (settled) return;
              pushedAt = performance.now();
              record(obs);
            },
            (e) => {
              // The watch broke: keep polling, and say so in the timeline.
              timeline.push({ atMs: Math.round(performance.now() - started), summary: `watch ended: ${errorText(e)}` });
            },
          );
          if (settled) stop();
          else stopWatch = stop;
        } catch (e) {
          timeline.push({ atMs: Math.round(performance.now() - started), summary: `watch unavailable, polling: ${errorText(e)}` });
        }
      }
      await runCheck();
      schedulePoll();
    };
    void start();
  });
}

/** Waits for a fixed time, e.g. to let a load test settle; named so the report says why. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('interrupted'));
    });
  });
}
