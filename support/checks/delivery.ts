import type { OutgoingMessage } from '../clients/kafka';
import { podReady, selectorString } from '../clients/kube/client';
import { BadInputError, formatDuration, WaitTimeoutError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx, MarkedBatch } from './shared/context';
import { platformNamespace } from './shared/namespace';

/**
 * No data loss: a marked batch (one id per message) that Kafka acknowledged
 * while the consumer was stopped must reach the sink, every id exactly once,
 * whatever happened to Kafka in between. The batch's readings carry the
 * batch id as `producer` (a tag of the processor's points) and the message id
 * as `seq` (a field), each with its own millisecond, so every message is its
 * own point in InfluxDB. A redelivered message rewrites the same point; an id
 * seen twice means a point stamped differently for the same message.
 */

async function setReplicas(ctx: Ctx, namespace: string, name: string, replicas: number): Promise<void> {
  const apps = ctx.clients.kube().apps;
  const scale = await apps.readNamespacedDeploymentScale({ name, namespace });
  await apps.replaceNamespacedDeploymentScale({ name, namespace, body: { ...scale, spec: { replicas } } });
}

/** Pods of the deployment, those still terminating included. */
async function allPods(ctx: Ctx, namespace: string, name: string) {
  const k = ctx.clients.kube();
  const d = await k.apps.readNamespacedDeployment({ name, namespace });
  return k.listPods(namespace, selectorString(d.spec?.selector));
}

