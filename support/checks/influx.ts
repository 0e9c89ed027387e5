import { type InfluxCountResult, rowsOf } from '../clients/influx';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { BadInputError, formatDuration, WaitTimeoutError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

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

/** Env names whose values are never shown (credentials). */
const SECRET_NAME = /pass|token|secret|key|auth|credential/i;

/** A deployment's container env as name → value (plain values and ConfigMap keys; Secret references are named, never read). */
async function deploymentEnv(ctx: Ctx, namespace: string, name: string): Promise<Record<string, string>> {
  const k = ctx.clients.kube();
  const d = await k.apps.readNamespacedDeployment({ name, namespace });
  const env: Record<string, string> = {};
  for (const c of d.spec?.template.spec?.containers ?? []) {
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      if (e.value !== undefined) env[e.name] = SECRET_NAME.test(e.name) ? '***' : e.value;
      else if (cm) {
        const map = await k.core.readNamespacedConfigMap({ name: cm.name ?? '', namespace }).catch(() => undefined);
        env[e.name] = map?.data?.[cm.key] ?? `(ConfigMap ${cm.name} key ${cm.key} not found)`;
      } else if (e.valueFrom?.secretKeyRef) env[e.name] = `(Secret ${e.valueFrom.secretKeyRef.name})`;
    }
  }
  return env;
}

/** The writer's InfluxDB URLs: env values that are http(s) URLs under a name mentioning INFLUX. */
export function influxUrlsOf(env: Record<string, string>): { name: string; url: string }[] {
  return Object.entries(env)
    .filter(([n, v]) => /influx/i.test(n) && /^https?:\/\//i.test(v))
    .map(([name, url]) => ({ name, url }));
}

/**
 * "deployment `processor` writes new points to InfluxDB measurement `conveyor_readings` [over HTTPS] within 2m":
 * the sink itself shows points stamped after this step began. With `https`, the
 * writer's InfluxDB URL (from the cluster) is https://, kubeproof reads through
 * the HTTPS endpoint with certificate verification, and the server refuses
 * plain HTTP, so what landed came over TLS.
 */
export function influxReceivesNewPoints(ctx: Ctx, measurement: string, withinMs: number, opts: { writer?: string; https?: boolean } = {}): StepResult {
  const who = opts.writer ? `deployment ${opts.writer} writes` : 'InfluxDB receives';
  return ctx.check(`${who} new points to measurement ${measurement}${opts.https ? ' over HTTPS' : ''} within ${formatDuration(withinMs)}`, async () => {
    const since = new Date();
    const influx = await ctx.clients.influx();
    const namespace = platformNamespace(ctx);
    const env = opts.writer ? await deploymentEnv(ctx, namespace, opts.writer) : {};
    const writerUrls = influxUrlsOf(env);
    const writer = opts.writer
      ? `deployment ${opts.writer} (${
          Object.entries(env)
            .map(([n, v]) => `${n}=${v}`)
            .join(', ') || 'no env'
        })`
      : '';
    if (opts.writer)
      await ctx.evidence.table(
        `environment of deployment ${namespace}/${opts.writer}`,
        Object.entries(env).map(([name, value]) => ({ name, value })),
      );
    if (opts.writer && !writerUrls.length) throw new Error(`${writer} names no InfluxDB URL in its environment`);
    if (opts.https) {
      const plain = writerUrls.filter((u) => !/^https:/i.test(u.url));
      if (plain.length) throw new Error(`deployment ${opts.writer} writes to InfluxDB over plain HTTP: ${plain.map((u) => `${u.name}=${u.url}`).join(', ')}`);
      const url = ctx.config.influx.url ?? influx.endpoint.url ?? '';
      if (!/^https:/i.test(url)) throw new Error(`the InfluxDB endpoint ${url} is not HTTPS (KUBEPROOF_INFLUX_URL)`);
      if (influx.endpoint.tls?.insecureSkipVerify)
        throw new BadInputError(
          'the InfluxDB endpoint skips certificate verification',
          'unset KUBEPROOF_INFLUX_INSECURE_SKIP_VERIFY and give the platform CA in KUBEPROOF_INFLUX_CA_FILE',
        );
      const p = await influx.plainHttpAnswer();
      await ctx.evidence.text(
        'InfluxDB over HTTPS',
        `Read through:   ${url} (certificate verified against ${influx.endpoint.tls?.caFile ?? 'the system CAs'}${influx.endpoint.tls?.serverName ? `, name ${influx.endpoint.tls.serverName}` : ''})\nPlain HTTP:     ${p.url} → ${p.answer}\nWriter URLs:    ${writerUrls.map((u) => `${u.name}=${u.url}`).join(', ')}`,
      );
      if (p.acceptsPlain) throw new Error(`InfluxDB also accepts plain HTTP (${p.url} → ${p.answer}), so a write that landed need not have come over HTTPS`);
    }
    let last: InfluxCountResult | undefined;
    try {
      const r = await waitUntil({
        what: `InfluxDB measurement ${measurement} to hold points stamped after ${since.toISOString()}`,
        timeoutMs: withinMs,
        intervalMs: 2000,
        signal: ctx.signal,
        check: async () => {
          last = await influx.count(measurement, since);
          return { ok: last.count > 0, summary: `${last.count} points since ${since.toISOString()}` };
        },
      });
      await ctx.evidence.text(
        `InfluxQL: ${last!.query}`,
        `Query:    ${last!.query}\nDatabase: ${influx.database}\nAsked:    ${last!.request.url}\nObserved: ${r.summary} after ${formatDuration(r.elapsedMs)}`,
      );
      if (opts.https && opts.writer)
        await ctx.evidence.observe('client-tls', {
          client: `deployment ${opts.writer}`,
          server: 'InfluxDB',
          how: `HTTPS (${writerUrls.map((u) => `${u.name}=${u.url}`).join(', ')})`,
          proof: `${r.summary}: written while InfluxDB refused plain HTTP; read back over HTTPS with its CA`,
        });
      return `${r.summary}, seen after ${formatDuration(r.elapsedMs)}${writerUrls.length ? `; writer ${writerUrls.map((u) => u.url).join(', ')}` : ''}`;
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
      throw new Error(
        `InfluxDB measurement ${measurement} got no point stamped after this step began (${since.toISOString()}) within ${formatDuration(withinMs)}${last ? ` (last: ${last.count} points; ${last.query})` : ''}${writer ? `; writer: ${writer}` : ''}`,
        { cause: e },
      );
    }
  });
}
