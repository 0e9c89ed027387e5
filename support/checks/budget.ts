import type { PodMetric, V1Pod } from '@kubernetes/client-node';
import { errorText, formatDuration, NotVerifiedError } from '../engine/errors';
import { atMost, formatBytes, formatCpu, podResource, type Quantity, quantityValue } from '../engine/quantity';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/** Resource budgets of a namespace: what its pods request, are limited to, and use (metrics.k8s.io). */

export type { Quantity };

/** kubeproof's own probe pods sit among the platform's; they are not part of its budget. */
function isKubeproofProbe(p: V1Pod): boolean {
  return p.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'kubeproof' && (p.metadata?.name ?? '').startsWith('kubeproof-probe');
}

/** The pods that count: not finished (as ResourceQuota counts them), not being deleted, not kubeproof's. */
async function budgetPods(ctx: Ctx, namespace: string): Promise<V1Pod[]> {
  const pods = await ctx.clients.kube().listPods(namespace);
  return pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? '') && !p.metadata?.deletionTimestamp && !isKubeproofProbe(p));
}

/** Containers without the value: why a pod's limit is unbounded. */
function unset(p: V1Pod, which: 'requests' | 'limits', resource: 'cpu' | 'memory'): string[] {
  return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]
    .filter((c) => c.resources?.[which]?.[resource] === undefined)
    .map((c) => `${p.metadata?.name}/${c.name}`);
}

/**
 * R1 "the pods in the namespace request at most 2 CPU and 4Gi memory in total" (or "are limited to at most"):
 * each pod's effective request or limit (init containers and overhead as the scheduler counts them), summed.
 * A container without a limit makes the total unbounded.
 */
export function namespaceResourcesAtMost(ctx: Ctx, which: 'requests' | 'limits', cpu: Quantity, memory: Quantity): StepResult {
  const namespace = platformNamespace(ctx);
  const verb = which === 'requests' ? 'request' : 'are limited to';
  return ctx.check(`the pods in namespace ${namespace} ${verb} at most ${cpu.text} CPU and ${memory.text} memory in total`, async () => {
    const pods = await budgetPods(ctx, namespace);
    if (!pods.length) throw new Error(`namespace ${namespace} has no running pods (kubeproof's probe pods aside), so there is nothing to add up`);
    const per = pods.map((p) => ({ pod: p, cpu: podResource(p.spec!, which, 'cpu'), memory: podResource(p.spec!, which, 'memory') }));
    const total = { cpu: per.reduce((s, x) => s + x.cpu, 0), memory: per.reduce((s, x) => s + x.memory, 0) };
    await ctx.evidence.table(`${which} of the pods in ${namespace}`, [
      ...per.map((x) => ({ pod: x.pod.metadata?.name, phase: x.pod.status?.phase, cpu: formatCpu(x.cpu), memory: formatBytes(x.memory) })),
      { pod: `TOTAL (${pods.length} pods)`, phase: '', cpu: formatCpu(total.cpu), memory: formatBytes(total.memory) },
      { pod: 'budget', phase: '', cpu: cpu.text, memory: memory.text },
    ]);
    const over: string[] = [];
    for (const [res, bound, format] of [
      ['cpu', cpu, formatCpu],
      ['memory', memory, formatBytes],
    ] as const) {
      const t = total[res];
      if (atMost(t, bound.value)) continue;
      const why = Number.isFinite(t)
        ? `largest: ${[...per]
            .sort((a, b) => b[res] - a[res])
            .slice(0, 3)
            .map((x) => `${x.pod.metadata?.name} ${format(x[res])}`)
            .join(', ')}`
        : `no ${res} limit on ${pods.flatMap((p) => unset(p, which, res)).join(', ')}`;
      over.push(`${res === 'cpu' ? 'CPU' : 'memory'} ${format(t)} in total, over the ${bound.text} budget (${why})`);
    }
    if (over.length) throw new Error(`the pods in namespace ${namespace} ${verb} ${over.join('; ')}`);
    return `${pods.length} pod(s) ${verb} ${formatCpu(total.cpu)} CPU and ${formatBytes(total.memory)} memory in total (budget ${cpu.text} CPU, ${memory.text} memory)`;
  });
}

interface UsageSample {
  t: number;
  cpu: number;
  memory: number;
  /** Running pods the sample had metrics for, of how many ran. */
  measured: number;
  running: number;
  missing: string[];
  error?: string;
}

function usageOf(m: PodMetric): { cpu: number; memory: number } {
  return {
    cpu: m.containers.reduce((s, c) => s + (quantityValue(c.usage.cpu) ?? 0), 0),
    memory: m.containers.reduce((s, c) => s + (quantityValue(c.usage.memory) ?? 0), 0),
  };
}

const SAMPLE_MS = 5000;
const METRICS_SERVER = 'metrics-server (the metrics.k8s.io API)';

/**
 * R1 "the pods in the namespace use at most 2 CPU and 4Gi memory over 2m": PodMetrics sampled through the
 * duration, the namespace's total at each sample, the peak compared with the budget (charted). No metrics at
 * all fails naming metrics-server; a sample missing pods only understates, so a pass needs one that saw every pod.
 */
