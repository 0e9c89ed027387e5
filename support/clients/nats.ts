import { connect, type NatsConnection, StorageType, StringCodec, type StreamInfo } from 'nats';

export interface NatsTarget {
  host: string;
  port: number;
  timeoutMs: number;
}

export interface NatsServer {
  server: string;
  version: string;
  jetstream: boolean;
}

const sc = StringCodec();

/** nats.js errors carry a code (503 no responders, TIMEOUT, CONNECTION_REFUSED); say it in words. */
export function natsErrorText(e: unknown): string {
  const err = e as { code?: string; message?: string; api_error?: { description?: string; err_code?: number } };
  if (err.api_error?.description) return `${err.api_error.description} (JetStream error ${err.api_error.err_code})`;
  if (err.code === '503') return 'no responders (503): nothing subscribes to answer it';
  if (err.code === 'TIMEOUT') return 'timed out';
  if (err.code === 'CONNECTION_REFUSED') return 'connection refused';
  return err.message ?? String(e);
}

/** One connection for `run` (no reconnects), closed after. */
export async function withNats<T>(t: NatsTarget, run: (nc: NatsConnection, server: NatsServer) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: `${t.host}:${t.port}`, timeout: t.timeoutMs, reconnect: false, name: 'kubeproof' }).catch((e: unknown) => {
    throw new Error(`cannot connect to NATS at ${t.host}:${t.port}: ${natsErrorText(e)}`);
  });
  try {
    return await run(nc, { server: nc.getServer(), version: nc.info?.version ?? '?', jetstream: Boolean(nc.info?.jetstream) });
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** Subscribes, publishes one payload, and times it until the subscription receives it (or `timeoutMs` passes). */
export async function natsRoundTrip(nc: NatsConnection, subject: string, payload: string, timeoutMs: number): Promise<{ received: boolean; ms: number }> {
  const sub = nc.subscribe(subject, { max: 1, timeout: timeoutMs });
  await nc.flush(); // the server knows the subscription before the message is sent
  const started = performance.now();
  nc.publish(subject, sc.encode(payload));
  try {
    for await (const m of sub) if (sc.decode(m.data) === payload) return { received: true, ms: performance.now() - started };
  } catch {
    // the subscription's timeout: nothing arrived
  }
  return { received: false, ms: performance.now() - started };
}

/** A request and its reply; rejects with nats.js's error (503 no responders, TIMEOUT). */
export async function natsRequest(nc: NatsConnection, subject: string, payload: string, timeoutMs: number): Promise<{ reply: string; ms: number }> {
  const started = performance.now();
  const m = await nc.request(subject, sc.encode(payload), { timeout: timeoutMs });
  return { reply: sc.decode(m.data), ms: performance.now() - started };
}

/** Publishes messages and flushes: the server has them when this returns. */
export async function natsPublish(nc: NatsConnection, subject: string, payloads: string[]): Promise<void> {
  for (const p of payloads) nc.publish(subject, sc.encode(p));
  await nc.flush();
}

/** The stream's info, or undefined when the server says it does not exist. Rejects when JetStream is not enabled. */
export async function streamInfo(nc: NatsConnection, name: string, timeoutMs: number): Promise<StreamInfo | undefined> {
  const jsm = await nc.jetstreamManager({ timeout: timeoutMs });
  try {
    return await jsm.streams.info(name);
  } catch (e) {
    if ((e as { api_error?: { err_code?: number } }).api_error?.err_code === 10059) return undefined;
    throw e;
  }
}

/** Creates a file-backed stream on the subjects unless one of that name exists; says whether it created it. */
export async function ensureStream(nc: NatsConnection, name: string, subjects: string[], timeoutMs: number): Promise<{ created: boolean; info: StreamInfo }> {
  const existing = await streamInfo(nc, name, timeoutMs);
  if (existing) return { created: false, info: existing };
  const jsm = await nc.jetstreamManager({ timeout: timeoutMs });
  return { created: true, info: await jsm.streams.add({ name, subjects, storage: StorageType.File }) };
}

export async function deleteStream(nc: NatsConnection, name: string, timeoutMs: number): Promise<void> {
  const jsm = await nc.jetstreamManager({ timeout: timeoutMs });
  await jsm.streams.delete(name);
}
