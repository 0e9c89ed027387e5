import { rowsOf } from '../clients/influx';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

/** "InfluxDB answers its ping". */
export function influxPing(ctx: Ctx): StepResult {
  return ctx.check('InfluxDB answers its ping', async () => {
    const influx = await ctx.clients.influx();
    const r = await influx.ping();
    return `${r.request.url}: version ${r.version}`;
  });
}

/** "InfluxDB measurement `conveyor_readings` has at least 1 point in the last 1m within 30s". */
export function influxPointsRecent(ctx: Ctx, measurement: string, cmp: Comparison, n: number, windowMs: number, withinMs: number): StepResult {
  return ctx.check(`InfluxDB measurement ${measurement} has ${describeComparison(cmp, n)} points in the last ${formatDuration(windowMs)}`, async () => {
    const influx = await ctx.clients.influx();
    const r = await influx.expectCount(measurement, cmp, n, windowMs, withinMs);
    await ctx.evidence.text(
      `InfluxQL: ${r.query}`,
      `Query:    ${r.query}\nDatabase: ${influx.database}\nAsked:    ${r.request.url}\nObserved: ${r.count} points (per field: ${JSON.stringify(r.perField)})\nWaited:   ${formatDuration(r.elapsedMs)}`,
    );
    return `${r.count} points in the last ${formatDuration(windowMs)}`;
  });
}

/** "the InfluxQL `SHOW DATABASES` returns at least 1 row". */
export function influxqlRows(ctx: Ctx, influxql: string, cmp: Comparison, n: number): StepResult {
  return ctx.check(`InfluxQL \`${influxql}\` returns ${describeComparison(cmp, n)} rows`, async () => {
    const influx = await ctx.clients.influx();
    const r = await influx.query(influxql);
    const errors = r.statements.filter((s) => s.error).map((s) => s.error);
    if (errors.length) throw new Error(`InfluxQL \`${influxql}\` failed: ${errors.join('; ')}`);
    const rows = r.statements.flatMap((s) => s.series.flatMap((se) => rowsOf(se)));
    await ctx.evidence.table(
      `InfluxQL: ${influxql} (${r.request.url})`,
      rows.slice(0, 50).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v as string]))),
    );
    if (!compare(rows.length, cmp, n)) throw new Error(`InfluxQL \`${influxql}\` returned ${rows.length} rows, expected ${describeComparison(cmp, n)}`);
    return `${rows.length} row(s)`;
  });
}
