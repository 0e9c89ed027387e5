import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineNamesAddress, logLineTime } from '../../support/checks/logs';

test('a log line names an address only as a whole', () => {
  const line = '2026-11-24T22:50:34.942759378Z 2026/11/24 22:50:34 http: TLS handshake error from 10.244.0.7:36272: EOF';
  assert.ok(lineNamesAddress(line, '10.244.0.7'));
  assert.ok(!lineNamesAddress(line, '10.244.0.70'));
  assert.ok(!lineNamesAddress(line, '0.244.0.7'));
  assert.ok(!lineNamesAddress('… from 10.244.0.71:1234', '10.244.0.7'));
  assert.ok(!lineNamesAddress('… from 110.244.0.7:1234', '10.244.0.7'));
  assert.ok(lineNamesAddress('[httpd] 10.244.0.11 - conveyor', '10.244.0.11'));
});

test('a log line is timed by its leading RFC 3339 timestamp, nanoseconds and all', () => {
  assert.equal(logLineTime('2026-11-24T22:50:34.942759378Z hello'), Date.UTC(2026, 10, 24, 22, 50, 34, 942));
  assert.ok(Number.isNaN(logLineTime('no timestamp here')));
});
