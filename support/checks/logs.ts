import type { WorkloadKind } from '../clients/kube/client';
import { errorText } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/** Container logs read through the API server (Loki queries are in loki.ts). */

/** Recent logs of the workload's pods contain the text; polled, bounded. */
export function logsContain(ctx: Ctx, kind: WorkloadKind, name: string, text: string, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`logs of ${kind} ${name} contain "${text}"`, async () => {
    let found = '';
    await waitUntil({
      what: `a log line of ${kind} ${namespace}/${name} containing "${text}"`,
      timeoutMs: withinMs,
      intervalMs: 2000,
      signal: ctx.signal,
      check: async () => {
        const pods = (await ctx.clients.kube().workloadPods(namespace, kind, name)).pods;
        for (const p of pods) {
          const logs = await ctx.clients.kube().logs(namespace, p.metadata!.name!, undefined, 2000);
          const line = logs.split('\n').find((l) => l.includes(text));
          if (line) {
            found = `${p.metadata!.name}: ${line}`;
            return { ok: true, summary: found };
          }
        }
        return { ok: false, summary: `no matching line in ${pods.length} pod(s)` };
      },
    });
    await ctx.evidence.text(`log line containing "${text}"`, found);
    return found.slice(0, 240);
  });
}

/** The API server's answer when the node no longer has a restarted container's previous instance. */
const PREVIOUS_GONE = /previous terminated container .* not found/;
/** What the report says, in place of a start time, for such an instance. */
const NOT_KEPT = 'not kept by the node';

/** A client workload: only log lines that name the address of one of its current pods count. */
export interface LogClients {
  kind: WorkloadKind;
  name: string;
}

/**
 * No container of the workload's pods — the previous instance of a restarted
 * container included — logged a line matching the pattern. Absence counts
 * only where presence could be seen: every log must be readable and hold
 * lines, and the report says how many lines of which containers since when.
 * With `from`, only lines naming the address of a current pod of that client
 * workload, logged since that pod started, count (a server's view of one
 * client: a replaced client's last words during a rollout are not the current
 * client's); then at least one such line must be there.
 */
