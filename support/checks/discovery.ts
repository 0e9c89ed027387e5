import http from 'node:http';
import type { V1Pod } from '@kubernetes/client-node';
import axios, { type AxiosInstance } from 'axios';
import { podReady, selectorString, type WorkloadKind } from '../clients/kube/client';
import { BadInputError, errorText, formatDuration } from '../engine/errors';
import type { Row } from '../engine/evidence/table';
import type { StepResult } from '../engine/verdict';
import { pause, waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/**
 * Discovery: an application's own list of instances (e.g. a backend that
 * watches EndpointSlices and serves `/api/instances/live`) against the Ready
 * pods the API server reports. How long after a pod becomes Ready (or stops
 * being Ready) the list reflects it, and whether it equals the Ready pods.
 */

/** The instances a list names: each item's identifying strings (pod name, IP, …). */
export function listedInstances(body: unknown): { items: string[][]; from: string } {
  let list: unknown = body;
  let from = '$';
  if (!Array.isArray(body) && body && typeof body === 'object') {
    const entries = Object.entries(body as Record<string, unknown>);
    const preferred = ['instances', 'items', 'endpoints', 'pods', 'members'];
    const hit = preferred.map((k) => entries.find(([key, v]) => key === k && Array.isArray(v))).find(Boolean) ?? entries.find(([, v]) => Array.isArray(v));
    if (!hit) throw new Error(`the response holds no list (keys: ${entries.map(([k]) => k).join(', ') || 'none'})`);
    [from, list] = [`$.${hit[0]}`, hit[1]];
  }
  if (!Array.isArray(list)) throw new Error(`the response is not a JSON list or an object holding one`);
  const items = list.map((item) => {
    if (typeof item === 'string') return [item];
    if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      return ['name', 'pod', 'podName', 'id', 'ip', 'podIP', 'address', 'hostname'].map((k) => o[k]).filter((v): v is string => typeof v === 'string');
    }
    return [String(item)];
  });
  return { items, from };
}

/** Which pods the list names, and which of its items name no pod (stale or foreign instances). */
export function compareWithPods(items: string[][], pods: { name: string; ip: string }[]): { listed: Set<string>; unknown: string[] } {
  const listed = new Set<string>();
  const unknown: string[] = [];
  for (const ids of items) {
    const pod = pods.find((p) => ids.includes(p.name) || (p.ip !== '' && ids.includes(p.ip)));
    if (pod) listed.add(pod.name);
    else unknown.push(ids.join('/') || '(item without a name or IP)');
  }
  return { listed, unknown };
}

/** p-th percentile (nearest rank) of the samples. */
export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** The instance list's URL: reachable from here (a Service's ClusterIP on the lab) for `svc.ns` host names. */
async function listUrl(ctx: Ctx, url: string): Promise<string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BadInputError(`"${url}" is not a URL`, 'give the instance list as http://<service>.<namespace>:<port>/<path>');
  }
  if (/^[\d.]+$/.test(u.hostname) || u.hostname === 'localhost') return url;
  const [name, namespace = platformNamespace(ctx)] = u.hostname.split('.');
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const base = await ctx.clients.reachable({ name: `instance list ${name}`, service: { namespace, name, port } });
  return `${base.url}${u.pathname}${u.search}`;
}

interface ListRead {
  atMs: number;
  ok: boolean;
  names: Set<string>;
  unknown: string[];
  summary: string;
}

class InstanceList {
  private readonly http: AxiosInstance;
  constructor(readonly url: string) {
    this.http = axios.create({ timeout: 2000, validateStatus: () => true, proxy: false, httpAgent: new http.Agent({ keepAlive: true }) });
  }
  async read(pods: { name: string; ip: string }[]): Promise<ListRead> {
    const r = await this.http.get(this.url).catch((e: unknown) => ({ status: 0, data: errorText(e) }));
    const atMs = Date.now();
    if (r.status !== 200) return { atMs, ok: false, names: new Set(), unknown: [], summary: `HTTP ${r.status || 'error'}: ${String(r.data).slice(0, 120)}` };
    try {
      const { items } = listedInstances(r.data);
      const { listed, unknown } = compareWithPods(items, pods);
      return { atMs, ok: true, names: listed, unknown, summary: `${items.length} listed` };
    } catch (e) {
      return { atMs, ok: false, names: new Set(), unknown: [], summary: `${errorText(e)}: ${JSON.stringify(r.data).slice(0, 120)}` };
    }
  }
}

const podIds = (pods: V1Pod[]) => pods.map((p) => ({ name: p.metadata!.name!, ip: p.status?.podIP ?? '' }));

