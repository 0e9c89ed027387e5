import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWindows, riseVerdict, volumeShortfall } from '../../support/checks/load';

// "rose during the load": like windows, a stated margin, no pass without a baseline.

test('a flat series does not rise (the old peak > mean passed it whenever noise lifted one point)', () => {
  const before = [10, 10.2, 9.8, 10, 10.1];
  const during = [10, 10.4, 9.9, 10.1, 10.2]; // peak 10.4 > mean 10.02: the old check passed
  const v = riseVerdict(before, during, 50);
  assert.equal(v.ok, false);
  assert.match(v.reason, /at least \+50% required/);
});

test('a slightly falling series does not rise', () => {
  assert.equal(riseVerdict([10, 10, 10], [9.5, 9.4, 11], 10).ok, false);
});

test('a rise below the margin fails; at or above it passes', () => {
  assert.equal(riseVerdict([10, 10], [14, 14], 50).ok, false);
  const v = riseVerdict([10, 10], [15, 15], 50);
  assert.equal(v.ok, true);
  assert.equal(v.risePct, 50);
  assert.match(v.reason, /mean 15\.000 during the load against 10\.000 before \(\+50\.0%/);
});

test('no baseline is a failure, not a zero baseline', () => {
  const v = riseVerdict([], [5, 6], 50);
  assert.equal(v.ok, false);
  assert.match(v.reason, /no value in the baseline window/);
  assert.equal(riseVerdict([NaN, NaN], [5], 50).ok, false);
});

test('no value during the load fails; a zero baseline rises when the load has values above 0', () => {
  assert.match(riseVerdict([1], [], 50).reason, /no value in the load window/);
  assert.equal(riseVerdict([0, 0], [2, 3], 50).ok, true);
  assert.equal(riseVerdict([0, 0], [0, 0], 50).ok, false);
});

test('windows: the second half of the load against an equal window just before it', () => {
  const load = { startedAtMs: 1_000_000, durationMs: 180_000, endedAtMs: 1_180_500 };
  const w = loadWindows(load, 1_200_000);
  assert.deepEqual(w.during, { startMs: 1_090_000, endMs: 1_180_000 });
  assert.deepEqual(w.before, { startMs: 1_000_000 - 90_000, endMs: 1_000_000 });
});

test('windows: a load still running is judged up to now; one that ended early up to its end', () => {
  const running = loadWindows({ startedAtMs: 0, durationMs: 100_000 }, 80_000);
  assert.deepEqual(running.during, { startMs: 50_000, endMs: 80_000 });
  assert.deepEqual(running.before, { startMs: -30_000, endMs: 0 });
  const early = loadWindows({ startedAtMs: 0, durationMs: 100_000, endedAtMs: 60_000 }, 200_000);
  assert.deepEqual(early.during, { startMs: 50_000, endMs: 60_000 });
});

test('windows: before the load reached its second half there is nothing to compare', () => {
  assert.throws(() => loadWindows({ startedAtMs: 0, durationMs: 100_000 }, 40_000), /not reached the second half/);
  assert.throws(() => loadWindows({ startedAtMs: 0, durationMs: 100_000, endedAtMs: 30_000 }, 90_000), /ended after 30s/);
});

test('request count and rate are both bounds', () => {
  assert.equal(volumeShortfall(400, 2.5, 300, 2), undefined);
  assert.equal(volumeShortfall(299, 2.5, 300, 2), 'sent 299 requests, fewer than 300');
  assert.equal(volumeShortfall(0, 0, 300, 2), 'sent 0 requests, fewer than 300 and at 0.00/s, slower than 2/s');
});
