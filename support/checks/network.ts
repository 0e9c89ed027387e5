import type { V1Pod } from '@kubernetes/client-node';
import { BadInputError, errorText, formatDuration, WaitTimeoutError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil, type WaitResult } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';
import {
  type ConnectResult,
  connectFromProbe,
  ensureLabelledProbe,
  ensureProbe,
  httpFromProbe,
  labelText,
  type Probe,
  releaseLabelledProbe,
  resolveFromProbe,
  tcpFromProbe,
} from './shared/probe';
import { timelineText } from './shared/timeline';

/** The network as a workload sees it: HTTP, DNS and TCP from the in-cluster probe. */

/** "the probe gets HTTP 200 from `http://echo/` within 30s" */
export function probeGetsHttp(ctx: Ctx, status: number, url: string, withinMs: number): StepResult {
  return ctx.check(`GET ${url} from inside the cluster answers ${status}`, async () => {
    await ensureProbe(ctx); // its start does not count against the bound
    let body = '';
    const r = await waitUntil({
      what: `${url} to answer HTTP ${status} from the probe pod`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      intervalMs: 1000,
      check: async () => {
        const h = await httpFromProbe(ctx, url);
        body = h.body;
        return { ok: h.status === status, summary: h.summary };
      },
    });
    await ctx.evidence.text(`GET ${url}`, `${timelineText(r.timeline)}\n\nbody (first 500 bytes):\n${body.slice(0, 500)}`);
    return `${r.summary}; body: ${body.slice(0, 80).replace(/\s+/g, ' ')}`;
  });
}

/** "the probe resolves `kubernetes.default`" (optionally to the address of a Service). */
export function probeResolves(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`${name} resolves inside the cluster`, async () => {
    await ensureProbe(ctx); // its start does not count against the bound
    const r = await waitUntil<string[]>({
      what: `${name} to resolve from the probe pod`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const x = await resolveFromProbe(ctx, name);
        return { ok: x.addresses.length > 0, value: x.addresses, summary: x.summary };
      },
    });
    return r.summary;
  });
}

/** "the probe can connect to `echo` port 80" — until it can, within the bound. */
export function probeConnects(ctx: Ctx, host: string, port: number, withinMs: number): StepResult {
  return ctx.check(`TCP ${host}:${port} accepts connections from the probe`, async () => {
    await ensureProbe(ctx); // its start does not count against the bound
    const r = await waitUntil({
      what: `a TCP connection from the probe to ${host}:${port}`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const t = await tcpFromProbe(ctx, host, port);
        return { ok: t.connected, summary: t.summary };
      },
    });
    ctx.state.connected.add(`${host}:${port}`);
    recordReach(ctx, targetKey(host, port, ctx.state.probe?.namespace ?? platformNamespace(ctx)), `the probe: ${r.summary}`);
    return r.summary;
  });
}

/**
 * "the probe cannot connect to `echo` port 80 within 30s": waits until
 * connections fail, then requires 3 more consecutive failures so a single
 * timeout cannot pass for enforcement. Only meaningful after the same
 * connection succeeded (checked: the scenario must have connected first).
 */
export function probeBlocked(ctx: Ctx, host: string, port: number, withinMs: number): StepResult {
  return ctx.check(`TCP ${host}:${port} is blocked for the probe`, async () => {
    if (!ctx.state.connected.has(`${host}:${port}`)) {
      throw new BadInputError(
        `no earlier successful connection to ${host}:${port} in this scenario`,
        'first assert that the probe can connect, so a block proves enforcement and not a broken service',
      );
    }
    const r = await waitUntil({
      what: `TCP connections from the probe to ${host}:${port} to be refused or dropped`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const t = await tcpFromProbe(ctx, host, port);
        return { ok: !t.connected, summary: t.summary };
      },
    });
    const confirm: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await tcpFromProbe(ctx, host, port);
      confirm.push(t.summary);
      if (t.connected) throw new Error(`connection to ${host}:${port} succeeded again after being blocked: ${t.summary}`);
    }
    await ctx.evidence.text(`blocked ${host}:${port}`, `${timelineText(r.timeline)}\n\nconfirmation attempts:\n${confirm.map((c) => `  ${c}`).join('\n')}`);
    return `blocked after ${formatDuration(r.elapsedMs)}; 3 more attempts also failed (${confirm[0]})`;
  });
}

