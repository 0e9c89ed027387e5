import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { type ExecResult, statusCode, type WorkloadKind } from '../clients/kube/client';
import { deleteStream, ensureStream, natsErrorText, natsPublish, natsRequest, natsRoundTrip, streamInfo, withNats } from '../clients/nats';
import { PostgresError, runSql, type SqlResult } from '../clients/postgres';
import { redisCommands, type RedisReply } from '../clients/redis';
import { compare, type Comparison, describeComparison } from '../engine/compare';
import { BadInputError, errorText, formatDuration } from '../engine/errors';
import type { Row } from '../engine/evidence/table';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/**
 * PostgreSQL, Redis and NATS (JetStream) as the platform runs them, through their maintained clients
 * (pg, ioredis, nats). An address is a Service of the platform namespace, `service:port` (PostgreSQL:
 * `service:port/database`; `service.namespace:port` for another namespace), reached at its ClusterIP
 * like every in-cluster endpoint (Clients.reachable): a Service that refuses is the component down,
 * and fails naming it. Passwords come from the platform's Secrets and never reach a report.
 */

type DataKind = 'PostgreSQL' | 'Redis' | 'NATS';
const DEFAULT_PORTS: Record<DataKind, number> = { PostgreSQL: 5432, Redis: 6379, NATS: 4222 };

export interface DataAddress {
  /** As the step wrote it. */
  text: string;
  kind: DataKind;
  /** A Service (name, namespace) or, for a host outside the cluster, its name or IP. */
  service?: { name: string; namespace: string };
  host?: string;
  port: number;
  database?: string;
}

/** `postgresql:5432/app`, `redis-master.giia-dev:6379`, `nats`, `127.0.0.1:4222` → where to connect. */
export function parseDataAddress(text: string, kind: DataKind, defaultNamespace: string): DataAddress {
  const m = /^([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)(?::(\d{1,5}))?(?:\/([^/\s]+))?$/i.exec(text.trim());
  const example = kind === 'PostgreSQL' ? '`postgresql:5432/app`' : kind === 'Redis' ? '`redis:6379`' : '`nats:4222`';
  if (!m) throw new BadInputError(`"${text}" is not a ${kind} address`, `write the Service and port, e.g. ${example}`);
  const [, host, port, database] = m;
  if (kind === 'PostgreSQL' && !database) throw new BadInputError(`the PostgreSQL address "${text}" names no database`, `write it as ${example}`);
  if (kind !== 'PostgreSQL' && database) throw new BadInputError(`a ${kind} address has no database part: "${text}"`, `write it as ${example}`);
  const base = { text, kind, port: port ? Number(port) : DEFAULT_PORTS[kind], database };
  if (isIP(host) || host === 'localhost') return { ...base, host };
  const [name, namespace = defaultNamespace] = host.split('.');
  return { ...base, service: { name, namespace } };
}

/** Host and port to connect to now, and how that was found (for the evidence). */
async function connectTo(ctx: Ctx, a: DataAddress): Promise<{ host: string; port: number; via: string }> {
  if (a.host) return { host: a.host, port: a.port, via: `${a.host}:${a.port}` };
  const { name, namespace } = a.service!;
  const ep = await ctx.clients.reachable({ name: `${a.kind} ${name}`, service: { namespace, name, port: a.port } });
  const u = new URL(ep.url);
  return { host: u.hostname, port: Number(u.port), via: `Service ${namespace}/${name} (${u.hostname}:${u.port})` };
}

/** A Secret's key, decoded; registered for redaction before anything can print it. */
async function secretValue(ctx: Ctx, secret: string, key: string): Promise<string> {
  const namespace = platformNamespace(ctx);
  const s = await ctx.clients
    .kube()
    .core.readNamespacedSecret({ name: secret, namespace })
    .catch((e: unknown) => {
      if (statusCode(e) === 404) throw new Error(`Secret ${namespace}/${secret} does not exist`);
      throw e;
    });
  for (const v of Object.values(s.data ?? {})) ctx.evidence.redactor.add(Buffer.from(v, 'base64').toString('utf8'));
  const raw = s.data?.[key];
  if (!raw) throw new Error(`Secret ${namespace}/${secret} has no key ${key} (its keys: ${Object.keys(s.data ?? {}).join(', ') || 'none'})`);
  const value = Buffer.from(raw, 'base64').toString('utf8');
  if (!value) throw new Error(`Secret ${namespace}/${secret} key ${key} is empty`);
  return value;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const cell = (v: unknown) =>
  clip(v === null || v === undefined ? 'NULL' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v), 80);

/* ---------------------------------------------------------------- PostgreSQL */

/** "the PostgreSQL user `app` with the password in the Secret `postgresql-credentials` key `password`": who the SQL steps connect as. */
export function usePostgresUser(ctx: Ctx, user: string, secret: string, key: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`PostgreSQL user ${user} (password from Secret ${secret} key ${key}) is used`, async () => {
    const password = await secretValue(ctx, secret, key);
    const source = `Secret ${namespace}/${secret} key ${key}`;
    ctx.state.dataCredentials = { ...ctx.state.dataCredentials, postgres: { user, password, source } };
    return `the SQL steps connect as ${user}, with the password from ${source} (withheld)`;
  });
}

