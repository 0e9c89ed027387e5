import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countFromResult, countQuery, firstColumn, parseInfluxResponse, quoteIdent, rowsOf } from '../../support/clients/influx';

// Shapes as InfluxDB 1.6 answers /query?epoch=ms.
test('statements, series and statement errors are parsed', () => {
  const statements = parseInfluxResponse({
    results: [
      { statement_id: 0, series: [{ name: 'databases', columns: ['name'], values: [['_internal'], ['conveyor']] }] },
      { statement_id: 1, error: 'database not found: nope' },
    ],
  });
  assert.equal(statements.length, 2);
  assert.deepEqual(firstColumn({ statements }), ['_internal', 'conveyor']);
  assert.equal(statements[1].error, 'database not found: nope');
  assert.deepEqual(statements[1].series, []);
});

test('count(*) takes the largest per-field count; no series means zero', () => {
  const statements = parseInfluxResponse({
    results: [{ statement_id: 0, series: [{ name: 'conveyor_readings', columns: ['time', 'count_speed', 'count_weight'], values: [[0, 12, 10]] }] }],
  });
  assert.deepEqual(countFromResult({ statements }), { count: 12, perField: { count_speed: 12, count_weight: 10 } });
  assert.deepEqual(countFromResult({ statements: parseInfluxResponse({ results: [{ statement_id: 0 }] }) }), { count: 0, perField: {} });
});

test('count across GROUP BY series adds up per field', () => {
  const statements = parseInfluxResponse({
    results: [
      {
        statement_id: 0,
        series: [
          { name: 'm', tags: { line: 'a' }, columns: ['time', 'count_v'], values: [[0, 2]] },
          { name: 'm', tags: { line: 'b' }, columns: ['time', 'count_v'], values: [[0, 3]] },
        ],
      },
    ],
  });
  assert.equal(countFromResult({ statements }).count, 5);
  assert.deepEqual(rowsOf(statements[0].series[1]), [{ time: 0, count_v: 3 }]);
});

test('count queries quote the measurement and bound the time', () => {
  assert.equal(countQuery('conveyor_readings', 60_000), 'SELECT count(*) FROM "conveyor_readings" WHERE time > now() - 60000ms');
  assert.equal(countQuery('a"b', new Date('2026-11-22T00:00:00Z')), `SELECT count(*) FROM "a\\"b" WHERE time >= '2026-11-22T00:00:00.000Z'`);
  assert.equal(quoteIdent('x'), '"x"');
});