/** `app=processor,tier=backend` → labels. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9./_-]+)=([A-Za-z0-9._-]*)$/.exec(part);
    if (!m) throw new BadInputError(`"${part}" is not a label (key=value)`, 'write labels like app=processor,tier=backend');
    labels[m[1]] = m[2];
  }
  return labels;
}

/**
 * "the NetworkPolicies let a pod labelled `app=processor` reach `kafka` port 9093 and refuse a pod labelled `app=intruder`":
 * two probe pods in the platform namespace carry the labels; the allowed one must connect (the positive control
 * that the target is up and reachable at all), then the other must fail three times in a row on the same address.
 */
export function networkPolicyAdmits(ctx: Ctx, allowed: string, host: string, port: number, other: string, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`NetworkPolicies admit ${allowed} to ${host}:${port} and refuse ${other}`, async () => {
    const [friend, stranger] = await Promise.all([
      ensureLabelledProbe(ctx, namespace, parseLabels(allowed)),
      ensureLabelledProbe(ctx, namespace, parseLabels(other)),
    ]);
    const r = await waitUntil({
      what: `a pod labelled ${allowed} to connect to ${host}:${port}`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const t = await connectFromProbe(ctx, host, port, friend);
        return { ok: t.connected, summary: t.summary };
      },
    });
    recordReach(ctx, targetKey(host, port, namespace), `a pod labelled ${allowed}: ${r.summary}`);
    const attempts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await connectFromProbe(ctx, host, port, stranger);
      attempts.push(t.summary);
      if (t.connected) {
        await ctx.evidence.table(`${host}:${port} from pods with other labels`, [
          { pod: allowed, result: r.summary },
          { pod: other, result: t.summary },
        ]);
        throw new Error(`a pod labelled ${other} reached ${host}:${port}: no NetworkPolicy refuses it (${t.summary})`);
      }
    }
    await ctx.evidence.table(`${host}:${port} from pods with other labels`, [
      { pod: allowed, result: r.summary },
      ...attempts.map((a) => ({ pod: other, result: a })),
    ]);
    return `${allowed} connects (${r.summary}); ${other} refused 3 times (${attempts[0]})`;
  });
}

/* ------------------------------------------------------------------ labelled pods and allow-lists */

/** A pod's identity to NetworkPolicies: its namespace and labels. */
interface Identity {
  namespace: string;
  labels: Record<string, string>;
  /** `app=frontend in kp-x`, for messages. */
  text: string;
}

function identity(labelsText: string, namespace: string): Identity {
  const labels = parseLabels(labelsText);
  return { namespace, labels, text: `${labelText(labels) || '(no labels)'} in ${namespace}` };
}

/**
 * The same target however it is written from a pod of `namespace`: `backend`, `backend.loco` and
 * `backend.loco.svc.cluster.local` are one Service; `backend` from another namespace is another.
 */
function targetKey(host: string, port: number, namespace: string): string {
  let h = host.toLowerCase().replace(/\.$/, '');
  h = h.replace(/\.svc(\.[a-z0-9.-]+)?$/, '');
  if (!h.includes('.') && !h.includes(':')) h = `${h}.${namespace}`;
  return `${h}:${port}`;
}

function recordReach(ctx: Ctx, key: string, how: string): void {
  (ctx.state.reachedTargets ??= new Map()).set(key, how);
}

const DENIALS = new Set<ConnectResult['outcome']>(['refused', 'timeout', 'unreachable']);

/**
 * A policy controller programs a new pod's rules a moment after it starts (kube-router: up to a
 * few seconds), so a connection from a fresh probe pod counts only when it still succeeds this
 * long after the first one: a denial that arrives late must not pass as "allowed".
 */
const ALLOWED_HOLD_MS = 4000;

