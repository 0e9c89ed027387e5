import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Admin, Consumer, Kafka, KafkaJSError, logLevel, Partitioners, Producer, SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { Config, KafkaConfig } from '../engine/config';
import { BadInputError, EndpointError, errorText, formatDuration } from '../engine/errors';
import { waitUntil } from '../engine/wait';

// kafkajs 2.2.4 arms timers with negative delays on Node 24, which prints a
// TimeoutNegativeWarning into every run's output; the timers behave as 1 ms.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const name = typeof warning === 'string' ? (typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type) : warning.name;
  if (name === 'TimeoutNegativeWarning') return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

/**
 * Kafka through kafkajs: admin, produce, bounded consume and a round trip.
 * kafkajs retries for minutes by default and logs to the console; here its
 * retries are few and short, every operation has a hard deadline (the
 * request timeout), and its log goes to `this.log` for the report.
 */

export interface KafkaLogEntry {
  timeMs: number;
  level: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  namespace: string;
  message: string;
  detail?: string;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
}

export interface ClusterInfo {
  /** The brokers we were told to contact. */
  bootstrap: string[];
  clusterId: string;
  controller: number | null;
  /** The brokers as the cluster advertises them (its listeners' host and port). */
  brokers: BrokerInfo[];
}

export interface TopicDescription {
  name: string;
  partitions: {
    partition: number;
    leader: number;
    replicas: number[];
    isr: number[];
    offlineReplicas: number[];
    low: number;
    high: number;
  }[];
  /** Messages currently retained: Σ(high − low). */
  messages: number;
}

export interface GroupLag {
  groupId: string;
  topic: string;
  partitions: { partition: number; committed: number | null; high: number; lag: number }[];
  totalLag: number;
}

export interface OutgoingMessage {
  key?: string;
  value: string;
  headers?: Record<string, string>;
}

export interface ProduceResult {
  topic: string;
  count: number;
  durationMs: number;
  /** Where each batch landed: partition and first offset. */
  records: { partition: number; baseOffset: string }[];
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The value as UTF-8, cut at 2000 characters. */
  value: string;
  timestampMs: number;
}

export interface ConsumeResult {
  topic: string;
  groupId: string;
  wanted: number;
  received: number;
  /** The first `maxKept` matching messages. */
  messages: ConsumedMessage[];
  elapsedMs: number;
}

export interface RoundTripResult {
  topic: string;
  marker: string;
  partition: number;
  offset: string;
  /** From just before send to the marker being consumed back. */
  latencyMs: number;
  /** How long the send took to be acknowledged (acks=all). */
  ackMs: number;
  /** How long the consumer group took to join before the marker was sent. */
  joinMs: number;
}

const MAX_LOG = 200;

export class KafkaClient {
  readonly kafka: Kafka;
  /** kafkajs's own log lines (latest MAX_LOG), never printed. */
  readonly log: KafkaLogEntry[] = [];

