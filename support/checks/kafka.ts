import { KafkaClient } from '../clients/kafka';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { errorText, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { pause } from '../engine/wait';
import type { Ctx } from './shared/context';

/** Attaches kafkajs's own recent warnings and errors when a Kafka check fails: the broker's side of the story. */
async function withKafkaLog<T>(ctx: Ctx, kafka: KafkaClient, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const log = kafka.log.filter((l) => l.level === 'ERROR' || l.level === 'WARN').slice(-30);
    if (log.length)
      await ctx.evidence.text(
        'kafka client log (warnings and errors)',
        log.map((l) => `${new Date(l.timeMs).toISOString()} ${l.level} ${l.namespace}: ${l.message}${l.detail ? ` ${l.detail}` : ''}`).join('\n'),
      );
    throw e;
  }
}

/**
 * A broker that just started answers "coordinator is loading" for a few
 * seconds; that is not the platform failing, so try again within the budget.
 */
async function retryWhileCoordinatorLoads<T>(run: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    try {
      return await run();
    } catch (e) {
      if (!/coordinator|not initialized/i.test(errorText(e)) || Date.now() + 2000 > deadline) throw e;
      await pause(1000);
    }
  }
}

/** Counts the brokers the cluster advertises and shows their listeners. */
export function kafkaBrokers(ctx: Ctx, cmp: Comparison, n: number): StepResult {
  return ctx.check(`Kafka has ${describeComparison(cmp, n)} brokers`, async () => {
    const kafka = await ctx.clients.kafka();
    const info = await withKafkaLog(ctx, kafka, () => kafka.clusterInfo());
    await ctx.evidence.table(
      `Kafka cluster ${info.clusterId} (bootstrap ${info.bootstrap.join(',')})`,
      info.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, controller: b.nodeId === info.controller })),
    );
    if (!compare(info.brokers.length, cmp, n))
      throw new Error(`Kafka at ${info.bootstrap.join(',')} advertises ${info.brokers.length} broker(s), expected ${describeComparison(cmp, n)}`);
    return `${info.brokers.length} broker(s): ${info.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(', ')}`;
  });
}

/** Checks that every advertised broker listens on the given port (e.g. 9093 for TLS). */
export function kafkaListensOn(ctx: Ctx, port: number): StepResult {
  return ctx.check(`Kafka brokers advertise port ${port}`, async () => {
    const kafka = await ctx.clients.kafka();
    const info = await withKafkaLog(ctx, kafka, () => kafka.clusterInfo());
    const wrong = info.brokers.filter((b) => b.port !== port);
    if (wrong.length) throw new Error(`broker(s) ${wrong.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(', ')} do not advertise port ${port}`);
    return `${info.brokers.length} broker(s) on port ${port}${kafka.config.tls ? ' over TLS' : ''}`;
  });
}

/** Creates the topic when missing (and deletes it at cleanup only if this scenario created it). */
export async function ensureTopic(ctx: Ctx, topic: string, partitions = 1): Promise<void> {
  const kafka = await ctx.clients.kafka();
  const r = await withKafkaLog(ctx, kafka, () => kafka.createTopic(topic, { partitions, replicationFactor: 1 }));
  if (r.created) ctx.cleanup.push(`delete Kafka topic ${topic}`, () => kafka.deleteTopic(topic));
  await ctx.evidence.log(`Kafka topic ${topic}: ${r.created ? 'created' : 'already existed'}`);
}

/** Describes the topic: partitions, leaders, in-sync replicas and retained message counts. */
export function kafkaTopicExists(ctx: Ctx, topic: string): StepResult {
  return ctx.check(`Kafka topic ${topic} exists`, async () => {
    const kafka = await ctx.clients.kafka();
    const d = await withKafkaLog(ctx, kafka, () => kafka.describeTopic(topic));
    await ctx.evidence.table(
      `topic ${topic}`,
      d.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas.join(','), isr: p.isr.join(','), low: p.low, high: p.high })),
    );
    return `${d.partitions.length} partition(s), ${d.messages} message(s) retained`;
  });
}