export function logsLack(ctx: Ctx, kind: WorkloadKind, name: string, pattern: string, from?: LogClients): StepResult {
  const namespace = platformNamespace(ctx);
  const scope = from ? ` from the pods of ${from.kind} ${from.name}` : '';
  return ctx.check(`logs of ${kind} ${name} show no "${pattern}"${scope}`, async () => {
    const re = new RegExp(pattern, 'i');
    const k = ctx.clients.kube();
    const clients = from ? await clientAddresses(ctx, namespace, from) : undefined;
    if (clients)
      await ctx.evidence.table(
        `addresses of the pods of ${from!.kind} ${from!.name}`,
        clients.map((c) => ({ pod: c.pod, address: c.ip, since: c.since })),
      );
    const pods = (await k.workloadPods(namespace, kind, name)).pods;
    if (!pods.length) throw new Error(`${kind} ${namespace}/${name} has no pods whose logs could be read`);
    const hits: string[] = [];
    let clientLines = 0;
    const read: { pod: string; container: string; instance: string; lines: number; since: string; fromClients?: number }[] = [];
    for (const p of pods) {
      for (const c of p.status?.containerStatuses ?? []) {
        const instances = c.restartCount > 0 ? ['current', 'previous'] : ['current'];
        for (const instance of instances) {
          // With clients: everything since the first of them started (no tail that could cut the window short).
          const text = await k
            .logs(namespace, p.metadata!.name!, c.name, clients ? undefined : 5000, {
              previous: instance === 'previous',
              timestamps: true,
              sinceSeconds: clients ? Math.ceil((Date.now() - Math.min(...clients.map((cl) => cl.sinceMs))) / 1000) + 1 : undefined,
            })
            .catch((e: unknown) => {
              // The node no longer keeps the previous instance (its runtime restarted since): said in the report, not searched.
              if (instance === 'previous' && PREVIOUS_GONE.test(errorText(e))) return undefined;
              throw e;
            });
          if (text === undefined) {
            read.push({ pod: p.metadata!.name!, container: c.name, instance, lines: 0, since: NOT_KEPT });
            continue;
          }
          const lines = text.split('\n').filter(Boolean);
          const counted = clients ? lines.filter((l) => clients.some((cl) => lineNamesAddress(l, cl.ip) && logLineTime(l) >= cl.sinceMs)) : lines;
          clientLines += counted.length;
          // With timestamps, each line starts with its RFC 3339 time: the first one says since when the log covers.
          read.push({
            pod: p.metadata!.name!,
            container: c.name,
            instance,
            lines: lines.length,
            since: lines[0]?.split(' ')[0] ?? '-',
            ...(clients ? { fromClients: counted.length } : {}),
          });
          hits.push(...counted.filter((l) => re.test(l.replace(/^\S+ /, ''))).map((l) => `${p.metadata!.name}/${c.name} (${instance}): ${l}`));
        }
      }
    }
    await ctx.evidence.table(`logs searched for /${pattern}/i${scope}`, read);
    if (hits.length) {
      await ctx.evidence.text(`lines matching /${pattern}/i`, hits.slice(0, 50).join('\n'));
      throw new Error(`${hits.length} log line(s) of ${kind} ${name}${scope} match /${pattern}/i, first: ${hits[0].slice(0, 300)}`);
    }
    // A previous instance may have ended before the clients' window began.
    const empty = read.filter((r) => r.lines === 0 && r.since !== NOT_KEPT && !(clients && r.instance === 'previous'));
    if (!read.length || empty.length)
      throw new Error(
        `cannot prove absence in ${kind} ${name}: ${read.length ? `no log lines in ${empty.map((r) => `${r.pod}/${r.container} (${r.instance})`).join(', ')}` : 'no container logs'}; an empty log proves nothing`,
      );
    if (clients && clientLines === 0)
      throw new Error(
        `cannot prove absence in ${kind} ${name}${scope}: none of its log lines names ${clients.map((c) => `${c.ip} (${c.pod}, since ${c.since})`).join(', ')}; a log that never saw the client proves nothing`,
      );
    const total = read.reduce((n, r) => n + r.lines, 0);
    const gone = read.filter((r) => r.since === NOT_KEPT);
    const searched = read.filter((r) => r.lines > 0);
    return `${total} log lines of ${searched.length} container log(s) in ${pods.length} pod(s) searched, since ${searched.map((r) => r.since).sort()[0]}${clients ? `, ${clientLines} of them from ${clients.map((c) => c.ip).join(', ')}` : ''}${gone.length ? ` (${gone.length} previous instance(s) no longer kept by the node: ${gone.map((r) => `${r.pod}/${r.container}`).join(', ')})` : ''}; none match /${pattern}/i`;
  });
}

/** The pod IPs of a workload's current pods and when each pod started; every pod must have both. */
async function clientAddresses(ctx: Ctx, namespace: string, of: LogClients): Promise<{ pod: string; ip: string; since: string; sinceMs: number }[]> {
  const { pods } = await ctx.clients.kube().workloadPods(namespace, of.kind, of.name);
  if (!pods.length) throw new Error(`${of.kind} ${namespace}/${of.name} has no pods, so no client address to look for`);
  return pods.map((p) => {
    const ip = p.status?.podIP;
    const since = p.status?.startTime;
    if (!ip || !since)
      throw new Error(`pod ${p.metadata!.name} of ${of.kind} ${namespace}/${of.name} has no ${ip ? 'start time' : 'IP'} yet (phase ${p.status?.phase ?? '?'})`);
    if (p.spec?.hostNetwork)
      throw new Error(`pod ${p.metadata!.name} of ${of.kind} ${namespace}/${of.name} uses the host's network: its address ${ip} is not its own`);
    const s = new Date(since);
    return { pod: p.metadata!.name!, ip, since: s.toISOString(), sinceMs: s.getTime() };
  });
}

/** The line names the address as a whole (10.244.0.1 is not named by 10.244.0.12). */
export function lineNamesAddress(line: string, ip: string): boolean {
  return new RegExp(`(^|[^0-9.])${ip.replace(/\./g, '\\.')}([^0-9]|$)`).test(line);
}

/** Milliseconds of a log line's leading RFC 3339 timestamp (NaN, which no bound admits, when it has none). */
export function logLineTime(line: string): number {
  return Date.parse(line.slice(0, line.indexOf(' ')));
}
