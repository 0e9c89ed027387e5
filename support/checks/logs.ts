import type { WorkloadKind } from '../clients/kube/client';
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

/**
 * No container of the workload's pods — the previous instance of a restarted
 * container included — logged a line matching the pattern. Absence counts
 * only where presence could be seen: every log must be readable and hold
 * lines, and the report says how many lines of which containers since when.
 */
export function logsLack(ctx: Ctx, kind: WorkloadKind, name: string, pattern: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`logs of ${kind} ${name} show no "${pattern}"`, async () => {
    const re = new RegExp(pattern, 'i');
    const k = ctx.clients.kube();
    const pods = (await k.workloadPods(namespace, kind, name)).pods;
    if (!pods.length) throw new Error(`${kind} ${namespace}/${name} has no pods whose logs could be read`);
    const hits: string[] = [];
    const read: { pod: string; container: string; instance: string; lines: number; since: string }[] = [];
    for (const p of pods) {
      for (const c of p.status?.containerStatuses ?? []) {
        const instances = c.restartCount > 0 ? ['current', 'previous'] : ['current'];
        for (const instance of instances) {
          const text = await k.logs(namespace, p.metadata!.name!, c.name, 5000, { previous: instance === 'previous', timestamps: true });
          const lines = text.split('\n').filter(Boolean);
          // With timestamps, each line starts with its RFC 3339 time: the first one says since when the log covers.
          read.push({ pod: p.metadata!.name!, container: c.name, instance, lines: lines.length, since: lines[0]?.split(' ')[0] ?? '-' });
          hits.push(...lines.filter((l) => re.test(l.replace(/^\S+ /, ''))).map((l) => `${p.metadata!.name}/${c.name} (${instance}): ${l}`));
        }
      }
    }
    await ctx.evidence.table(`logs searched for /${pattern}/i`, read);
    if (hits.length) {
      await ctx.evidence.text(`lines matching /${pattern}/i`, hits.slice(0, 50).join('\n'));
      throw new Error(`${hits.length} log line(s) of ${kind} ${name} match /${pattern}/i, first: ${hits[0].slice(0, 300)}`);
    }
    const empty = read.filter((r) => r.lines === 0);
    if (!read.length || empty.length)
      throw new Error(
        `cannot prove absence in ${kind} ${name}: ${read.length ? `no log lines in ${empty.map((r) => `${r.pod}/${r.container} (${r.instance})`).join(', ')}` : 'no container logs'}; an empty log proves nothing`,
      );
    const total = read.reduce((n, r) => n + r.lines, 0);
    return `${total} log lines of ${read.length} container log(s) in ${pods.length} pod(s) searched, since ${read.map((r) => r.since).sort()[0]}; none match /${pattern}/i`;
  });
}