/** Who the SQL steps connect as; `what` names what needs it (an address, a backup). */
function postgresCreds(ctx: Ctx, what: string) {
  const creds = ctx.state.dataCredentials?.postgres;
  if (!creds)
    throw new BadInputError(
      `no PostgreSQL user is given for ${what}`,
      'state it first: Given the PostgreSQL user `app` with the password in the Secret `postgresql-credentials` key `password`',
    );
  return creds;
}

async function sqlEvidence(ctx: Ctx, a: DataAddress, via: string, sql: string, user: string, source: string, r: SqlResult | undefined, outcome: string) {
  await ctx.evidence.text(
    `SQL on PostgreSQL at ${a.text}`,
    [
      `address:  ${a.text} → ${via}, database ${a.database}`,
      `user:     ${user} (password from ${source})`,
      ...(r ? [`server:   PostgreSQL ${r.serverVersion}`] : []),
      `SQL:      ${sql}`,
      `result:   ${outcome}`,
    ].join('\n'),
  );
  if (r?.rows.length)
    await ctx.evidence.table(
      `rows returned (${Math.min(r.rows.length, 20)} of ${r.rows.length})`,
      r.rows.slice(0, 20).map((row) => Object.fromEntries(r.columns.map((c) => [c, cell(row[c])]))),
      r.columns,
    );
}

/** A PostgreSQL error in words, with its SQLSTATE. */
const pgText = (e: unknown) => (e instanceof PostgresError && e.code ? `${e.message} (SQLSTATE ${e.code})` : errorText(e));

/**
 * D1 "PostgreSQL at `postgresql:5432/app` answers the SQL `SELECT 1` with exactly 1 row within 30s": as the
 * user given before, until the row count compares (the bound is the wait's). A statement without rows counts
 * the rows it affected. A syntax error ends the wait at once; a refused connection, a wrong password or a
 * missing table are observations until the bound, then the failure names the last one.
 */
export function postgresAnswers(ctx: Ctx, addressText: string, sql: string, cmp: Comparison, n: number, withinMs: number): StepResult {
  return ctx.check(
    `PostgreSQL at ${addressText} answers ${clip(sql, 80)} with ${describeComparison(cmp, n)} row(s) within ${formatDuration(withinMs)}`,
    async () => {
      const a = parseDataAddress(addressText, 'PostgreSQL', platformNamespace(ctx));
      const creds = postgresCreds(ctx, a.text);
      let last: SqlResult | undefined;
      let via = a.text;
      let outcome = 'no answer';
      try {
        const r = await waitUntil({
          what: `PostgreSQL at ${a.text} (database ${a.database}, user ${creds.user}) to answer the SQL with ${describeComparison(cmp, n)} row(s)`,
          timeoutMs: withinMs,
          signal: ctx.signal,
          check: async () => {
            const c = await connectTo(ctx, a);
            via = c.via;
            const target = {
              host: c.host,
              port: c.port,
              database: a.database!,
              user: creds.user,
              password: creds.password,
              timeoutMs: Math.min(ctx.config.timeouts.request, withinMs),
            };
            const res = await runSql(target, sql).catch((e: unknown) => {
              if (e instanceof PostgresError && e.code === '42601')
                throw new BadInputError(`PostgreSQL at ${a.text} rejects the SQL ${sql}: ${pgText(e)}`, 'fix the SQL in the step');
              throw new Error(`PostgreSQL at ${a.text}: ${pgText(e)}`);
            });
            last = res;
            outcome = `${res.command}, ${res.rowCount} row(s) in ${formatDuration(res.ms)}`;
            return { ok: compare(res.rowCount, cmp, n), summary: `${res.rowCount} row(s) (${res.command})`, value: res };
          },
        });
        outcome = `${outcome}; ${describeComparison(cmp, n)} after ${formatDuration(r.elapsedMs)}`;
        return `${last!.rowCount} row(s) from ${via}, database ${a.database}, after ${formatDuration(r.elapsedMs)} (bound ${formatDuration(withinMs)})`;
      } catch (e) {
        outcome = `${outcome} — not ${describeComparison(cmp, n)} row(s): ${errorText(e)}`;
        throw e;
      } finally {
        await sqlEvidence(ctx, a, via, sql, creds.user, creds.source, last, outcome);
      }
    },
  );
}