/** Waits until `probe` connects to host:port, and keeps connecting for ALLOWED_HOLD_MS. */
function waitConnects(ctx: Ctx, probe: Probe, who: Identity, host: string, port: number, withinMs: number): Promise<WaitResult<ConnectResult>> {
  return waitUntil({
    what: `a pod labelled ${who.text} (${probe.pod}) to connect to ${host}:${port}`,
    timeoutMs: Math.max(withinMs, ALLOWED_HOLD_MS + 2000),
    holdMs: ALLOWED_HOLD_MS,
    intervalMs: 1000,
    signal: ctx.signal,
    check: async () => {
      const t = await connectFromProbe(ctx, host, port, probe);
      return { ok: t.connected, summary: t.summary, value: t };
    },
  });
}

/**
 * A denial, judged: the name must resolve from the pod (a DNS failure is not a denial), then
 * connections must be refused or time out, and stay so for 3 more attempts in a row.
 */
async function judgeDenied(ctx: Ctx, probe: Probe, who: Identity, host: string, port: number, withinMs: number): Promise<string> {
  const dns = await resolveFromProbe(ctx, host, probe);
  if (!dns.addresses.length)
    throw new Error(
      `${host} does not resolve from a pod labelled ${who.text} (${dns.summary}): a name that does not resolve is not a denial — ` +
        'check the name, and whether a policy blocks this pod’s DNS (egress to port 53)',
    );
  const r = await waitUntil({
    what: `connections from a pod labelled ${who.text} (${probe.pod}) to ${host}:${port} to be refused or to time out`,
    timeoutMs: withinMs,
    intervalMs: 1000,
    signal: ctx.signal,
    check: async () => {
      const t = await connectFromProbe(ctx, host, port, probe);
      return { ok: DENIALS.has(t.outcome), summary: t.summary };
    },
  });
  const confirm: string[] = [];
  for (let i = 0; i < 3; i++) {
    const t = await connectFromProbe(ctx, host, port, probe);
    confirm.push(t.summary);
    if (t.connected) throw new Error(`a pod labelled ${who.text} reached ${host}:${port} again after being refused: ${t.summary}`);
    if (!DENIALS.has(t.outcome)) throw new Error(`a pod labelled ${who.text}: ${t.summary}; neither refused nor timed out, so not judged a denial`);
  }
  return `${r.summary}${r.elapsedMs > 1500 ? `, first after ${formatDuration(r.elapsedMs)}` : ''}; so were 3 more attempts`;
}

/** What a denial that did not happen looked like: the connection that got through. */
function deniedFailure(who: Identity, host: string, port: number, e: unknown): string {
  if (!(e instanceof WaitTimeoutError)) return errorText(e);
  return /succeeded/.test(e.lastSeen)
    ? `a pod labelled ${who.text} still connected to ${host}:${port} after ${formatDuration(e.waitedMs)}: ${e.lastSeen}`
    : `connections from a pod labelled ${who.text} to ${host}:${port} were neither refused nor timed out in ${formatDuration(e.waitedMs)}: ${e.lastSeen}`;
}

/**
 * "a pod labelled `app=frontend` can connect to `backend` port 3001 within 30s": a probe pod that
 * carries the labels (in the platform namespace, or the one named) connects, within the bound; this
 * is also the positive control a later "cannot connect" to the same target needs.
 */
export function labelledPodConnects(ctx: Ctx, labels: string, namespace: string | undefined, host: string, port: number, withinMs: number): StepResult {
  return ctx.check(`a pod labelled ${labels} connects to ${host}:${port}`, async () => {
    const who = identity(labels, namespace ?? platformNamespace(ctx));
    const probe = await ensureLabelledProbe(ctx, who.namespace, who.labels);
    const r = await waitConnects(ctx, probe, who, host, port, withinMs);
    recordReach(ctx, targetKey(host, port, who.namespace), `a pod labelled ${who.text}: ${r.summary}`);
    await ctx.evidence.text(`${who.text} → ${host}:${port}`, `probe pod ${who.namespace}/${probe.pod}\n${timelineText(r.timeline)}`);
    return `pod ${probe.pod} (${who.text}): ${r.summary}${r.elapsedMs > 1500 ? ` after ${formatDuration(r.elapsedMs)}` : ''}`;
  });
}

