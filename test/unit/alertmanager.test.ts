import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configuredReceivers, describeHeld, describeReceived, notifies } from '../../support/checks/alertmanager';
import type { AmAlert } from '../../support/clients/alertmanager';
import type { SinkNotification } from '../../support/clients/webhook-sink';

const notification = (seq: number, receiver: string, alerts: [string, string][]): SinkNotification => ({
  seq,
  receivedAt: `2026-11-24T20:00:0${seq}.000Z`,
  path: `/${receiver}`,
  receiver,
  status: alerts.some(([, s]) => s === 'firing') ? 'firing' : 'resolved',
  alerts: alerts.map(([alertname, status]) => ({ alertname, status, labels: { alertname } })),
  payload: {},
});

test("a notification counts for the receiver it names and the alert's own status, not the group's", () => {
  const grouped = notification(1, 'webhook', [
    ['Watchdog', 'firing'],
    ['Flapping', 'resolved'],
  ]);
  assert.equal(notifies(grouped, 'webhook', 'Watchdog', 'firing'), true);
  assert.equal(notifies(grouped, 'webhook', 'Flapping', 'resolved'), true);
  assert.equal(notifies(grouped, 'webhook', 'Flapping', 'firing'), false, 'the group fires, this alert resolved');
  assert.equal(notifies(grouped, 'critical', 'Watchdog', 'firing'), false, 'another receiver');
});

test('what the sink received is summed up per receiver and alerts, and nothing is said as nothing', () => {
  assert.equal(describeReceived([]), 'the sink received no notification during this step');
  assert.equal(
    describeReceived([notification(1, 'webhook', [['Watchdog', 'firing']]), notification(2, 'webhook', [['Watchdog', 'firing']])]),
    'the sink received 2 notifications during this step: receiver webhook (/webhook): Watchdog firing ×2',
  );
});

test('Alertmanager alerts: the instances of the name, or the names held instead', () => {
  const alert: AmAlert = {
    labels: { alertname: 'Watchdog', severity: 'none' },
    annotations: {},
    startsAt: '2026-11-24T20:00:00Z',
    endsAt: '2026-11-24T20:04:00Z',
    updatedAt: '2026-11-24T20:00:00Z',
    fingerprint: 'f',
    status: { state: 'suppressed', silencedBy: ['s1'], inhibitedBy: [] },
    receivers: [{ name: 'webhook' }],
  };
  assert.match(describeHeld('Watchdog', [alert]), /^Watchdog: \{severity="none"\} suppressed \(silenced by s1\) since .*, receivers webhook$/);
  assert.equal(describeHeld('Other', [alert]), 'Alertmanager holds no alert named Other; it holds: Watchdog');
});

test("the receivers of Alertmanager's loaded configuration are read from its YAML", () => {
  assert.deepEqual(configuredReceivers('route:\n  receiver: webhook\nreceivers:\n  - name: webhook\n  - name: critical\n'), ['webhook', 'critical']);
  assert.deepEqual(configuredReceivers(': not yaml ['), []);
});
