import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Observation, waitUntil } from '../../support/engine/wait';
import { BadInputError, errorText, GoneError, NotVerifiedError, WaitTimeoutError } from '../../support/engine/errors';

test('a poll-only wait resolves when the check turns ok and keeps a timeline', async () => {
  let n = 0;
  const r = await waitUntil({
    what: 'counter to reach 3',
    timeoutMs: 2000,
    intervalMs: 10,
    check: async () => ({ ok: ++n >= 3, value: n, summary: `n=${n}` }),
  });
  assert.equal(r.value, 3);
  assert.equal(r.observations, 3);
  assert.deepEqual(
    r.timeline.map((t) => t.summary),
    ['n=1', 'n=2', 'n=3'],
  );
});

test('on timeout the error says what was awaited and what was last seen', async () => {
  await assert.rejects(
    waitUntil({ what: 'pods to be Ready', timeoutMs: 80, intervalMs: 10, check: async () => ({ ok: false, summary: '1/2 ready' }) }),
    (e: unknown) => e instanceof WaitTimeoutError && /waiting for pods to be Ready; last seen \(\d+ observations\): 1\/2 ready/.test(e.message),
  );
});

test('transient errors are observations; bad input ends the wait at once', async () => {
  let n = 0;
  const r = await waitUntil({
    what: 'endpoint to answer',
    timeoutMs: 2000,
    intervalMs: 5,
    check: async () => {
      if (++n < 3) throw new Error('ECONNREFUSED');
      return { ok: true, summary: 'answered' };
    },
  });
  assert.equal(r.timeline[0].summary, 'error: ECONNREFUSED');
  const started = Date.now();
  await assert.rejects(
    waitUntil({
      what: 'query',
      timeoutMs: 5000,
      check: async () => {
        throw new BadInputError('parse error at char 5');
      },
    }),
    /parse error at char 5/,
  );
  assert.ok(Date.now() - started < 1000, 'a malformed query fails fast, not at the timeout');
});

test('a watch notices a change without waiting for the next poll', async () => {
  let state = 'pending';
  const r0 = performance.now();
  const r = await waitUntil<string>({
    what: 'state to become ready',
    timeoutMs: 5000,
    intervalMs: 60_000, // the poll alone would never make it
    check: async () => ({ ok: state === 'ready', value: state, summary: state }),
    watch: (notify) => {
      const t = setTimeout(() => {
        state = 'ready';
        notify();
      }, 30);
      return () => clearTimeout(t);
    },
  });
  assert.equal(r.value, 'ready');
  assert.ok(performance.now() - r0 < 1000);
});

test('a watch may push observations directly', async () => {
  const r = await waitUntil<number>({
    what: 'replicas to reach 2',
    timeoutMs: 5000,
    intervalMs: 60_000,
    check: async () => ({ ok: false, summary: 'replicas=1' }),
    watch: (notify) => {
      const t = setTimeout(() => notify({ ok: true, value: 2, summary: 'replicas=2' } as Observation<number>), 20);
      return () => clearTimeout(t);
    },
  });
  assert.equal(r.value, 2);
  assert.deepEqual(
    r.timeline.map((t) => t.summary),
    ['replicas=1', 'replicas=2'],
  );
});

test('a look that was in flight when the watch pushed a newer state is not recorded over it', async () => {
  let looks = 0;
  const r = await waitUntil<number>({
    what: 'replicas to hold at 2',
    timeoutMs: 5000,
    holdMs: 150,
    intervalMs: 60_000,
    // the first look reads the old state slowly; the watch's newer state arrives meanwhile
    check: async () => {
      looks++;
      if (looks === 1) {
        await new Promise((res) => setTimeout(res, 80));
        return { ok: false, summary: 'replicas=1' };
      }
      return { ok: true, value: 2, summary: 'replicas=2' };
    },
    watch: (notify) => {
      const t = setTimeout(() => notify({ ok: true, value: 2, summary: 'replicas=2' }), 20);
      return () => clearTimeout(t);
    },
  });
  assert.equal(r.value, 2);
  assert.ok(!r.timeline.some((t) => t.summary === 'replicas=1'), JSON.stringify(r.timeline));
  // the hold counted from the pushed state: the stale look did not restart it
  assert.ok(r.okSinceMs < 60, `ok since ${r.okSinceMs} ms`);
});