/**
 * "a pod labelled `app=nobody` cannot connect to `backend` port 3001 within 30s": judged only after a
 * positive control, some pod of this scenario reached the same target, and only when the name resolves
 * from this pod (a DNS failure is an error, not a denial). Connections must be refused or time out, and
 * stay so for 3 more attempts.
 */
export function labelledPodBlocked(ctx: Ctx, labels: string, namespace: string | undefined, host: string, port: number, withinMs: number): StepResult {
  return ctx.check(`a pod labelled ${labels} cannot connect to ${host}:${port}`, async () => {
    const who = identity(labels, namespace ?? platformNamespace(ctx));
    const probe = await ensureLabelledProbe(ctx, who.namespace, who.labels);
    const key = targetKey(host, port, who.namespace);
    const control = ctx.state.reachedTargets?.get(key);
    if (!control) {
      // The name is looked at first: a name that does not resolve is the better message.
      const dns = await resolveFromProbe(ctx, host, probe);
      if (!dns.addresses.length)
        throw new Error(`${host} does not resolve from a pod labelled ${who.text} (${dns.summary}): a name that does not resolve is not a denial`);
      throw new BadInputError(
        `no pod of this scenario connected to ${host}:${port} (as seen from ${who.namespace}) before`,
        `first show that an allowed pod reaches it ("a pod labelled … can connect to ${host} port ${port}"), so a refusal proves the policy and not a service that is down`,
      );
    }
    const judged = await judgeDenied(ctx, probe, who, host, port, withinMs).catch((e: unknown) => {
      throw new Error(deniedFailure(who, host, port, e));
    });
    await ctx.evidence.table(`${host}:${port}: positive control and denial`, [
      { pod: 'positive control', result: control },
      { pod: `${probe.pod} (${who.text})`, result: judged },
    ]);
    return `${judged}; positive control: ${control}`;
  });
}

export interface ConnectionRow {
  from: string;
  to: string;
  port: string;
  expected: string;
  namespace?: string;
}

interface MatrixRow {
  who: Identity;
  host: string;
  port: number;
  allowed: boolean;
  key: string;
  observed?: string;
  verdict?: 'as stated' | 'NOT as stated' | 'not judged';
}

/**
 * "these connections are allowed and denied:" with columns from (labels) | to (host) | port | expected
 * (allowed or denied), optionally namespace: one check over the matrix. The allowed connections are
 * tried first and are the positive controls of the denied ones to the same target (or a connection
 * earlier in the scenario is); each denial is judged like "cannot connect". Bound: the assert timeout.
 */