/** The list equals the Ready pods: every Ready pod listed, nothing else. */
function agreement(read: ListRead, ready: string[]): { ok: boolean; summary: string } {
  const missing = ready.filter((n) => !read.names.has(n));
  const extra = [...read.names].filter((n) => !ready.includes(n));
  const ok = read.ok && missing.length === 0 && extra.length === 0 && read.unknown.length === 0;
  return {
    ok,
    summary: read.ok
      ? `${ready.length} Ready pod(s), ${read.names.size + read.unknown.length} listed${missing.length ? `; Ready but not listed: ${missing.join(', ')}` : ''}${extra.length ? `; listed but not Ready: ${extra.join(', ')}` : ''}${read.unknown.length ? `; listed but no such pod: ${read.unknown.join(', ')}` : ''}`
      : read.summary,
  };
}

/** "the instance list at `URL` follows the Ready pods of statefulset `x` within 30s": the list equals the Ready pods. */
export function instanceListFollows(ctx: Ctx, url: string, kind: WorkloadKind, name: string, withinMs: number): StepResult {
  return ctx.check(`the instance list at ${url} equals the Ready pods of ${kind} ${name}`, async () => {
    const namespace = platformNamespace(ctx);
    const k = ctx.clients.kube();
    const list = new InstanceList(await listUrl(ctx, url));
    let rows: Row[] = [];
    try {
      const r = await waitUntil({
        what: `the instance list at ${url} to name exactly the Ready pods of ${kind} ${namespace}/${name}`,
        timeoutMs: withinMs,
        intervalMs: 250,
        signal: ctx.signal,
        watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
        check: async () => {
          const { pods } = await k.workloadPods(namespace, kind, name);
          const ready = pods.filter(podReady).map((p) => p.metadata!.name!);
          const read = await list.read(podIds(pods));
          rows = pods.map((p) => ({ pod: p.metadata!.name, ip: p.status?.podIP ?? '', ready: podReady(p), listed: read.names.has(p.metadata!.name!) }));
          rows.push(...read.unknown.map((u) => ({ pod: '(no such pod)', ip: '', ready: '', listed: u })));
          return agreement(read, ready);
        },
      });
      return `${r.summary} (agreed after ${formatDuration(r.elapsedMs)})`;
    } finally {
      await ctx.evidence.table(`the instance list at ${url} against the pods of ${kind} ${name}`, rows);
    }
  });
}

interface Change {
  pod: string;
  change: 'became Ready' | 'left';
  atMs: number;
  reflectedAtMs?: number;
}

/**
 * "over scaling statefulset `x` from 1 to 9 and back 2 times, the instance list at `URL` reflects each pod within 50ms at p95":
 * the API server's pod events (a watch) against the list read every few milliseconds; accuracy = settled states where the list equals the Ready pods.
 */
