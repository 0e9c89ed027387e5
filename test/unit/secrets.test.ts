import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataWrites } from '../../support/checks/secrets';

test('the writers of a Secret’s data are the managedFields entries owning data or stringData, newest first', () => {
  const writes = dataWrites([
    { manager: 'kubectl-label', operation: 'Update', time: '2026-11-24T20:09:00Z', fieldsV1: { 'f:metadata': { 'f:labels': {} } } },
    { manager: 'kubeproof', operation: 'Apply', time: '2026-11-24T20:00:00Z', fieldsV1: { 'f:stringData': { 'f:greeting': {} } } },
    { manager: 'controller', operation: 'Update', time: '2026-11-24T20:05:00Z', fieldsV1: { 'f:data': { 'f:value': {} } } },
    { manager: 'no-time', operation: 'Update', fieldsV1: { 'f:data': {} } },
  ]);
  assert.deepEqual(
    writes.map((w) => `${w.manager}@${w.time}`),
    ['controller@2026-11-24T20:05:00.000Z', 'kubeproof@2026-11-24T20:00:00.000Z'],
  );
  assert.deepEqual(dataWrites(undefined), []);
});
