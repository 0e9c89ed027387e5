import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareWithPods, listedInstances, percentile } from '../../support/checks/discovery';

test('an instance list is found as a bare array or the list inside an object, items by name or IP', () => {
  assert.deepEqual(listedInstances(['a-0', 'a-1']).items, [['a-0'], ['a-1']]);
  const r = listedInstances({ count: 2, instances: [{ name: 'a-0', ip: '10.0.0.1' }, { podIP: '10.0.0.2' }] });
  assert.equal(r.from, '$.instances');
  assert.deepEqual(r.items, [['a-0', '10.0.0.1'], ['10.0.0.2']]);
  assert.throws(() => listedInstances({ status: 'ok' }), /holds no list \(keys: status\)/);
  assert.throws(() => listedInstances('nope'), /not a JSON list/);
});

test('pods are matched by name or IP; items that match no pod are named', () => {
  const pods = [
    { name: 'a-0', ip: '10.0.0.1' },
    { name: 'a-1', ip: '' },
  ];
  const { listed, unknown } = compareWithPods([['10.0.0.1'], ['a-1'], ['ghost', '10.9.9.9']], pods);
  assert.deepEqual([...listed].sort(), ['a-0', 'a-1']);
  assert.deepEqual(unknown, ['ghost/10.9.9.9']);
  // a pod without an IP yet is not matched by an empty string
  assert.equal(compareWithPods([['']], pods).listed.size, 0);
});

test('percentiles are nearest-rank', () => {
  assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 95), 100);
  assert.equal(percentile([7], 95), 7);
});