export function namespaceUsageAtMost(ctx: Ctx, cpu: Quantity, memory: Quantity, durationMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`the pods in namespace ${namespace} use at most ${cpu.text} CPU and ${memory.text} memory over ${formatDuration(durationMs)}`, async () => {
    const k = ctx.clients.kube();
    const samples: UsageSample[] = [];
    const endAt = Date.now() + durationMs;
    const interval = Math.max(1000, Math.min(SAMPLE_MS, durationMs / 4));
    try {
      await waitUntil({
        what: `pod metrics of namespace ${namespace} to be sampled for ${formatDuration(durationMs)}`,
        timeoutMs: durationMs + 30_000,
        intervalMs: interval,
        signal: ctx.signal,
        check: async () => {
          const pods = (await budgetPods(ctx, namespace)).filter((p) => p.status?.phase === 'Running');
          const sample: UsageSample = { t: Date.now(), cpu: 0, memory: 0, measured: 0, running: pods.length, missing: [] };
          try {
            const metrics = new Map((await k.podMetrics(namespace)).map((m) => [m.metadata.name, m]));
            for (const p of pods) {
              const m = metrics.get(p.metadata!.name!);
              if (!m) {
                sample.missing.push(p.metadata!.name!);
                continue;
              }
              const u = usageOf(m);
              sample.cpu += u.cpu;
              sample.memory += u.memory;
              sample.measured++;
            }
          } catch (e) {
            // Not served at all ends the sampling; a passing outage (503 from the aggregated API) is one empty sample.
            if (e instanceof NotVerifiedError) throw e;
            sample.error = errorText(e).split('\n')[0];
          }
          samples.push(sample);
          const left = endAt - Date.now();
          return {
            ok: left <= 0,
            summary: `${samples.length} sample(s); last: ${sample.measured}/${sample.running} pods measured, ${formatCpu(sample.cpu)} CPU, ${formatBytes(sample.memory)}${sample.error ? `; error: ${sample.error}` : ''}`,
          };
        },
      });
    } catch (e) {
      if (e instanceof NotVerifiedError)
        throw new Error(`no pod metrics for namespace ${namespace}: ${e.message.split('\n')[0]} — is ${METRICS_SERVER} installed and Available?`, { cause: e });
      throw e;
    }
    const measured = samples.filter((s) => s.measured > 0);
    await ctx.evidence.table(
      `pod metrics of namespace ${namespace}, every ${formatDuration(interval)}`,
      samples.map((s) => ({
        time: new Date(s.t).toISOString().slice(11, 19),
        measured: `${s.measured}/${s.running}`,
        cpu: formatCpu(s.cpu),
        memory: formatBytes(s.memory),
        note: s.error ?? (s.missing.length ? `no metrics yet for ${s.missing.join(', ')}` : ''),
      })),
    );
    if (samples.every((s) => s.running === 0))
      throw new Error(`namespace ${namespace} had no running pods (kubeproof's probe pods aside) in ${samples.length} sample(s), so nothing was measured`);
    if (!measured.length) {
      const last = samples[samples.length - 1];
      throw new Error(
        `${METRICS_SERVER} reported no pod of namespace ${namespace} in ${samples.length} sample(s) over ${formatDuration(durationMs)}${last?.error ? ` (last error: ${last.error})` : last ? ` (${last.running} pod(s) running)` : ''}`,
      );
    }
    const peak = { cpu: Math.max(...measured.map((s) => s.cpu)), memory: Math.max(...measured.map((s) => s.memory)) };
    await ctx.evidence.lineChart([{ name: 'CPU of the namespace (cores)', points: measured.map((s) => [s.t, s.cpu]) }], {
      title: `CPU used by the pods in ${namespace} (metrics.k8s.io)`,
      yTitle: 'cores',
      threshold: { value: cpu.value, label: `budget ${cpu.text}` },
    });
    await ctx.evidence.lineChart([{ name: 'memory of the namespace (MiB)', points: measured.map((s) => [s.t, s.memory / 2 ** 20]) }], {
      title: `memory used by the pods in ${namespace} (metrics.k8s.io)`,
      yTitle: 'MiB',
      threshold: { value: memory.value / 2 ** 20, label: `budget ${memory.text}` },
    });
    const over = [
      atMost(peak.cpu, cpu.value) ? '' : `CPU peaked at ${formatCpu(peak.cpu)}, over the ${cpu.text} budget`,
      atMost(peak.memory, memory.value) ? '' : `memory peaked at ${formatBytes(peak.memory)}, over the ${memory.text} budget`,
    ].filter(Boolean);
    if (over.length) throw new Error(`the pods in namespace ${namespace} used more than their budget over ${formatDuration(durationMs)}: ${over.join('; ')}`);
    const complete = measured.filter((s) => s.measured === s.running);
    if (!complete.length) {
      const last = measured[measured.length - 1];
      throw new Error(
        `${METRICS_SERVER} never reported every running pod of namespace ${namespace} in ${samples.length} sample(s), so the peak may be understated (last: ${last.measured}/${last.running}; no metrics for ${last.missing.join(', ')})`,
      );
    }
    return `peak ${formatCpu(peak.cpu)} CPU and ${formatBytes(peak.memory)} memory over ${formatDuration(durationMs)} (${samples.length} samples, ${complete.length} covering every pod; budget ${cpu.text} CPU, ${memory.text} memory)`;
  });
}
