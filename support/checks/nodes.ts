import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { apiErrorText, podReady, statusCode, type WorkloadKind } from '../clients/kube/client';
import { runBash } from '../clients/bash';
import { compare, describeComparison, type Comparison } from '../engine/compare';
import { formatDuration, NotVerifiedError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import { holdsEntry, parseLabelSpec } from './shared/labels';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';
import { shq } from './shared/probe';
import { timelineText } from './shared/timeline';

/**
 * Nodes and placement: which nodes carry a label, where a workload's pods run
 * (on labelled nodes, spread over several), and draining a node with the
 * Eviction API (PodDisruptionBudgets apply) while the workload moves elsewhere.
 */

function labelText(spec: { key: string; value?: string }): string {
  return spec.value === undefined ? spec.key : `${spec.key}=${spec.value}`;
}

function placementRow(p: V1Pod, nodes: Map<string, V1Node>, labelKey?: string) {
  const node = p.spec?.nodeName ?? '';
  return {
    pod: p.metadata?.name ?? '',
    ready: podReady(p),
    node: node || '(not scheduled)',
    ...(labelKey ? { [labelKey]: nodes.get(node)?.metadata?.labels?.[labelKey] ?? '(none)' } : {}),
  };
}

async function nodesByName(ctx: Ctx): Promise<Map<string, V1Node>> {
  const items = (await ctx.clients.kube().core.listNode()).items;
  return new Map(items.map((n) => [n.metadata!.name!, n]));
}

/** "exactly 2 nodes carry the label `hardware/zigbee=true`" */
export function nodesCarryLabel(ctx: Ctx, cmp: Comparison, count: number, spec: string): StepResult {
  const want = parseLabelSpec(spec);
  return ctx.check(`${describeComparison(cmp, count)} node(s) carry the label ${labelText(want)}`, async () => {
    const nodes = [...(await nodesByName(ctx)).values()];
    const carrying = nodes.filter((n) => holdsEntry(n.metadata?.labels ?? {}, want));
    await ctx.evidence.table(
      `nodes and their label ${want.key}`,
      nodes.map((n) => ({ node: n.metadata?.name ?? '', [want.key]: n.metadata?.labels?.[want.key] ?? '(none)', carries: carrying.includes(n) })),
    );
    const names = carrying.map((n) => n.metadata?.name).join(', ') || 'none';
    if (!compare(carrying.length, cmp, count))
      throw new Error(`${carrying.length} of ${nodes.length} node(s) carry the label ${labelText(want)} (${names}), not ${describeComparison(cmp, count)}`);
    return `${carrying.length} of ${nodes.length} node(s) carry the label ${labelText(want)}: ${names}`;
  });
}

/**
 * The workload's pods and the nodes, once every desired pod exists and is scheduled (a named wait,
 * bounded by the assert timeout: the scheduler places pods within moments, or says why not).
 */
async function placedPods(ctx: Ctx, kind: WorkloadKind, name: string) {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const r = await waitUntil<V1Pod[]>({
    what: `every pod of ${kind} ${namespace}/${name} to be scheduled on a node`,
    timeoutMs: ctx.config.timeouts.assert,
    signal: ctx.signal,
    watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
    check: async () => {
      const { pods, desired } = await k.workloadPods(namespace, kind, name);
      const unscheduled = pods.filter((p) => !p.spec?.nodeName);
      const why = (p: V1Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message;
      return {
        ok: pods.length >= desired && desired > 0 && unscheduled.length === 0,
        value: pods,
        summary: unscheduled.length
          ? `${unscheduled.length} pod(s) of ${kind} ${namespace}/${name} are not scheduled on any node: ${unscheduled.map((p) => `${p.metadata?.name}${why(p) ? ` (${why(p)})` : ''}`).join(', ')}`
          : `${pods.length} of ${desired} pod(s), all scheduled`,
      };
    },
  });
  return { pods: r.value ?? [], nodes: await nodesByName(ctx) };
}

/** "the pods of deployment `ha` run on nodes labelled `topology.kubernetes.io/zone=lab-2`" */
export function podsOnLabelledNodes(ctx: Ctx, kind: WorkloadKind, name: string, spec: string): StepResult {
  const want = parseLabelSpec(spec);
  return ctx.check(`the pods of ${kind} ${name} run on nodes labelled ${labelText(want)}`, async () => {
    const { pods, nodes } = await placedPods(ctx, kind, name);
    await ctx.evidence.table(
      `pods of ${kind} ${name} and their nodes`,
      pods.map((p) => placementRow(p, nodes, want.key)),
    );
    const elsewhere = pods.filter((p) => !holdsEntry(nodes.get(p.spec!.nodeName!)?.metadata?.labels ?? {}, want));
    if (elsewhere.length)
      throw new Error(
        `${elsewhere.length} of ${pods.length} pod(s) of ${kind} ${name} run on nodes without the label ${labelText(want)}: ${elsewhere
          .map((p) => `${p.metadata?.name} on ${p.spec?.nodeName} (${want.key}=${nodes.get(p.spec!.nodeName!)?.metadata?.labels?.[want.key] ?? 'unset'})`)
          .join(', ')}`,
      );
    return `all ${pods.length} pod(s) run on nodes labelled ${labelText(want)}: ${[...new Set(pods.map((p) => p.spec?.nodeName))].join(', ')}`;
  });
}

/** "the pods of deployment `web` are spread over at least 3 nodes": distinct nodes of its Ready pods. */
export function podsSpreadOver(ctx: Ctx, kind: WorkloadKind, name: string, count: number): StepResult {
  return ctx.check(`the Ready pods of ${kind} ${name} are spread over at least ${count} node(s)`, async () => {
    const { pods, nodes } = await placedPods(ctx, kind, name);
    await ctx.evidence.table(
      `pods of ${kind} ${name} and their nodes`,
      pods.map((p) => placementRow(p, nodes)),
    );
    const used = new Map<string, number>();
    for (const p of pods.filter(podReady)) used.set(p.spec!.nodeName!, (used.get(p.spec!.nodeName!) ?? 0) + 1);
    const spread = [...used.entries()].map(([n, c]) => `${n} (${c})`).join(', ') || 'no Ready pod';
    if (used.size < count) throw new Error(`the Ready pods of ${kind} ${name} run on ${used.size} node(s), not at least ${count}: ${spread}`);
    return `Ready pods on ${used.size} node(s): ${spread}`;
  });
}

/** The node, or an error that says there is none (a typo in a node's name is the usual cause). */
async function existingNode(ctx: Ctx, node: string): Promise<V1Node> {
  return ctx.clients
    .kube()
    .core.readNode({ name: node })
    .catch((e: unknown) => {
      throw new Error(statusCode(e) === 404 ? `there is no node ${node} (kubectl get nodes lists them)` : `reading node ${node}: ${apiErrorText(e)}`, {
        cause: e,
      });
    });
}

/** Pods a drain evicts: not those of DaemonSets (they stay by design), not mirror pods, not finished ones. */
function drainable(p: V1Pod): boolean {
  if (p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet')) return false;
  if (p.metadata?.annotations?.['kubernetes.io/config.mirror']) return false;
  return !['Succeeded', 'Failed'].includes(p.status?.phase ?? '');
}

/**
 * "the node `kubeproof-lab-2` is drained within 2m" — what `kubectl drain` does: cordon, then evict
 * every pod on it through the Eviction API (a PodDisruptionBudget that refuses is retried until the
 * bound), and wait until they are gone. The cleanup stack uncordons the node.
 */
export async function drainNode(ctx: Ctx, node: string, withinMs: number): Promise<void> {
  const k = ctx.clients.kube();
  const before = await existingNode(ctx, node);
  const wasUnschedulable = before.spec?.unschedulable === true;
  await k.core.patchNode({ name: node, body: [{ op: 'add', path: '/spec/unschedulable', value: true }] });
  if (!wasUnschedulable)
    ctx.cleanup.push(`uncordon node ${node}`, async () => {
      await k.core.patchNode({ name: node, body: [{ op: 'add', path: '/spec/unschedulable', value: false }] });
    });
  const refusals = new Map<string, string>();
  const r = await waitUntil<V1Pod[]>({
    what: `node ${node} to be drained (every pod but DaemonSets' evicted and gone)`,
    timeoutMs: withinMs,
    intervalMs: 1000,
    signal: ctx.signal,
    check: async () => {
      const pods = (await k.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items.filter(drainable);
      for (const p of pods.filter((p) => !p.metadata?.deletionTimestamp)) {
        const id = { name: p.metadata!.name!, namespace: p.metadata!.namespace! };
        try {
          await k.core.createNamespacedPodEviction({ ...id, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: id } });
          refusals.delete(`${id.namespace}/${id.name}`);
        } catch (e) {
          if (statusCode(e) === 404) continue;
          if (statusCode(e) !== 429) throw new Error(`evicting pod ${id.namespace}/${id.name} from node ${node}: ${apiErrorText(e)}`, { cause: e });
          refusals.set(`${id.namespace}/${id.name}`, apiErrorText(e));
        }
      }
      const left = pods.map(
        (p) =>
          `${p.metadata?.namespace}/${p.metadata?.name}${refusals.has(`${p.metadata?.namespace}/${p.metadata?.name}`) ? ` (eviction refused: ${refusals.get(`${p.metadata?.namespace}/${p.metadata?.name}`)})` : p.metadata?.deletionTimestamp ? ' (terminating)' : ''}`,
      );
      return { ok: pods.length === 0, value: pods, summary: pods.length ? `${pods.length} pod(s) left: ${left.join(', ')}` : 'no pod left' };
    },
  });
  await ctx.evidence.text(`draining node ${node}`, timelineText(r.timeline));
}

/** "deployment `web` has all replicas Ready on nodes other than `kubeproof-lab-2` within 2m" */
export function readyAwayFromNode(ctx: Ctx, kind: WorkloadKind, name: string, node: string, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${kind} ${name} has all its replicas Ready on nodes other than ${node}`, async () => {
    const k = ctx.clients.kube();
    let pods: V1Pod[] = [];
    try {
      const r = await waitUntil({
        what: `every replica of ${kind} ${namespace}/${name} Ready on a node other than ${node}`,
        holdMs: ctx.config.readyHoldMs,
        timeoutMs: withinMs,
        signal: ctx.signal,
        watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
        check: async () => {
          const w = await k.workloadPods(namespace, kind, name);
          pods = w.pods;
          const away = pods.filter((p) => podReady(p) && p.spec?.nodeName !== node);
          const onNode = pods.filter((p) => p.spec?.nodeName === node);
          return {
            ok: away.length >= w.desired && onNode.length === 0 && w.desired > 0,
            summary: `${away.length}/${w.desired} Ready elsewhere (${[...new Set(away.map((p) => p.spec?.nodeName))].join(', ') || 'none'})${onNode.length ? `; on ${node}: ${onNode.map((p) => p.metadata?.name).join(', ')}` : ''}`,
          };
        },
      });
      return `${r.summary}, held ${formatDuration(ctx.config.readyHoldMs)}; first seen after ${formatDuration(r.okSinceMs)}`;
    } finally {
      const nodes = await nodesByName(ctx).catch(() => new Map<string, V1Node>());
      await ctx.evidence.table(
        `pods of ${kind} ${name} and their nodes`,
        pods.map((p) => placementRow(p, nodes)),
      );
    }
  });
}

/** Runs the cluster's own command to stop or start a node (`{node}` = its name, shell-quoted); its output is evidence. */
async function runNodeCommand(ctx: Ctx, template: string, node: string, what: 'stop' | 'start'): Promise<string> {
  const command = template.replaceAll('{node}', shq(node));
  // Stopping ends with the run when it is interrupted; bringing the node back (cleanup) must run regardless.
  const res = await runBash(command, { timeoutMs: 180_000, signal: what === 'stop' ? ctx.signal : undefined });
  const out = res.output;
  await ctx.evidence.text(`${what} node ${node}: ${command} (exit ${res.exitCode ?? 'none'})`, out.slice(-4000) || '(no output)');
  if (res.exitCode !== 0)
    throw new Error(
      `the command that should ${what} node ${node} failed (${res.timedOut ? 'timed out after 180s' : `exit ${res.exitCode}`}): ${command}; it said: ${out.split('\n').slice(-3).join(' | ') || 'nothing'}`,
    );
  return out;
}

/**
 * "the node `kubeproof-lab-3` goes down": the cluster's own way to stop a node (KUBEPROOF_NODE_DOWN_COMMAND;
 * the lab: `bash lab/nodes.sh stop {node}`, which stops its kubelet and containers). The cleanup stack
 * brings it back with KUBEPROOF_NODE_UP_COMMAND. Without a command, not verified: kubeproof cannot
 * stop a machine it does not know how to reach.
 */
export function nodeGoesDown(ctx: Ctx, node: string): StepResult {
  return ctx.check(`node ${node} goes down`, async () => {
    await existingNode(ctx, node);
    const { down, up } = ctx.config.nodeCommands;
    if (!down)
      throw new NotVerifiedError(
        `stopping node ${node} needs this cluster's command for it: set KUBEPROOF_NODE_DOWN_COMMAND (and KUBEPROOF_NODE_UP_COMMAND), e.g. "bash lab/nodes.sh stop {node}" on the lab`,
      );
    if (up)
      ctx.cleanup.push(`bring node ${node} back (${up})`, async () => {
        await runNodeCommand(ctx, up, node, 'start');
      });
    await runNodeCommand(ctx, down, node, 'stop');
    return `node ${node} stopped by: ${down.replaceAll('{node}', node)}${up ? '' : ' (no KUBEPROOF_NODE_UP_COMMAND: it stays down)'}`;
  });
}

/** "the node `kubeproof-lab-3` is not Ready within 1m": its Ready condition, as the node controller sets it, through a watch. */
export function nodeNotReady(ctx: Ctx, node: string, withinMs: number): StepResult {
  return ctx.check(`node ${node} is not Ready`, async () => {
    const k = ctx.clients.kube();
    const r = await waitUntil({
      what: `node ${node} to be not Ready`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      watch: k.watchSource('/api/v1/nodes', { fieldSelector: `metadata.name=${node}` }),
      check: async () => {
        const n = await existingNode(ctx, node);
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
        const taints = (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(', ');
        return {
          ok: ready?.status !== 'True',
          summary: `Ready=${ready?.status ?? '?'}${ready?.reason ? ` (${ready.reason})` : ''}${taints ? `; taints ${taints}` : ''}`,
        };
      },
    });
    await ctx.evidence.text(`node ${node}`, timelineText(r.timeline));
    return `${r.summary}, after ${formatDuration(r.okSinceMs)}`;
  });
}