  constructor(
    readonly config: KafkaConfig,
    readonly options: { requestTimeoutMs: number },
  ) {
    if (!config.brokers.length) throw new BadInputError('no Kafka brokers configured', 'set KUBEPROOF_KAFKA_BROKERS=host:port[,host:port]');
    const requestTimeout = options.requestTimeoutMs;
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      ssl: tlsOptions(config),
      sasl: config.sasl as SASLOptions | undefined,
      connectionTimeout: Math.min(3000, requestTimeout),
      requestTimeout,
      enforceRequestTimeout: true,
      // A handful of quick retries: a stopped broker must fail within the request timeout, not minutes.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      logLevel: logLevel.INFO,
      logCreator: () => (entry) => this.record(entry.level, entry.namespace, entry.log),
    });
  }

  static fromConfig(config: Config): KafkaClient {
    return new KafkaClient(config.kafka, { requestTimeoutMs: config.timeouts.request });
  }

  get brokers(): string {
    return this.config.brokers.join(',');
  }

  private record(level: logLevel, namespace: string, log: { message: string; [k: string]: unknown }) {
    const { message, timestamp: _t, logger: _l, ...rest } = log;
    const name = level === logLevel.ERROR ? 'ERROR' : level === logLevel.WARN ? 'WARN' : level === logLevel.DEBUG ? 'DEBUG' : 'INFO';
    this.log.push({ timeMs: Date.now(), level: name, namespace, message, detail: Object.keys(rest).length ? JSON.stringify(rest).slice(0, 500) : undefined });
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  /** Runs `fn` with a hard deadline; errors name the brokers and the operation. */
  private async bounded<T>(operation: string, fn: () => Promise<T>, onTimeout?: () => Promise<void>, timeoutMs = this.options.requestTimeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void onTimeout?.().catch(() => undefined);
        reject(
          new EndpointError(
            `kafka ${this.brokers}`,
            operation,
            `no result within ${formatDuration(timeoutMs)}${this.lastError()}`,
            `check that the brokers are reachable from here and advertise reachable listeners`,
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([fn(), deadline]);
    } catch (e) {
      throw this.wrap(operation, e);
    } finally {
      clearTimeout(timer);
    }
  }

  private lastError(): string {
    const last = [...this.log].reverse().find((l) => l.level === 'ERROR');
    return last ? `; last kafkajs error: ${last.message}${last.detail ? ` ${last.detail}` : ''}` : '';
  }

  private wrap(operation: string, e: unknown): Error {
    if (e instanceof EndpointError || e instanceof BadInputError) return e;
    const detail = describeKafkaError(e);
    // A non-retriable protocol error (invalid topic, bad replication factor...) is bad input.
    if (isRejection(e)) return new BadInputError(`${operation} at kafka ${this.brokers} was rejected: ${detail}`);
    const hint = /does not host this topic-partition|UNKNOWN_TOPIC/i.test(detail)
      ? 'the topic may not exist: create it first (topic auto-creation is off for kubeproof clients)'
      : /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|Connection|Closed connection|timeout/i.test(detail)
        ? `check that the brokers ${this.brokers} are running and reachable from here (KUBEPROOF_KAFKA_BROKERS), and that they advertise reachable listeners`
        : undefined;
    return new EndpointError(`kafka ${this.brokers}`, operation, detail, hint);
  }

  /** Connects an admin client, runs `fn`, always disconnects. */
  private async withAdmin<T>(operation: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    try {
      return await this.bounded(
        operation,
        async () => {
          await admin.connect();
          return fn(admin);
        },
        () => admin.disconnect(),
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async clusterInfo(): Promise<ClusterInfo> {
    const c = await this.withAdmin('describe cluster', (a) => a.describeCluster());
    return {
      bootstrap: this.config.brokers,
      clusterId: c.clusterId,
      controller: c.controller,
      brokers: c.brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
    };
  }

  async listTopics(): Promise<string[]> {
    return (await this.withAdmin('list topics', (a) => a.listTopics())).sort();
  }

  /** Creates the topic and waits for its leaders; `created` is false if it already existed. */
  async createTopic(
    topic: string,
    opts: { partitions?: number; replicationFactor?: number; config?: Record<string, string> } = {},
  ): Promise<{ topic: string; created: boolean }> {
    return this.withAdmin(`create topic ${topic}`, async (a) => {
      const created = await a.createTopics({
        // kafkajs's own leader wait gives up on a busy broker with "does not host this
        // topic-partition" although the topic was created: wait for leaders below instead.
        waitForLeaders: false,
        timeout: this.options.requestTimeoutMs,
        topics: [
          {
            topic,
            numPartitions: opts.partitions ?? 1,
            replicationFactor: opts.replicationFactor ?? 1,
            configEntries: Object.entries(opts.config ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      });
      await this.leadersElected(a, topic);
      return { topic, created };
    });
  }

  /** Polls metadata until every partition of `topic` has a leader, at most the request timeout. */
  private async leadersElected(a: Admin, topic: string): Promise<void> {
    const deadline = Date.now() + this.options.requestTimeoutMs;
    while (Date.now() < deadline) {
      try {
        const meta = await a.fetchTopicMetadata({ topics: [topic] });
        const parts = meta.topics[0]?.partitions ?? [];
        if (parts.length > 0 && parts.every((p) => p.leader >= 0)) return;
      } catch (e) {
        if (!/does not host this topic-partition|UNKNOWN_TOPIC|LEADER_NOT_AVAILABLE/i.test(describeKafkaError(e))) throw e;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`topic ${topic} has partitions without a leader after ${formatDuration(this.options.requestTimeoutMs)}`);
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.withAdmin(`delete topic ${topic}`, (a) => a.deleteTopics({ topics: [topic], timeout: this.options.requestTimeoutMs }));
  }

  /** Partitions with leader, replicas, in-sync replicas and low/high watermarks. */
  async describeTopic(topic: string): Promise<TopicDescription> {
    return this.withAdmin(`describe topic ${topic}`, async (a) => {
      const meta = await a.fetchTopicMetadata({ topics: [topic] });
      const offsets = await a.fetchTopicOffsets(topic);
      return describeFrom(topic, meta.topics[0]?.partitions ?? [], offsets);
    });
  }

  /** Committed offsets of a consumer group against the topic's high watermarks. */
  async groupLag(groupId: string, topic: string): Promise<GroupLag> {
    return this.withAdmin(`read lag of group ${groupId} on ${topic}`, async (a) => {
      const committed = await a.fetchOffsets({ groupId, topics: [topic] });
      const high = await a.fetchTopicOffsets(topic);
      return computeLag(groupId, topic, committed[0]?.partitions ?? [], high);
    });
  }

  async listGroups(): Promise<{ groupId: string; protocolType: string }[]> {
    const r = await this.withAdmin('list consumer groups', (a) => a.listGroups());
    return r.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType }));
  }

  /** Sends `messages` (or N generated JSON messages) with acks from all in-sync replicas. */
  async produce(topic: string, messages: number | OutgoingMessage[]): Promise<ProduceResult> {
    const batch = typeof messages === 'number' ? generatedMessages(messages) : messages;
    const producer = this.producer();
    const started = performance.now();
    try {
      const records = await this.bounded(
        `produce ${batch.length} message${batch.length === 1 ? '' : 's'} to ${topic}`,
        async () => {
          await producer.connect();
          return producer.send({ topic, acks: -1, messages: batch.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
        },
        () => producer.disconnect(),
      );
      return {
        topic,
        count: batch.length,
        durationMs: Math.round(performance.now() - started),
        records: records.map((r) => ({ partition: r.partition, baseOffset: r.baseOffset ?? '' })),
      };
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  /**
   * Consumes with a fresh consumer group until `count` messages (matching
   * `match`, if given) arrived, at most `timeoutMs`; a timeout says how many came.
   */
  async consume(
    topic: string,
    opts: {
      count: number;
      timeoutMs: number;
      fromBeginning?: boolean;
      groupId?: string;
      match?: (m: ConsumedMessage) => boolean;
      maxKept?: number;
      signal?: AbortSignal;
    },
  ): Promise<ConsumeResult> {
    const groupId = opts.groupId ?? `kubeproof-${randomUUID().slice(0, 8)}`;
    const kept: ConsumedMessage[] = [];
    let received = 0;
    let crash = '';
    const consumer = this.consumer(groupId);
    const summary = () => `received ${received}/${opts.count}${crash ? `; consumer crashed: ${crash}` : ''}`;
    try {
      await this.bounded(
        `subscribe to ${topic}`,
        async () => {
          await consumer.connect();
          await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
        },
        () => consumer.disconnect(),
      );
      const wait = await waitUntil<number>({
        what: `${opts.count} message${opts.count === 1 ? '' : 's'} on topic ${topic} at kafka ${this.brokers}`,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        check: async () => ({ ok: received >= opts.count, value: received, summary: summary() }),
        watch: async (notify) => {
          consumer.on(consumer.events.CRASH, (e) => {
            crash = errorText(e.payload.error);
            notify();
          });
          await consumer.run({
            eachMessage: async ({ topic: t, partition, message }) => {
              const m = toConsumed(t, partition, message);
              if (opts.match && !opts.match(m)) return;
              received++;
              if (kept.length < (opts.maxKept ?? 50)) kept.push(m);
              notify({ ok: received >= opts.count, value: received, summary: summary() });
            },
          });
          return () => undefined; // the consumer is disconnected below
        },
      });
      return { topic, groupId, wanted: opts.count, received, messages: kept, elapsedMs: Math.round(wait.elapsedMs) };
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }

  /**
   * Produces a unique marker and waits until it is consumed back. The consumer
   * starts at the current end of every partition, so only new messages are read.
   */
  async roundTrip(topic: string, timeoutMs: number): Promise<RoundTripResult> {
    const marker = `kubeproof-roundtrip-${randomUUID()}`;
    const ends = await this.withAdmin(`read offsets of ${topic}`, (a) => a.fetchTopicOffsets(topic));
    const consumer = this.consumer(`kubeproof-rt-${randomUUID().slice(0, 8)}`);
    const producer = this.producer();
    const started = performance.now();
    let found: ConsumedMessage | undefined;
    let consumedAt = 0;
    let onFound: () => void = () => undefined;
    try {
      let joined!: () => void;
      const groupJoined = new Promise<void>((resolve) => (joined = resolve));
      consumer.on(consumer.events.GROUP_JOIN, () => joined());
      await this.bounded(
        `start round-trip consumer on ${topic}`,
        async () => {
          await Promise.all([consumer.connect(), producer.connect()]);
          await consumer.subscribe({ topic, fromBeginning: false });
          await consumer.run({
            eachMessage: async ({ topic: t, partition, message }) => {
              if (found || message.key?.toString() !== marker) return;
              consumedAt = performance.now();
              found = toConsumed(t, partition, message);
              onFound();
            },
          });
          for (const p of ends) consumer.seek({ topic, partition: p.partition, offset: p.high });
        },
        () => consumer.disconnect(),
      );
      // The group join can take a few seconds (initial rebalance delay); it counts against the timeout.
      await this.bounded(`join consumer group on ${topic}`, () => groupJoined, undefined, timeoutMs);
      const joinMs = performance.now() - started;
      const sentAt = performance.now();
      await this.bounded(`send round-trip marker to ${topic}`, () =>
        producer.send({
          topic,
          acks: -1,
          messages: [{ key: marker, value: JSON.stringify({ kubeproof: 'roundtrip', marker, sentAt: new Date().toISOString() }) }],
        }),
      );
      const ackMs = performance.now() - sentAt;
      await waitUntil({
        what: `round-trip marker ${marker} to come back from topic ${topic} at kafka ${this.brokers}`,
        timeoutMs: Math.max(1, timeoutMs - (performance.now() - started)),
        check: async () => ({ ok: !!found, summary: found ? 'marker consumed' : 'marker not consumed yet' }),
        watch: (notify) => {
          onFound = () => notify();
          return () => (onFound = () => undefined);
        },
      });
      return {
        topic,
        marker,
        partition: found!.partition,
        offset: found!.offset,
        latencyMs: Math.round(consumedAt - sentAt),
        ackMs: Math.round(ackMs),
        joinMs: Math.round(joinMs),
      };
    } finally {
      await Promise.all([consumer.disconnect().catch(() => undefined), producer.disconnect().catch(() => undefined)]);
    }
  }

  private producer(): Producer {
    return this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  private consumer(groupId: string): Consumer {
    return this.kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1000, allowAutoTopicCreation: false });
  }
}

// ---- pure helpers (unit tested) ----

function tlsOptions(config: KafkaConfig): ConnectionOptions | boolean | undefined {
  const tls = config.tls;
  if (!tls) return undefined;
  if (!Object.keys(tls).length) return true;
  return {
    ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
    cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
    key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
    rejectUnauthorized: !tls.insecureSkipVerify,
    servername: tls.serverName,
  };
}

export function describeKafkaError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const parts = [`${e.name}: ${e.message}`];
  // An aggregate (e.g. CreateTopics) lists the real errors inside.
  for (const inner of (e as { errors?: unknown[] }).errors ?? []) {
    if (!(inner instanceof Error)) continue;
    const { topic, type } = inner as { topic?: string; type?: string };
    parts.push(`${topic ? `${topic}: ` : ''}${inner.message}${type ? ` (${type})` : ''}`);
  }
  // NumberOfRetriesExceeded wraps the real cause.
  const original = (e as { originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  if (original instanceof Error && !parts[0].includes(original.message)) parts.push(`caused by ${original.name}: ${original.message}`);
  return parts.join('; ');
}

/** The broker refused the request itself (non-retriable protocol error), alone or inside an aggregate. */
export function isRejection(e: unknown): boolean {
  const refused = (x: unknown) => x instanceof KafkaJSError && !x.retriable && typeof (x as { type?: unknown }).type === 'string';
  const inner = (e as { errors?: unknown[] } | undefined)?.errors;
  return refused(e) || (Array.isArray(inner) && inner.length > 0 && inner.every(refused));
}

function generatedMessages(n: number): OutgoingMessage[] {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: n }, (_, seq) => ({
    key: `kubeproof-${run}-${seq}`,
    value: JSON.stringify({ kubeproof: true, run, seq, at: new Date().toISOString() }),
  }));
}

function toConsumed(
  topic: string,
  partition: number,
  message: { offset: string; key: Buffer | null; value: Buffer | null; timestamp: string },
): ConsumedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: (message.value?.toString() ?? '').slice(0, 2000),
    timestampMs: Number(message.timestamp),
  };
}

export function describeFrom(
  topic: string,
  partitions: { partitionId: number; leader: number; replicas: number[]; isr: number[]; offlineReplicas?: number[] }[],
  offsets: { partition: number; low: string; high: string }[],
): TopicDescription {
  const rows = partitions
    .map((p) => {
      const o = offsets.find((x) => x.partition === p.partitionId);
      return {
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas ?? [],
        low: Number(o?.low ?? 0),
        high: Number(o?.high ?? 0),
      };
    })
    .sort((a, b) => a.partition - b.partition);
  return { name: topic, partitions: rows, messages: rows.reduce((n, p) => n + (p.high - p.low), 0) };
}

/** Lag per partition: high watermark − committed offset; with no commit, the whole retained partition. */
export function computeLag(
  groupId: string,
  topic: string,
  committed: { partition: number; offset: string }[],
  high: { partition: number; high: string; low: string }[],
): GroupLag {
  const partitions = high
    .map((h) => {
      const c = committed.find((x) => x.partition === h.partition);
      const offset = c && Number(c.offset) >= 0 ? Number(c.offset) : null;
      return { partition: h.partition, committed: offset, high: Number(h.high), lag: Number(h.high) - (offset ?? Number(h.low)) };
    })
    .sort((a, b) => a.partition - b.partition);
  return { groupId, topic, partitions, totalLag: partitions.reduce((n, p) => n + p.lag, 0) };
}