export function connectionMatrix(ctx: Ctx, table: ConnectionRow[]): StepResult {
  return ctx.check(`${table.length} connections are allowed and denied as stated`, async () => {
    const withinMs = ctx.config.timeouts.assert;
    const rows = parseMatrix(ctx, table);
    const uncontrolled = rows.filter((r) => !r.allowed && !ctx.state.reachedTargets?.has(r.key) && !rows.some((a) => a.allowed && a.key === r.key));
    if (uncontrolled.length)
      throw new BadInputError(
        `no positive control for ${uncontrolled.map((r) => `${r.who.text} → ${r.host}:${r.port}`).join(', ')}`,
        'add an allowed row to the same target (or connect to it earlier in the scenario), so a refusal proves the policy and not a service that is down',
      );
    const probes = new Map<string, Probe>();
    await Promise.all(
      [...new Map(rows.map((r) => [r.who.text, r.who])).values()].map(async (w) => probes.set(w.text, await ensureLabelledProbe(ctx, w.namespace, w.labels))),
    );
    await Promise.all(
      rows
        .filter((r) => r.allowed)
        .map(async (r) => {
          try {
            const c = await waitConnects(ctx, probes.get(r.who.text)!, r.who, r.host, r.port, withinMs);
            recordReach(ctx, r.key, `a pod labelled ${r.who.text}: ${c.summary}`);
            [r.observed, r.verdict] = [c.summary, 'as stated'];
          } catch (e) {
            [r.observed, r.verdict] = [
              e instanceof WaitTimeoutError ? `never connected in ${formatDuration(e.waitedMs)}: ${e.lastSeen}` : errorText(e),
              'NOT as stated',
            ];
          }
        }),
    );
    await Promise.all(
      rows
        .filter((r) => !r.allowed)
        .map(async (r) => {
          if (!ctx.state.reachedTargets?.has(r.key)) {
            [r.observed, r.verdict] = ['the allowed connection to this target failed, so a refusal proves nothing', 'not judged'];
            return;
          }
          try {
            [r.observed, r.verdict] = [await judgeDenied(ctx, probes.get(r.who.text)!, r.who, r.host, r.port, withinMs), 'as stated'];
          } catch (e) {
            [r.observed, r.verdict] = [deniedFailure(r.who, r.host, r.port, e), 'NOT as stated'];
          }
        }),
    );
    await ctx.evidence.table(
      'connection matrix',
      rows.map((r) => ({
        from: labelText(r.who.labels) || '(no labels)',
        namespace: r.who.namespace,
        to: `${r.host}:${r.port}`,
        expected: r.allowed ? 'allowed' : 'denied',
        verdict: r.verdict,
        observed: r.observed,
      })),
    );
    const wrong = rows.filter((r) => r.verdict !== 'as stated');
    if (wrong.length)
      throw new Error(
        `${wrong.length} of ${rows.length} connections are not as stated: ` +
          wrong.map((r) => `${r.who.text} → ${r.host}:${r.port} should be ${r.allowed ? 'allowed' : 'denied'} (${r.observed})`).join('; '),
      );
    const allowed = rows.filter((r) => r.allowed).length;
    return `${rows.length} connections as stated: ${allowed} allowed, ${rows.length - allowed} denied, within ${formatDuration(withinMs)}`;
  });
}

