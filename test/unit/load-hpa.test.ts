import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRescale, scaleUpsAfter } from '../../support/checks/autoscaling';

// The messages as the HPA controller (Kubernetes 1.3x) writes them.
const UP = 'New size: 4; reason: cpu resource utilization (percentage of request) above target';
const DOWN = 'New size: 1; reason: All metrics below target';

test('rescale messages: new size and whether the reason is above target', () => {
  assert.deepEqual(parseRescale(UP), { size: 4, reason: 'cpu resource utilization (percentage of request) above target', aboveTarget: true });
  assert.deepEqual(parseRescale(DOWN), { size: 1, reason: 'All metrics below target', aboveTarget: false });
  assert.equal(parseRescale('something else'), undefined);
});

test('only scale-ups after the load began count (the old check took any SuccessfulRescale of the last hour)', () => {
  const start = 1_000_000;
  const judged = scaleUpsAfter(
    [
      { atMs: start - 600_000, message: UP }, // an earlier run's scale-up
      { atMs: start + 30_000, message: DOWN }, // a scale-down during the load
      { atMs: start + 45_000, message: 'New size: 1; reason: cpu resource utilization (percentage of request) above target' },
      { atMs: start + 60_000, message: UP },
    ],
    start,
    1,
  );
  assert.deepEqual(
    judged.map((j) => [j.counted, j.why]),
    [
      [false, 'before the load began'],
      [false, 'not a scale-up (reason is not "above target")'],
      [false, 'new size 1 is not above the 1 before the load'],
      [true, 'scale-up after the load began'],
    ],
  );
});

test('event times are whole seconds: an event in the second the load began counts', () => {
  const judged = scaleUpsAfter([{ atMs: 1_000_000, message: UP }], 1_000_400, 1);
  assert.equal(judged[0].counted, true);
  assert.equal(scaleUpsAfter([{ atMs: 999_000, message: UP }], 1_000_400, 1)[0].counted, false);
});
