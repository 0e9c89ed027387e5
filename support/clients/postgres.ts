import { Client, type QueryResult } from 'pg';

/** Where and as whom to connect; the password is never part of a message. */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  timeoutMs: number;
}

export interface SqlResult {
  /** INSERT, SELECT, CREATE … as the server reported it. */
  command: string;
  columns: string[];
  rows: Record<string, unknown>[];
  /** Rows returned, or for INSERT/UPDATE/DELETE the rows affected. */
  rowCount: number;
  serverVersion: string;
  ms: number;
}

/** A PostgreSQL error with the server's SQLSTATE (28P01 wrong password, 3D000 no such database, 42… bad SQL). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Runs one SQL text on a fresh connection (closed after), bounded by the target's timeout. */
export async function runSql(t: PostgresTarget, sql: string): Promise<SqlResult> {
  const client = new Client({
    host: t.host,
    port: t.port,
    database: t.database,
    user: t.user,
    password: t.password,
    connectionTimeoutMillis: t.timeoutMs,
    query_timeout: t.timeoutMs,
    statement_timeout: t.timeoutMs,
    application_name: 'kubeproof',
  });
  // A server that drops the connection emits 'error' on the client: the pending call rejects anyway.
  client.on('error', () => undefined);
  const started = performance.now();
  try {
    await client.connect();
    // Several statements in one text give one result each: the last one is what the step counts.
    const r: QueryResult | QueryResult[] = await client.query(sql);
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    const last = Array.isArray(r) ? r[r.length - 1] : r;
    return {
      command: last.command ?? '',
      columns: (last.fields ?? []).map((f: { name: string }) => f.name),
      rows: last.rows ?? [],
      rowCount: last.command === 'SELECT' || !last.rowCount ? (last.rows?.length ?? 0) : last.rowCount,
      serverVersion: version.rows[0]?.server_version ?? '?',
      ms: performance.now() - started,
    };
  } catch (e) {
    const err = e as { message?: string; code?: string };
    throw new PostgresError(err.message ?? String(e), err.code);
  } finally {
    await client.end().catch(() => undefined);
  }
}