export function discoveryLatency(
  ctx: Ctx,
  kind: WorkloadKind,
  name: string,
  from: number,
  to: number,
  times: number,
  url: string,
  boundMs: number,
): StepResult {
  return ctx.check(
    `the instance list at ${url} reflects each pod of ${kind} ${name} within ${formatDuration(boundMs)} at p95 over scaling ${from} → ${to} → ${from}`,
    async () => {
      if (kind === 'daemonset') throw new BadInputError('a DaemonSet cannot be scaled', 'use a Deployment or StatefulSet');
      if (from < 0 || to <= from || times < 1) throw new BadInputError(`scaling from ${from} to ${to} ${times} time(s) is not a scale-up and back`);
      const namespace = platformNamespace(ctx);
      const k = ctx.clients.kube();
      const list = new InstanceList(await listUrl(ctx, url));
      const original = await k.replicas(kind, namespace, name);
      ctx.cleanup.push(`scale ${kind} ${name} back to ${original}`, () => k.scale(kind, namespace, name, original));

      // The API server's view, stamped on arrival: when each pod became Ready or stopped being Ready.
      const readyNow = new Map<string, { ip: string }>();
      const known = new Map<string, { ip: string }>();
      const changes: Change[] = [];
      const workload =
        kind === 'statefulset' ? await k.apps.readNamespacedStatefulSet({ name, namespace }) : await k.apps.readNamespacedDeployment({ name, namespace });
      const labelSelector = selectorString(workload.spec?.selector);
      const { pods: initial } = await k.workloadPods(namespace, kind, name);
      for (const p of initial) if (podReady(p)) readyNow.set(p.metadata!.name!, { ip: p.status?.podIP ?? '' });
      const stopWatch = await k.watch(`/api/v1/namespaces/${namespace}/pods`, { labelSelector }, (type, p: V1Pod) => {
        const pod = p.metadata!.name!;
        const isReady = type !== 'DELETED' && !p.metadata?.deletionTimestamp && podReady(p);
        known.set(pod, { ip: p.status?.podIP ?? '' });
        if (isReady && !readyNow.has(pod)) {
          readyNow.set(pod, { ip: p.status?.podIP ?? '' });
          changes.push({ pod, change: 'became Ready', atMs: Date.now() });
        } else if (!isReady && readyNow.has(pod)) {
          readyNow.delete(pod);
          changes.push({ pod, change: 'left', atMs: Date.now() });
        }
      });
      ctx.cleanup.push('stop the discovery pod watch', async () => stopWatch());

      // The application's view, read back to back.
      let reads = 0;
      let polling = true;
      const settled: { at: string; ok: boolean; summary: string }[] = [];
      const poller = (async () => {
        while (polling) {
          const ids = [...known.entries()].map(([n, v]) => ({ name: n, ip: v.ip }));
          const read = await list.read(ids);
          reads++;
          if (read.ok)
            for (const c of changes)
              if (c.reflectedAtMs === undefined && read.atMs >= c.atMs && read.names.has(c.pod) === (c.change === 'became Ready')) c.reflectedAtMs = read.atMs;
          await pause(5);
        }
      })();

      const settle = async (replicas: number, label: string) => {
        await k.scale(kind, namespace, name, replicas);
        const r = await waitUntil({
          what: `${kind} ${name} at ${replicas} Ready pod(s), listed exactly by ${url} (${label})`,
          timeoutMs: ctx.config.timeouts.rollout,
          intervalMs: 200,
          signal: ctx.signal,
          check: async () => {
            const ready = [...readyNow.keys()];
            const read = await list.read([...known.entries()].map(([n, v]) => ({ name: n, ip: v.ip })));
            const a = agreement(read, ready);
            const pending = changes.some((c) => c.reflectedAtMs === undefined);
            return { ok: ready.length === replicas && a.ok && !pending, summary: `${a.summary}${pending ? '; a change is not reflected yet' : ''}` };
          },
        }).catch((e: unknown) => {
          settled.push({ at: label, ok: false, summary: errorText(e) });
          throw e;
        });
        settled.push({ at: label, ok: true, summary: r.summary });
      };

      try {
        await settle(from, `start: ${from}`);
        changes.length = 0; // only the scale events below are measured
        for (let i = 1; i <= times; i++) {
          await settle(to, `cycle ${i}: up to ${to}`);
          await settle(from, `cycle ${i}: back to ${from}`);
        }
      } finally {
        polling = false;
        await poller;
        stopWatch();
        await ctx.evidence.table(
          `pod changes (API server watch) and when the instance list reflected them`,
          changes.map((c) => ({
            pod: c.pod,
            change: c.change,
            at: new Date(c.atMs).toISOString().slice(11, 23),
            reflected: c.reflectedAtMs === undefined ? 'never' : `+${c.reflectedAtMs - c.atMs} ms`,
          })),
        );
        await ctx.evidence.table('settled states: the list against the Ready pods', settled);
      }

      const latencies = changes.filter((c) => c.reflectedAtMs !== undefined).map((c) => c.reflectedAtMs! - c.atMs);
      const never = changes.filter((c) => c.reflectedAtMs === undefined);
      if (!changes.length)
        throw new Error(`no pod of ${kind} ${name} became Ready or left while it was scaled ${from} → ${to} → ${from}: nothing was measured`);
      if (never.length) throw new Error(`the instance list at ${url} never reflected ${never.map((c) => `${c.pod} ${c.change}`).join(', ')}`);
      const p50 = percentile(latencies, 50);
      const p95 = percentile(latencies, 95);
      await ctx.evidence.lineChart([{ name: 'ms from the API server event to the list', points: latencies.map((l, i) => [i + 1, l] as [number, number]) }], {
        title: `discovery latency per pod change (${latencies.length} changes)`,
        yTitle: 'ms',
        threshold: { value: boundMs, label: `bound ${formatDuration(boundMs)}` },
      });
      const accuracy = settled.filter((s) => s.ok).length / settled.length;
      const figures = `${latencies.length} pod changes over ${times} cycle(s) ${from} → ${to} → ${from}: p50 ${p50} ms, p95 ${p95} ms, max ${Math.max(...latencies)} ms; accuracy ${(accuracy * 100).toFixed(0)} % of ${settled.length} settled states; ${reads} reads of the list (resolution: one read, a few ms)`;
      if (p95 > boundMs)
        throw new Error(
          `the instance list at ${url} reflects pod changes of ${kind} ${name} in ${p95} ms at p95, over the ${formatDuration(boundMs)} bound (${figures})`,
        );
      return figures;
    },
  );
}