/** "the SQL `CREATE TABLE …` is run on PostgreSQL at `postgresql:5432/app`": once, as the user given before; any error fails it. */
export function runSqlOn(ctx: Ctx, sql: string, addressText: string): StepResult {
  return ctx.check(`the SQL ${clip(sql, 80)} runs on PostgreSQL at ${addressText}`, async () => {
    const a = parseDataAddress(addressText, 'PostgreSQL', platformNamespace(ctx));
    const creds = postgresCreds(ctx, a.text);
    const c = await connectTo(ctx, a);
    let r: SqlResult | undefined;
    try {
      r = await runSql(
        { host: c.host, port: c.port, database: a.database!, user: creds.user, password: creds.password, timeoutMs: ctx.config.timeouts.request },
        sql,
      );
    } catch (e) {
      await sqlEvidence(ctx, a, c.via, sql, creds.user, creds.source, undefined, `failed: ${pgText(e)}`);
      throw new Error(`PostgreSQL at ${a.text} (${c.via}) did not run the SQL ${clip(sql, 120)}: ${pgText(e)}`, { cause: e });
    }
    await sqlEvidence(ctx, a, c.via, sql, creds.user, creds.source, r, `${r.command}, ${r.rowCount} row(s) in ${formatDuration(r.ms)}`);
    return `${r.command} ${r.rowCount} on ${c.via}, database ${a.database}`;
  });
}

/**
 * "the database `giia_dev` of statefulset `postgresql` is backed up with pg_dump": `pg_dump --clean
 * --if-exists -U <user> <database>` in the workload's Ready pod (the plan's own backup command, run
 * where the server is, as the user given before), kept for the restore step. The report shows its
 * size, SHA-256 and the rows per table (never the rows themselves).
 */
export function postgresBackedUp(ctx: Ctx, database: string, kind: WorkloadKind, name: string): StepResult {
  return ctx.check(`the database ${database} of ${kind} ${name} is backed up with pg_dump`, async () => {
    const user = postgresCreds(ctx, `the backup of ${database}`).user;
    const namespace = platformNamespace(ctx);
    const command = ['pg_dump', '--clean', '--if-exists', '-U', user, database];
    const r = await execInReadyPod(ctx, namespace, kind, name, command);
    await ctx.evidence.text(`pg_dump in ${r.pod}`, execReport(command, r, `${r.stdout.length} bytes of SQL (kept for the restore, not shown)`));
    if (r.exitCode !== 0) throw new Error(`pg_dump of ${database} in pod ${namespace}/${r.pod} exited ${r.exitCode}: ${firstError(r.stderr)}`);
    const sql = Buffer.from(r.stdout, 'utf8');
    if (!/^-- PostgreSQL database dump/m.test(r.stdout) || !/^-- PostgreSQL database dump complete/m.test(r.stdout))
      throw new Error(`pg_dump of ${database} in pod ${namespace}/${r.pod} exited 0 but printed no complete dump (${sql.length} bytes)`);
    const tables = dumpedTables(r.stdout);
    await ctx.evidence.table(
      `tables in the dump of ${database} (${tables.length})`,
      tables.map((t) => ({ table: t.table, rows: t.rows })),
    );
    ctx.state.postgresBackup = { sql, from: `database ${database} of ${kind} ${namespace}/${name} (pod ${r.pod})` };
    return `${sql.length} bytes, SHA-256 ${sha256(sql).slice(0, 16)}…, ${tables.length} table(s) with ${tables.reduce((n, t) => n + t.rows, 0)} row(s), from pod ${r.pod} in ${formatDuration(r.elapsedMs)}`;
  });
}

