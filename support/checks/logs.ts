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

/** No pod of the workload logged a line matching the pattern (e.g. TLS handshake errors). */
export function logsLack(ctx: Ctx, kind: WorkloadKind, name: string, pattern: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`logs of ${kind} ${name} show no "${pattern}"`, async () => {
    const re = new RegExp(pattern, 'i');
    const pods = (await ctx.clients.kube().workloadPods(namespace, kind, name)).pods;
    if (!pods.length) throw new Error(`${kind} ${name} has no pods whose logs could be read`);
    const hits: string[] = [];
    let lines = 0;
    for (const p of pods) {
      const logs = (await ctx.clients.kube().logs(namespace, p.metadata!.name!, undefined, 5000)).split('\n');
      lines += logs.length;
      hits.push(...logs.filter((l) => re.test(l)).map((l) => `${p.metadata!.name}: ${l}`));
    }
    if (hits.length) {
      await ctx.evidence.text(`lines matching /${pattern}/i`, hits.slice(0, 50).join('\n'));
      throw new Error(`${hits.length} log line(s) of ${kind} ${name} match /${pattern}/i, first: ${hits[0].slice(0, 300)}`);
    }
    return `${lines} log lines of ${pods.length} pod(s) searched, none match /${pattern}/i`;
  });
}
