import { BadInputError, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';
import { connectFromProbe, ensureLabelledProbe, httpFromProbe, resolveFromProbe, tcpFromProbe } from './shared/probe';
import { timelineText } from './shared/timeline';

/** The network as a workload sees it: HTTP, DNS and TCP from the in-cluster probe. */

/** "the probe gets HTTP 200 from `http://echo/` within 30s" */
export function probeGetsHttp(ctx: Ctx, status: number, url: string, withinMs: number): StepResult {
  return ctx.check(`GET ${url} from inside the cluster answers ${status}`, async () => {
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