/** "deployment `processor` is stopped: scaled to 0 replicas" — waits until no pod is left; the cleanup stack gives the replicas back. */
export async function stopDeployment(ctx: Ctx, name: string): Promise<void> {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const d = await k.apps.readNamespacedDeployment({ name, namespace });
  const replicas = ctx.state.stoppedDeployments.get(name)?.replicas ?? d.spec?.replicas ?? 1;
  if (replicas === 0) throw new BadInputError(`deployment ${namespace}/${name} already has 0 replicas; there is no consumer to stop`);
  ctx.cleanup.push(`scale deployment ${name} back to ${replicas} replicas`, () => setReplicas(ctx, namespace, name, replicas));
  await setReplicas(ctx, namespace, name, 0);
  const grace = (d.spec?.template.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
  const r = await waitUntil({
    what: `every pod of deployment ${namespace}/${name} to be gone`,
    timeoutMs: grace + ctx.config.timeouts.delete,
    intervalMs: 1000,
    signal: ctx.signal,
    check: async () => {
      const pods = await allPods(ctx, namespace, name);
      return { ok: pods.length === 0, summary: pods.length ? `${pods.length} pod(s) left: ${pods.map((p) => p.metadata?.name).join(', ')}` : 'no pod left' };
    },
  });
  ctx.state.stoppedDeployments.set(name, { replicas, atMs: Date.now() });
  await ctx.evidence.log(`deployment ${name} scaled ${replicas} → 0; its last pod was gone after ${formatDuration(r.elapsedMs)}`);
}

/** "deployment `processor` is started again" — its earlier replicas, all Ready. */
export async function resumeDeployment(ctx: Ctx, name: string): Promise<void> {
  const namespace = platformNamespace(ctx);
  const stopped = ctx.state.stoppedDeployments.get(name);
  if (!stopped)
    throw new BadInputError(`deployment ${name} was not stopped in this scenario`, 'stop it first: When deployment … is stopped: scaled to 0 replicas');
  await setReplicas(ctx, namespace, name, stopped.replicas);
  const r = await waitUntil({
    what: `deployment ${namespace}/${name} to have ${stopped.replicas} Ready pod(s) again`,
    holdMs: ctx.config.readyHoldMs,
    timeoutMs: ctx.config.timeouts.rollout,
    intervalMs: 1000,
    signal: ctx.signal,
    check: async () => {
      const ready = (await ctx.clients.kube().deploymentPods(namespace, name)).filter(podReady).length;
      return { ok: ready >= stopped.replicas, summary: `${ready}/${stopped.replicas} Ready` };
    },
  });
  ctx.state.stoppedDeployments.delete(name);
  await ctx.evidence.log(
    `deployment ${name} back at ${stopped.replicas} replica(s), Ready after ${formatDuration(r.elapsedMs)}; it was stopped for ${formatDuration(Date.now() - stopped.atMs)}`,
  );
}

/** The readings of a marked batch, in the producer's JSON shape. */
export function markedReadings(batch: Pick<MarkedBatch, 'id' | 'count' | 'firstMs'>): OutgoingMessage[] {
  return Array.from({ length: batch.count }, (_, i) => ({
    key: batch.id,
    value: JSON.stringify({
      conveyor_id: 'kubeproof',
      sensor_id: 'kubeproof',
      speed_mps: 0,
      temperature_c: 0,
      load_kg: 0,
      status: 'ok',
      seq: i + 1,
      producer: batch.id,
      timestamp: new Date(batch.firstMs + i).toISOString(),
    }),
  }));
}

/** "a marked batch of 200 readings is sent to the Kafka topic `conveyor`": acknowledged by all in-sync replicas. */
export function sendMarkedBatch(ctx: Ctx, count: number, topic: string): StepResult {
  return ctx.check(`Kafka acknowledges a marked batch of ${count} readings on ${topic}`, async () => {
    const batch: MarkedBatch = { id: ctx.unique('kubeproof-batch'), topic, count, firstMs: Date.now(), ackedAtMs: 0 };
    const r = await (await ctx.clients.kafka()).produce(topic, markedReadings(batch));
    batch.ackedAtMs = Date.now();
    ctx.state.markedBatch = batch;
    const stopped = [...ctx.state.stoppedDeployments.keys()];
    await ctx.evidence.table(
      `marked batch ${batch.id} acknowledged (acks=all)`,
      r.records.map((x) => ({ partition: x.partition, first_offset: x.baseOffset })),
    );
    return `${r.count} readings of batch ${batch.id} (ids 1..${count}) acknowledged in ${formatDuration(r.durationMs)}${stopped.length ? ` while deployment ${stopped.join(', ')} was stopped` : ''}`;
  });
}

/** Which ids of 1..count are missing, which came more than once, and values that are no id of the batch. */
export function batchCoverage(count: number, ids: unknown[]): { missing: number[]; duplicated: number[]; foreign: unknown[] } {
  const seen = new Map<number, number>();
  const foreign: unknown[] = [];
  for (const v of ids) {
    const n = Number(v);
    if (Number.isInteger(n) && n >= 1 && n <= count) seen.set(n, (seen.get(n) ?? 0) + 1);
    else foreign.push(v);
  }
  const missing: number[] = [];
  const duplicated: number[] = [];
  for (let i = 1; i <= count; i++) {
    const c = seen.get(i) ?? 0;
    if (c === 0) missing.push(i);
    else if (c > 1) duplicated.push(i);
  }
  return { missing, duplicated, foreign };
}

const sample = (xs: unknown[]) => `${xs.slice(0, 10).join(', ')}${xs.length > 10 ? ', …' : ''}`;

/** "every reading of the marked batch is in InfluxDB measurement `conveyor_readings` exactly once within 3m". */
export function markedBatchInInflux(ctx: Ctx, measurement: string, withinMs: number): StepResult {
  return ctx.check(`every reading of the marked batch is in InfluxDB measurement ${measurement} exactly once`, async () => {
    const batch = ctx.state.markedBatch;
    if (!batch)
      throw new BadInputError('no marked batch was sent in this scenario', 'send one first: When a marked batch of … readings is sent to the Kafka topic …');
    const influx = await ctx.clients.influx();
    const since = new Date(batch.firstMs - 1000);
    let last: { coverage: ReturnType<typeof batchCoverage>; rows: number; query: string } | undefined;
    const look = async () => {
      const r = await influx.fieldValues(measurement, 'seq', 'producer', batch.id, since);
      last = {
        coverage: batchCoverage(
          batch.count,
          r.rows.map(([, v]) => v),
        ),
        rows: r.rows.length,
        query: r.query,
      };
      return last;
    };
    try {
      await waitUntil({
        what: `all ${batch.count} ids of batch ${batch.id} in InfluxDB ${measurement}`,
        timeoutMs: withinMs,
        intervalMs: 2000,
        signal: ctx.signal,
        check: async () => {
          const v = await look();
          // Duplicates cannot go away: stop waiting as soon as one shows.
          const done = v.coverage.missing.length === 0 || v.coverage.duplicated.length > 0;
          return { ok: done, summary: `${batch.count - v.coverage.missing.length}/${batch.count} ids present, ${v.coverage.duplicated.length} duplicated` };
        },
      });
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
    }
    const v = last ?? (await look());
    const c = v.coverage;
    await ctx.evidence.table(`batch ${batch.id} in InfluxDB (${v.query})`, [
      { figure: 'ids sent and acknowledged', value: batch.count },
      { figure: 'points found', value: v.rows },
      { figure: 'ids missing', value: c.missing.length ? `${c.missing.length}: ${sample(c.missing)}` : 0 },
      { figure: 'ids more than once', value: c.duplicated.length ? `${c.duplicated.length}: ${sample(c.duplicated)}` : 0 },
      { figure: 'values that are no id of the batch', value: c.foreign.length ? sample(c.foreign) : 0 },
    ]);
    const problems = [
      c.missing.length ? `${c.missing.length} of ${batch.count} ids missing (${sample(c.missing)})` : '',
      c.duplicated.length ? `${c.duplicated.length} ids more than once (${sample(c.duplicated)})` : '',
      c.foreign.length ? `${c.foreign.length} points with a seq outside 1..${batch.count}` : '',
    ].filter(Boolean);
    if (problems.length) throw new Error(`marked batch ${batch.id} in InfluxDB ${measurement} after ${formatDuration(withinMs)}: ${problems.join('; ')}`);
    return `all ${batch.count} ids of batch ${batch.id} in InfluxDB exactly once, ${formatDuration(Date.now() - batch.ackedAtMs)} after Kafka acknowledged them`;
  });
}
