// Shared by the conveyor services: environment parsing, log lines and the
// Kafka connection settings. No runtime imports (the image copies this file
// to /common, outside the service's node_modules); kafkajs types only.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { KafkaConfig } from 'kafkajs';

// kafkajs 2.2.4 schedules setTimeout(-n) on Node >= 23 (TimeoutNegativeWarning, harmless): keep logs clean.
export function quietTimeoutWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'TimeoutNegativeWarning') process.stderr.write(`${w.stack ?? String(w)}\n`);
  });
}

export const env = (name: string, fallback: string): string => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : v;
};

export const num = (name: string, fallback: number): number => {
  const v = Number(env(name, String(fallback)));
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name}=${process.env[name]} is not a non-negative number`);
  return v;
};

export const log = (msg: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
};

/**
 * The service's kafkajs client settings: client id (KAFKA_CLIENT_ID, default
 * <service>-<hostname>), KAFKA_BROKERS, TLS (KAFKA_TLS, KAFKA_CA_FILE,
 * KAFKA_TLS_SERVER_NAME) and SASL/PLAIN (KAFKA_USERNAME/PASSWORD).
 */
export function kafkaConfig(service: string, retries: number): KafkaConfig & { brokers: string[] } {
  const brokers = env('KAFKA_BROKERS', 'kafka:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const ca = process.env.KAFKA_CA_FILE;
  const tls = ca !== undefined && ca !== '' ? true : /^(1|true|yes)$/i.test(env('KAFKA_TLS', 'false'));
  const username = process.env.KAFKA_USERNAME;
  const password = process.env.KAFKA_PASSWORD;
  return {
    clientId: env('KAFKA_CLIENT_ID', `${service}-${hostname()}`),
    brokers,
    ssl: tls
      ? { ca: ca ? [readFileSync(ca, 'utf8')] : undefined, servername: process.env.KAFKA_TLS_SERVER_NAME || undefined, rejectUnauthorized: true }
      : false,
    sasl: username && password ? { mechanism: 'plain', username, password } : undefined,
    logLevel: 2, // kafkajs logLevel.WARN (no runtime import of kafkajs here)
    connectionTimeout: 5000,
    retry: { initialRetryTime: 300, retries },
  };
}

export function reply(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** HTTP server on `port`: a handler that throws answers 500 (or drops the connection once headers went out). */
export function serve(port: number, name: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Server {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) reply(res, 500, { error: err.message });
      else res.destroy(err);
    });
  });
  server.listen(port, () => log(`${name} ${hostname()} serving metrics on :${port}/metrics`));
  return server;
}