/**
 * "the backup is restored into the database `giia_dev` of statefulset `postgresql` in the namespace
 * `giia-restore`": the scenario's pg_dump fed to `psql -v ON_ERROR_STOP=1` in the workload's Ready pod
 * (the platform namespace unless one is named); the first SQL error fails it. What the restore
 * holds is then read back by the SQL steps.
 */
export function postgresRestored(ctx: Ctx, database: string, kind: WorkloadKind, name: string, namespace?: string): StepResult {
  const ns = namespace ?? platformNamespace(ctx);
  return ctx.check(`the backup is restored into the database ${database} of ${kind} ${ns}/${name}`, async () => {
    const backup = ctx.state.postgresBackup;
    if (!backup)
      throw new BadInputError(
        `there is no backup to restore into ${database}`,
        'back one up first in this scenario: When the database `app` of statefulset `postgresql` is backed up with pg_dump',
      );
    const user = postgresCreds(ctx, `the restore into ${database}`).user;
    const command = ['psql', '-v', 'ON_ERROR_STOP=1', '-q', '-U', user, '-d', database];
    const r = await execInReadyPod(ctx, ns, kind, name, command, backup.sql);
    await ctx.evidence.text(
      `psql in ${r.pod}`,
      execReport(command, r, `fed ${backup.sql.length} bytes (SHA-256 ${sha256(backup.sql)}) from the backup of ${backup.from}`),
    );
    if (r.exitCode !== 0) throw new Error(`the restore into ${database} in pod ${ns}/${r.pod} exited ${r.exitCode}: ${firstError(r.stderr)}`);
    return `${backup.sql.length} bytes from the backup of ${backup.from} restored into ${database} in pod ${ns}/${r.pod} in ${formatDuration(r.elapsedMs)}`;
  });
}

/** Runs a command (no shell) in the workload's newest Ready pod; throws when it could not run at all. */
async function execInReadyPod(ctx: Ctx, namespace: string, kind: WorkloadKind, name: string, command: string[], stdin?: Buffer) {
  const k = ctx.clients.kube();
  const pod = (await k.newestReadyPod(namespace, kind, name, `to run ${command[0]} in`)).metadata!.name!;
  return k.exec(namespace, pod, undefined, command, ctx.config.timeouts.rollout, stdin).catch((e: unknown) => {
    throw new Error(`${command[0]} could not run in pod ${namespace}/${pod}: ${errorText(e)}`, { cause: e });
  });
}

function execReport(command: string[], r: ExecResult, stdoutNote: string): string {
  return `$ ${command.join(' ')}\n[stdout] ${stdoutNote}\n${r.stderr ? `[stderr]\n${clip(r.stderr, 4000)}\n` : ''}[exit ${r.exitCode} after ${formatDuration(r.elapsedMs)} in pod ${r.pod}]`;
}

/** The line a PostgreSQL tool printed that says what went wrong. */
const firstError = (stderr: string) =>
  clip(
    stderr
      .split('\n')
      .find((l) => /error|fatal/i.test(l))
      ?.trim() ??
      (stderr.trim().split('\n')[0] || 'no message'),
    300,
  );

/** `COPY schema.table (…) FROM stdin;` blocks of a plain-format dump, with their row counts. */
export function dumpedTables(sql: string): { table: string; rows: number }[] {
  const out: { table: string; rows: number }[] = [];
  const lines = sql.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^COPY (\S+) .*FROM stdin;$/.exec(lines[i]);
    if (!m) continue;
    let rows = 0;
    while (++i < lines.length && lines[i] !== '\\.') rows++;
    out.push({ table: m[1], rows });
  }
  return out;
}

/* ---------------------------------------------------------------- Redis */

