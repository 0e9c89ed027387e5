import { Redis, ReplyError } from 'ioredis';

export interface RedisTarget {
  host: string;
  port: number;
  password?: string;
  timeoutMs: number;
}

/** What one command got: the server's reply, or the error it answered with (NOAUTH, WRONGPASS…), or no connection at all. */
export interface RedisReply {
  command: string;
  reply?: unknown;
  /** An error reply of the server: it answered, and said no. */
  refusal?: string;
  ms: number;
}

/**
 * Runs commands on one fresh connection (RESP2, no retries, no reconnects).
 * Rejects when no connection could be made or the server rejected the password.
 */
export async function redisCommands(t: RedisTarget, commands: string[][]): Promise<RedisReply[]> {
  const r = new Redis({
    host: t.host,
    port: t.port,
    password: t.password,
    // RESP2: a server that requires auth answers each command NOAUTH, rather than refusing HELLO during the handshake.
    protocol: 2,
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: t.timeoutMs,
    commandTimeout: t.timeoutMs,
  });
  let lastError = '';
  r.on('error', (e: Error) => (lastError = e.message));
  try {
    await r.connect().catch((e: Error) => {
      throw new Error(lastError || e.message, { cause: e });
    });
    const replies: RedisReply[] = [];
    for (const [name, ...args] of commands) {
      const started = performance.now();
      try {
        replies.push({ command: [name, ...args].join(' '), reply: await r.call(name, ...args), ms: performance.now() - started });
      } catch (e) {
        // An error reply is an answer; a closed connection or a timeout is not.
        if (!(e instanceof ReplyError)) throw new Error(lastError || (e as Error).message, { cause: e });
        replies.push({ command: [name, ...args].join(' '), refusal: (e as Error).message, ms: performance.now() - started });
      }
    }
    return replies;
  } finally {
    r.disconnect();
  }
}