/** Produces a unique marker and times it until it is consumed back: the broker path works end to end. */
export function kafkaRoundTrip(ctx: Ctx, topic: string, withinMs: number): StepResult {
  return ctx.check(`a message sent to Kafka topic ${topic} is consumed within ${formatDuration(withinMs)}`, async () => {
    const kafka = await ctx.clients.kafka();
    const r = await withKafkaLog(ctx, kafka, () => retryWhileCoordinatorLoads(() => kafka.roundTrip(topic, withinMs), withinMs));
    await ctx.evidence.table(`round trip on ${topic}`, [
      {
        marker: r.marker,
        partition: r.partition,
        offset: r.offset,
        'consumer join': formatDuration(r.joinMs),
        'ack (acks=all)': formatDuration(r.ackMs),
        'send → consumed': formatDuration(r.latencyMs),
      },
    ]);
    return `marker consumed from partition ${r.partition} offset ${r.offset} in ${formatDuration(r.latencyMs)}`;
  });
}

/** Waits for new messages on a topic (from its current end): someone is producing. */
export function kafkaReceives(ctx: Ctx, topic: string, cmp: Comparison, n: number, withinMs: number): StepResult {
  return ctx.check(`Kafka topic ${topic} receives ${describeComparison(cmp, n)} new messages within ${formatDuration(withinMs)}`, async () => {
    const kafka = await ctx.clients.kafka();
    const wanted = cmp.op === '>' ? n + 1 : n;
    const r = await withKafkaLog(ctx, kafka, () => kafka.consume(topic, { count: wanted, timeoutMs: withinMs, fromBeginning: false }));
    await ctx.evidence.table(
      `first messages received on ${topic}`,
      r.messages.slice(0, 10).map((m) => ({
        partition: m.partition,
        offset: m.offset,
        time: new Date(m.timestampMs).toISOString(),
        key: m.key ?? '',
        value: m.value.slice(0, 200),
      })),
    );
    if (ctx.config.kafka.tls)
      await ctx.evidence.observe('client-tls', {
        client: `producers of topic ${topic}`,
        server: `Kafka (${ctx.config.kafka.brokers.join(', ')})`,
        how: `TLS listener ${ctx.config.kafka.brokers.join(', ')}`,
        proof: `${r.received} new message(s) arrived in ${formatDuration(r.elapsedMs)}`,
      });
    return `${r.received} new message(s) in ${formatDuration(r.elapsedMs)}`;
  });
}

/** Reads a consumer group's committed offsets against the topic's end: how far behind the consumer is. */
export function kafkaGroupLag(ctx: Ctx, group: string, topic: string, cmp: Comparison, n: number): StepResult {
  return ctx.check(`Kafka consumer group ${group} lags ${describeComparison(cmp, n)} messages on ${topic}`, async () => {
    const kafka = await ctx.clients.kafka();
    const lag = await withKafkaLog(ctx, kafka, () => kafka.groupLag(group, topic));
    await ctx.evidence.table(
      `lag of ${group} on ${topic}`,
      lag.partitions.map((p) => ({ partition: p.partition, committed: p.committed ?? '(none)', high: p.high, lag: p.lag })),
    );
    // A group that never committed is not keeping up: it is not consuming at all (or does not exist).
    if (lag.partitions.every((p) => p.committed === null))
      throw new Error(
        `consumer group ${group} has committed no offset on any of the ${lag.partitions.length} partition(s) of ${topic}: it has not consumed from it, or does not exist`,
      );
    if (ctx.config.kafka.tls)
      await ctx.evidence.observe('client-tls', {
        client: `consumer group ${group}`,
        server: `Kafka (${ctx.config.kafka.brokers.join(', ')})`,
        how: `TLS listener ${ctx.config.kafka.brokers.join(', ')}`,
        proof: `committed offsets on ${lag.partitions.filter((p) => p.committed !== null).length}/${lag.partitions.length} partition(s) of ${topic}, lag ${lag.totalLag}`,
      });
    if (!compare(lag.totalLag, cmp, n))
      throw new Error(`consumer group ${group} lags ${lag.totalLag} message(s) on ${topic}, expected ${describeComparison(cmp, n)}`);
    return `total lag ${lag.totalLag}`;
  });
}