function parseMatrix(ctx: Ctx, table: ConnectionRow[]): MatrixRow[] {
  if (!table.length) throw new BadInputError('the connection table has no rows', 'give rows with the columns from | to | port | expected');
  return table.map((row, i) => {
    const missing = (['from', 'to', 'port', 'expected'] as const).filter((c) => row[c] === undefined);
    if (missing.length)
      throw new BadInputError(
        `the connection table lacks the column(s) ${missing.join(', ')}`,
        'columns: from | to | port | expected (and optionally namespace)',
      );
    const port = Number(row.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new BadInputError(`row ${i + 1}: "${row.port}" is not a port`, 'write a number from 1 to 65535');
    const expected = row.expected.trim().toLowerCase();
    if (expected !== 'allowed' && expected !== 'denied') throw new BadInputError(`row ${i + 1}: expected "${row.expected}"`, 'write allowed or denied');
    const who = identity(row.from, row.namespace?.trim() || platformNamespace(ctx));
    const host = row.to.trim();
    return { who, host, port, allowed: expected === 'allowed', key: targetKey(host, port, who.namespace) };
  });
}

// Labels a controller adds per pod: a look-alike carrying them could be adopted by that controller.
const CONTROLLER_LABELS = [
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'pod-template-generation',
];

/**
 * The label sets of the namespace's workloads, as a look-alike probe may carry them. Pods of a
 * DaemonSet or a Job are left out: their controller would take a look-alike for its own and delete it.
 */
function workloadIdentities(pods: V1Pod[]): { identities: Record<string, string>[]; skipped: string[] } {
  const identities = new Map<string, Record<string, string>>();
  const skipped: string[] = [];
  for (const p of pods) {
    const labels = { ...(p.metadata?.labels ?? {}) };
    if (labels['app.kubernetes.io/managed-by'] === 'kubeproof' && p.metadata?.name?.startsWith('kubeproof-probe')) continue;
    if (p.metadata?.deletionTimestamp || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const owner = p.metadata?.ownerReferences?.find((o) => o.controller)?.kind;
    if (owner && owner !== 'ReplicaSet' && owner !== 'StatefulSet') {
      skipped.push(`${p.metadata?.name} (owned by a ${owner}: its controller would delete a look-alike)`);
      continue;
    }
    for (const l of CONTROLLER_LABELS) delete labels[l];
    delete labels['app.kubernetes.io/managed-by'];
    if (Object.keys(labels).length) identities.set(labelText(labels), labels);
  }
  return { identities: [...identities.values()], skipped };
}

const MAX_LOOK_ALIKES = 10;

/**
 * "no pod in the namespace can connect to `backend` port 3001 except those labelled `app=frontend`":
 * deny by default, with an explicit allow. A pod labelled `app=frontend` must connect (the positive
 * control); a pod with no labels of its own and look-alikes of every other workload of the namespace
 * (their pods' labels) must be refused or time out. Bound: the assert timeout. The look-alikes are
 * deleted when the check ends, so they never linger among a workload's pods.
 */
export function onlyLabelledPodsConnect(ctx: Ctx, host: string, port: number, allowedLabels: string): StepResult {
  return ctx.check(`only pods labelled ${allowedLabels} connect to ${host}:${port}`, async () => {
    const withinMs = ctx.config.timeouts.assert;
    const namespace = platformNamespace(ctx);
    const allowed = identity(allowedLabels, namespace);
    const matchesAllowed = (labels: Record<string, string>) => Object.entries(allowed.labels).every(([k, v]) => labels[k] === v);
    const { identities, skipped } = workloadIdentities(await ctx.clients.kube().listPods(namespace));
    const others = [{}, ...identities.filter((l) => !matchesAllowed(l))].slice(0, MAX_LOOK_ALIKES + 1);
    const notTried = identities.filter((l) => !matchesAllowed(l)).length + 1 - others.length;
    const strangers = others.map((labels) => ({ namespace, labels, text: `${labelText(labels) || '(no labels)'} in ${namespace}` }));
    const friend = await ensureLabelledProbe(ctx, namespace, allowed.labels);
    const control = await waitConnects(ctx, friend, allowed, host, port, withinMs).catch((e: unknown) => {
      throw new Error(
        `the allowed pod labelled ${allowed.text} does not connect to ${host}:${port} either, so a refusal of the others would prove nothing: ${errorText(e)}`,
      );
    });
    recordReach(ctx, targetKey(host, port, namespace), `a pod labelled ${allowed.text}: ${control.summary}`);
    const results: { pod: string; identity: string; expected: string; result: string; ok: boolean }[] = [
      { pod: friend.pod, identity: allowed.text, expected: 'allowed', result: control.summary, ok: true },
    ];
    const started: Probe[] = [];
    try {
      await Promise.all(
        strangers.map(async (who) => {
          const probe = await ensureLabelledProbe(ctx, namespace, who.labels);
          started.push(probe);
          try {
            results.push({
              pod: probe.pod,
              identity: who.text,
              expected: 'denied',
              result: await judgeDenied(ctx, probe, who, host, port, withinMs),
              ok: true,
            });
          } catch (e) {
            results.push({ pod: probe.pod, identity: who.text, expected: 'denied', result: deniedFailure(who, host, port, e), ok: false });
          }
        }),
      );
    } finally {
      await Promise.all(started.map((p) => releaseLabelledProbe(ctx, p).catch(() => undefined)));
    }
    await ctx.evidence.table(
      `who connects to ${host}:${port} from ${namespace}`,
      results.map(({ ok, ...r }) => ({ ...r, verdict: ok ? 'as stated' : 'NOT as stated' })),
    );
    if (skipped.length || notTried > 0)
      await ctx.evidence.text(
        'identities not tried',
        [...skipped, ...(notTried > 0 ? [`${notTried} more workload label set(s) beyond the first ${MAX_LOOK_ALIKES}`] : [])].join('\n'),
      );
    const through = results.filter((r) => !r.ok);
    if (through.length)
      throw new Error(`${through.length} pod(s) not labelled ${allowedLabels} were not refused by ${host}:${port}: ${through.map((r) => r.result).join('; ')}`);
    return `${allowed.text} connects (${control.summary}); ${strangers.length} other identit${strangers.length === 1 ? 'y' : 'ies'} refused: ${strangers.map((s) => labelText(s.labels) || '(no labels)').join(', ')}`;
  });
}