test('the watch is stopped once the wait has ended, after the result went out', async () => {
  let stopped = 0;
  const r = await waitUntil<number>({
    what: 'replicas to reach 2',
    timeoutMs: 5000,
    intervalMs: 60_000,
    check: async () => ({ ok: false, summary: 'replicas=1' }),
    watch: (notify) => {
      const t = setTimeout(() => notify({ ok: true, value: 2, summary: 'replicas=2' }), 10);
      return () => {
        clearTimeout(t);
        stopped++;
      };
    },
  });
  assert.equal(r.value, 2);
  await new Promise((res) => setImmediate(res));
  assert.equal(stopped, 1);
});

test('an aborted wait ends promptly and says what it was waiting for', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(
    waitUntil({ what: 'HPA to scale', timeoutMs: 10_000, intervalMs: 5, signal: ac.signal, check: async () => ({ ok: false, summary: 'replicas=1' }) }),
    /interrupted while waiting for HPA to scale.*replicas=1/,
  );
});

test('what cannot run here ends the wait at once as not verified, not as a timeout', async () => {
  const started = Date.now();
  await assert.rejects(
    waitUntil({
      what: 'pod metrics',
      timeoutMs: 5000,
      check: async () => {
        throw new NotVerifiedError('the cluster does not serve metrics.k8s.io');
      },
    }),
    (e) => e instanceof NotVerifiedError && /metrics\.k8s\.io/.test(e.message),
  );
  assert.ok(Date.now() - started < 1000, 'ended at once');
});

test('holdMs: a condition that is true only for moments (a pod Ready between crashes) never ends the wait', async () => {
  let looks = 0;
  await assert.rejects(
    waitUntil({
      what: 'pod crasher to be Ready',
      timeoutMs: 600,
      intervalMs: 20,
      holdMs: 200,
      check: async () => ({ ok: ++looks % 3 === 0, summary: looks % 3 === 0 ? '1/1 Ready' : '0/1 Ready (CrashLoopBackOff)' }),
    }),
    (e: Error) => {
      assert.ok(e instanceof WaitTimeoutError, String(e));
      assert.match(e.message, /pod crasher to be Ready/);
      assert.match(e.message, /it held \d+ time\(s\) but never for 200ms/);
      return true;
    },
  );
});

test('holdMs: a condition that stays true ends the wait after the hold, and says when it first held', async () => {
  const started = performance.now();
  const r = await waitUntil({ what: 'steady', timeoutMs: 2000, intervalMs: 20, holdMs: 150, check: async () => ({ ok: true, summary: 'Ready' }) });
  assert.ok(r.elapsedMs >= 150, `ended after ${r.elapsedMs}ms, before the hold`);
  assert.ok(r.okSinceMs < 50, `first held at ${r.okSinceMs}ms`);
  assert.ok(performance.now() - started < 1000);
});

test('a thing that is gone ends the wait at once, with why', async () => {
  const started = performance.now();
  await assert.rejects(
    waitUntil({
      what: 'pod p to be Ready',
      timeoutMs: 5000,
      intervalMs: 10,
      check: async () => {
        throw new GoneError('pod ns/p was deleted while kubeproof waited for it to be Ready');
      },
    }),
    /pod ns\/p was deleted/,
  );
  assert.ok(performance.now() - started < 1000);
});

test('errorText reads what non-Error rejections carry (a WebSocket ErrorEvent), never "[object Object]"', () => {
  assert.equal(errorText({ type: 'error', message: 'Unexpected server response: 404' }), 'Unexpected server response: 404');
  assert.equal(errorText({ error: new Error('connect ECONNREFUSED 10.0.0.1:6443') }), 'connect ECONNREFUSED 10.0.0.1:6443');
  const circular: Record<string, unknown> = { type: 'error' };
  circular.target = circular;
  assert.equal(errorText(circular), 'error event');
});