/** "the Redis password in the Secret `redis-credentials` key `password`": the Redis steps authenticate with it. */
export function useRedisPassword(ctx: Ctx, secret: string, key: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Redis authentication (password from Secret ${secret} key ${key}) is used`, async () => {
    const password = await secretValue(ctx, secret, key);
    const source = `Secret ${namespace}/${secret} key ${key}`;
    ctx.state.dataCredentials = { ...ctx.state.dataCredentials, redis: { password, source } };
    return `the Redis steps authenticate with the password from ${source} (withheld)`;
  });
}

const replyText = (r: RedisReply) => (r.refusal ? `(error) ${r.refusal}` : r.reply === null ? '(nil)' : JSON.stringify(r.reply));

async function redisEvidence(ctx: Ctx, title: string, rows: { connection: string; r: RedisReply }[]) {
  await ctx.evidence.table(
    title,
    rows.map(({ connection, r }) => ({ connection, command: r.command, reply: clip(replyText(r), 200), time: formatDuration(r.ms) })),
  );
}

/** Commands on one connection to the address; `auth` false connects without the password. */
async function redisAt(ctx: Ctx, a: DataAddress, commands: string[][], auth: boolean, timeoutMs = ctx.config.timeouts.request) {
  const c = await connectTo(ctx, a);
  const password = auth ? ctx.state.dataCredentials?.redis?.password : undefined;
  const connection = `${c.via}, ${password ? `with the password from ${ctx.state.dataCredentials!.redis!.source}` : 'without a password'}`;
  const replies = await redisCommands({ host: c.host, port: c.port, password, timeoutMs }, commands).catch((e: unknown) => {
    throw new Error(`Redis at ${a.text} (${connection}): ${errorText(e)}`);
  });
  return { connection, replies };
}

/** D2 "Redis at `redis:6379` answers PING within 10s": PONG, with the password when one was given. */
export function redisAnswersPing(ctx: Ctx, addressText: string, withinMs: number): StepResult {
  return ctx.check(`Redis at ${addressText} answers PING within ${formatDuration(withinMs)}`, async () => {
    const a = parseDataAddress(addressText, 'Redis', platformNamespace(ctx));
    let seen: { connection: string; replies: RedisReply[] } | undefined;
    try {
      const r = await waitUntil({
        what: `Redis at ${a.text} to answer PING with PONG`,
        timeoutMs: withinMs,
        signal: ctx.signal,
        check: async () => {
          seen = await redisAt(ctx, a, [['PING']], true, Math.min(ctx.config.timeouts.request, withinMs));
          const ping = seen.replies[0];
          return { ok: ping.reply === 'PONG', summary: `${seen.connection}: PING → ${replyText(ping)}` };
        },
      });
      return `PONG from ${seen!.connection} after ${formatDuration(r.elapsedMs)}`;
    } finally {
      if (seen) await redisEvidence(ctx, `Redis at ${a.text}`, [{ connection: seen.connection, r: seen.replies[0] }]);
    }
  });
}

/**
 * D2 "Redis at `redis:6379` refuses unauthenticated commands": the positive control first — with the password,
 * PING answers PONG on the same address (so the server is up and reachable) — then without it, PING and GET
 * must each be answered NOAUTH. A reply, or any other error, fails; refused is never taken from unreachable.
 */
export function redisRefusesUnauthenticated(ctx: Ctx, addressText: string): StepResult {
  return ctx.check(`Redis at ${addressText} refuses unauthenticated commands`, async () => {
    const a = parseDataAddress(addressText, 'Redis', platformNamespace(ctx));
    if (!ctx.state.dataCredentials?.redis)
      throw new BadInputError(
        `refusal at ${a.text} can only be told from an outage after an authenticated PING there: no Redis password is given`,
        'state it first: Given the Redis password in the Secret `redis-credentials` key `password`',
      );
    const rows: { connection: string; r: RedisReply }[] = [];
    try {
      const authed = await redisAt(ctx, a, [['PING']], true).catch((e: unknown) => {
        throw new Error(`the positive control failed, so a refusal would prove nothing: ${errorText(e)}`);
      });
      rows.push(...authed.replies.map((r) => ({ connection: authed.connection, r })));
      if (authed.replies[0].reply !== 'PONG')
        throw new Error(`Redis at ${a.text} does not answer an authenticated PING (${replyText(authed.replies[0])}): a refusal would prove nothing`);
      const anon = await redisAt(ctx, a, [['PING'], ['GET', 'kubeproof:auth-probe']], false);
      rows.push(...anon.replies.map((r) => ({ connection: anon.connection, r })));
      const answered = anon.replies.filter((r) => !r.refusal);
      if (answered.length)
        throw new Error(
          `Redis at ${a.text} answered without a password (${answered.map((r) => `${r.command} → ${replyText(r)}`).join('; ')}): it does not require authentication`,
        );
      const other = anon.replies.filter((r) => !/^NOAUTH\b/.test(r.refusal ?? ''));
      if (other.length)
        throw new Error(`Redis at ${a.text} answered ${other.map((r) => `${r.command} → ${replyText(r)}`).join('; ')} without a password, not NOAUTH`);
      return `with the password PING → PONG; without it ${anon.replies.map((r) => `${r.command} → ${r.refusal}`).join('; ')}`;
    } finally {
      await redisEvidence(ctx, `Redis at ${a.text}: with and without the password`, rows);
    }
  });
}

/** "a unique key is written to Redis at `redis:6379`": SET then GET on the same connection; remembered for "still holds that key". */
export function redisWriteKey(ctx: Ctx, addressText: string): StepResult {
  return ctx.check(`a unique key is written to Redis at ${addressText}`, async () => {
    const a = parseDataAddress(addressText, 'Redis', platformNamespace(ctx));
    const key = `kubeproof:${ctx.unique('key')}`;
    const value = randomBytes(12).toString('hex');
    const { connection, replies } = await redisAt(
      ctx,
      a,
      [
        ['SET', key, value],
        ['GET', key],
      ],
      true,
    );
    await redisEvidence(
      ctx,
      `Redis at ${a.text}: write`,
      replies.map((r) => ({ connection, r })),
    );
    if (replies[0].reply !== 'OK') throw new Error(`Redis at ${a.text} did not store ${key}: SET → ${replyText(replies[0])}`);
    if (replies[1].reply !== value) throw new Error(`Redis at ${a.text} stored ${key} but GET answered ${replyText(replies[1])}`);
    (ctx.state.redisKeys ??= new Map()).set(a.text, { key, value, atMs: Date.now() });
    return `SET ${key} → OK, read back on ${connection}`;
  });
}

/** D2 "Redis at `redis:6379` still holds that key within 1m": the key written before (e.g. before its pod was replaced) reads back with its value. */
export function redisStillHolds(ctx: Ctx, addressText: string, withinMs: number): StepResult {
  return ctx.check(`Redis at ${addressText} still holds the key written before, within ${formatDuration(withinMs)}`, async () => {
    const a = parseDataAddress(addressText, 'Redis', platformNamespace(ctx));
    const written = ctx.state.redisKeys?.get(a.text);
    if (!written)
      throw new BadInputError(`no key was written to Redis at ${a.text} in this scenario`, 'write one first: When a unique key is written to Redis at `…`');
    let seen: { connection: string; replies: RedisReply[] } | undefined;
    try {
      const r = await waitUntil({
        what: `Redis at ${a.text} to hold the key ${written.key} written ${formatDuration(Date.now() - written.atMs)} before`,
        timeoutMs: withinMs,
        signal: ctx.signal,
        check: async () => {
          seen = await redisAt(ctx, a, [['GET', written.key]], true, Math.min(ctx.config.timeouts.request, withinMs));
          const got = seen.replies[0];
          const what = got.reply === null ? ' (the key is gone)' : got.reply === written.value ? '' : ' (another value)';
          return { ok: got.reply === written.value, summary: `${seen.connection}: GET ${written.key} → ${replyText(got)}${what}` };
        },
      });
      return `GET ${written.key} → the value written ${formatDuration(Date.now() - written.atMs)} before, after ${formatDuration(r.elapsedMs)}`;
    } finally {
      if (seen) await redisEvidence(ctx, `Redis at ${a.text}: read back`, [{ connection: seen.connection, r: seen.replies[0] }]);
    }
  });
}

/* ---------------------------------------------------------------- NATS */

function literalSubject(subject: string): string {
  if (!/^[^\s*>]+$/.test(subject) || subject.startsWith('.') || subject.endsWith('.') || subject.includes('..'))
    throw new BadInputError(`"${subject}" is not a subject one can publish to`, 'name one subject, without wildcards (* or >), e.g. `orders.created`');
  return subject;
}

async function natsAt(ctx: Ctx, a: DataAddress) {
  const c = await connectTo(ctx, a);
  return { ...c, target: { host: c.host, port: c.port, timeoutMs: ctx.config.timeouts.request } };
}

/** D3 "a message published to the NATS subject `orders.created` at `nats:4222` is received within 5s": kubeproof subscribes, publishes a unique payload and times its delivery. */
export function natsMessageReceived(ctx: Ctx, subjectText: string, addressText: string, withinMs: number): StepResult {
  return ctx.check(`a message published to NATS subject ${subjectText} at ${addressText} is received within ${formatDuration(withinMs)}`, async () => {
    const subject = literalSubject(subjectText);
    const a = parseDataAddress(addressText, 'NATS', platformNamespace(ctx));
    const c = await natsAt(ctx, a);
    const payload = `kubeproof ${ctx.unique('msg')} ${new Date().toISOString()}`;
    return withNats(c.target, async (nc, server) => {
      const r = await natsRoundTrip(nc, subject, payload, withinMs);
      await ctx.evidence.table(`NATS round trip on ${subject}`, [
        {
          server: `${c.via}, nats-server ${server.version}`,
          subject,
          payload,
          received: r.received ? 'yes' : 'no',
          'publish → received': formatDuration(r.ms),
        },
      ]);
      if (!r.received) throw new Error(`a message published to ${subject} at NATS ${a.text} (${c.via}) was not received within ${formatDuration(withinMs)}`);
      return `received in ${formatDuration(r.ms)} on ${subject} (${c.via}, nats-server ${server.version})`;
    });
  });
}

/** "a request to the NATS subject `$JS.API.INFO` at `nats:4222` is answered within 5s": someone serves that subject (a service, or the server's own API). */
export function natsRequestAnswered(ctx: Ctx, subjectText: string, addressText: string, withinMs: number): StepResult {
  return ctx.check(`a request to NATS subject ${subjectText} at ${addressText} is answered within ${formatDuration(withinMs)}`, async () => {
    const subject = literalSubject(subjectText);
    const a = parseDataAddress(addressText, 'NATS', platformNamespace(ctx));
    const c = await natsAt(ctx, a);
    return withNats(c.target, async (nc, server) => {
      const started = performance.now();
      const r = await natsRequest(nc, subject, '', withinMs).catch(async (e: unknown) => {
        await ctx.evidence.table(`NATS request on ${subject}`, [
          {
            server: `${c.via}, nats-server ${server.version}`,
            subject,
            reply: `(none) ${natsErrorText(e)}`,
            after: formatDuration(performance.now() - started),
          },
        ]);
        throw new Error(`no answer to a request on the NATS subject ${subject} at ${a.text} (${c.via}): ${natsErrorText(e)}`);
      });
      await ctx.evidence.table(`NATS request on ${subject}`, [
        { server: `${c.via}, nats-server ${server.version}`, subject, reply: clip(r.reply, 300), after: formatDuration(r.ms) },
      ]);
      return `answered in ${formatDuration(r.ms)} (${r.reply.length} bytes) by ${c.via}`;
    });
  });
}

/** "3 messages are published to the NATS subject `events.test` at `nats:4222`": unique payloads, flushed to the server. */
export function natsPublishes(ctx: Ctx, count: number, subjectText: string, addressText: string): StepResult {
  return ctx.check(`${count} message(s) published to NATS subject ${subjectText} at ${addressText}`, async () => {
    const subject = literalSubject(subjectText);
    if (!(count >= 1 && count <= 10_000)) throw new BadInputError(`cannot publish ${count} messages`, 'publish between 1 and 10000');
    const a = parseDataAddress(addressText, 'NATS', platformNamespace(ctx));
    const c = await natsAt(ctx, a);
    const id = ctx.unique('batch');
    const payloads = Array.from({ length: count }, (_, i) => `kubeproof ${id} ${i + 1}/${count}`);
    return withNats(c.target, async (nc, server) => {
      await natsPublish(nc, subject, payloads);
      await ctx.evidence.text(
        `published to ${subject}`,
        [`server:  ${c.via}, nats-server ${server.version}`, `subject: ${subject}`, `count:   ${count}`, `first:   ${payloads[0]}`].join('\n'),
      );
      return `${count} message(s) on ${subject}, flushed to ${c.via}`;
    });
  });
}

/** "the JetStream stream `EVENTS` at `nats:4222` exists or is created for the subjects `events.>`": file-backed; deleted after the scenario only if created here. */
export function ensureJetStreamStream(ctx: Ctx, stream: string, addressText: string, subjectsText: string): StepResult {
  return ctx.check(`JetStream stream ${stream} at ${addressText} exists or is created`, async () => {
    const a = parseDataAddress(addressText, 'NATS', platformNamespace(ctx));
    const subjects = subjectsText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!subjects.length) throw new BadInputError(`no subjects given for the stream ${stream}`, 'list them, e.g. `events.>`');
    const c = await natsAt(ctx, a);
    return withNats(c.target, async (nc, server) => {
      if (!server.jetstream)
        throw new Error(`NATS at ${a.text} (${c.via}, nats-server ${server.version}) does not have JetStream enabled (start nats-server with -js)`);
      const r = await ensureStream(nc, stream, subjects, c.target.timeoutMs).catch((e: unknown) => {
        throw new Error(`NATS at ${a.text} (${c.via}) did not create the JetStream stream ${stream}: ${natsErrorText(e)}`);
      });
      if (r.created)
        ctx.cleanup.push(`delete JetStream stream ${stream} at ${a.text}`, async () => {
          const now = await natsAt(ctx, a);
          await withNats(now.target, (n) => deleteStream(n, stream, now.target.timeoutMs));
        });
      await ctx.evidence.table(`JetStream stream ${stream} (${r.created ? 'created' : 'already existed'})`, [
        { server: c.via, stream, subjects: r.info.config.subjects?.join(', '), storage: r.info.config.storage, messages: r.info.state.messages },
      ]);
      return `${r.created ? 'created' : 'already existed'}: subjects ${r.info.config.subjects?.join(', ')}, ${r.info.state.messages} message(s)`;
    });
  });
}

/** D3 "the JetStream stream `EVENTS` at `nats:4222` holds at least 1 message within 30s": the server's own count of stored messages. */
export function jetStreamHolds(ctx: Ctx, stream: string, addressText: string, cmp: Comparison, n: number, withinMs: number): StepResult {
  return ctx.check(
    `JetStream stream ${stream} at ${addressText} holds ${describeComparison(cmp, n)} message(s) within ${formatDuration(withinMs)}`,
    async () => {
      const a = parseDataAddress(addressText, 'NATS', platformNamespace(ctx));
      let seen: Row | undefined;
      try {
        const r = await waitUntil({
          what: `JetStream stream ${stream} at NATS ${a.text} to hold ${describeComparison(cmp, n)} message(s)`,
          timeoutMs: withinMs,
          signal: ctx.signal,
          check: async () => {
            const c = await natsAt(ctx, a);
            return withNats(c.target, async (nc, server) => {
              if (!server.jetstream) return { ok: false, summary: `NATS at ${c.via} (nats-server ${server.version}) does not have JetStream enabled` };
              const info = await streamInfo(nc, stream, c.target.timeoutMs).catch((e: unknown) => {
                throw new Error(natsErrorText(e));
              });
              if (!info) return { ok: false, summary: `NATS at ${c.via} has no stream ${stream}` };
              const s = info.state;
              seen = {
                server: c.via,
                stream,
                subjects: info.config.subjects?.join(', '),
                messages: s.messages,
                bytes: s.bytes,
                first_seq: s.first_seq,
                last_seq: s.last_seq,
                consumers: s.consumer_count,
              };
              return { ok: compare(s.messages, cmp, n), summary: `stream ${stream} holds ${s.messages} message(s) (sequences ${s.first_seq}..${s.last_seq})` };
            });
          },
        });
        return `${r.summary}, after ${formatDuration(r.elapsedMs)}`;
      } finally {
        if (seen) await ctx.evidence.table(`JetStream stream ${stream} at ${a.text}`, [seen]);
      }
    },
  );
}
