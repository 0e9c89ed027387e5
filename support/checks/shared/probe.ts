import type { V1Pod } from '@kubernetes/client-node';
import type { ExecResult } from '../../clients/kube/client';
import type { Ctx } from './context';
import { scenarioNamespace, waitPodReady } from './namespace';

/**
 * The in-cluster probe: one short-lived pod per scenario (in the scenario's
 * namespace) with sh, curl, openssl, nc and getent, used to look at the
 * cluster from the inside — HTTP, TCP, DNS — the way a workload would.
 */
export async function ensureProbe(ctx: Ctx): Promise<{ namespace: string; pod: string }> {
  if (ctx.state.probe) return ctx.state.probe;
  const namespace = await scenarioNamespace(ctx);
  const k = ctx.clients.kube();
  const img = ctx.config.images;
  const name = 'kubeproof-probe';
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'kubeproof-probe', 'app.kubernetes.io/managed-by': 'kubeproof' } },
    spec: {
      terminationGracePeriodSeconds: 0,
      restartPolicy: 'Never',
      containers: [
        {
          name: 'probe',
          image: img.probe,
          imagePullPolicy: img.pullPolicy,
          command: ['sleep', '3600'],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '128Mi' } },
        },
      ],
    },
  };
  await k.apply(pod);
  ctx.cleanup.push(`delete probe pod ${namespace}/${name}`, () => k.delete(pod, 0));
  await waitPodReady(ctx, namespace, name, ctx.config.timeouts.rollout);
  const probe = { namespace, pod: name };
  ctx.state.probe = probe;
  return probe;
}

export async function probeExec(ctx: Ctx, script: string, timeoutMs = 15_000): Promise<ExecResult> {
  const p = await ensureProbe(ctx);
  return ctx.clients.kube().exec(p.namespace, p.pod, 'probe', ['sh', '-c', script], timeoutMs);
}

export interface HttpProbe {
  ok: boolean;
  status: number;
  summary: string;
  body: string;
}

/** GET from inside the cluster; status 0 means no HTTP answer (DNS, refused, timeout). */
export async function httpFromProbe(ctx: Ctx, url: string, timeoutS = 3): Promise<HttpProbe> {
  const marker = '\n__KP__';
  const r = await probeExec(ctx, `curl -sS -m ${timeoutS} -w '${marker}%{http_code} %{remote_ip} %{time_total}' ${shq(url)}`, (timeoutS + 5) * 1000);
  const i = r.stdout.lastIndexOf(marker.trim());
  const body = i >= 0 ? r.stdout.slice(0, i).trim() : r.stdout.trim();
  const [code, ip, total] = (i >= 0 ? r.stdout.slice(i + marker.trim().length) : '000').trim().split(/\s+/);
  const status = Number(code) || 0;
  const summary = status ? `HTTP ${status} from ${ip} in ${Math.round(Number(total) * 1000)}ms` : `no answer: ${r.stderr.trim() || `curl exit ${r.exitCode}`}`;
  return { ok: status > 0, status, summary, body };
}

/** A TCP connect from inside the cluster (nc -z), with a short timeout. */
export async function tcpFromProbe(ctx: Ctx, host: string, port: number, timeoutS = 2): Promise<{ connected: boolean; summary: string }> {
  const started = performance.now();
  const r = await probeExec(ctx, `nc -z -w ${timeoutS} ${shq(host)} ${port}`, (timeoutS + 5) * 1000);
  const ms = Math.round(performance.now() - started);
  return r.exitCode === 0
    ? { connected: true, summary: `TCP connect to ${host}:${port} succeeded (${ms}ms)` }
    : { connected: false, summary: `TCP connect to ${host}:${port} failed after ${ms}ms${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}` };
}

/** Resolves a name with the pod's resolver (search domains apply, like a workload). */
export async function resolveFromProbe(ctx: Ctx, name: string): Promise<{ addresses: string[]; summary: string }> {
  const r = await probeExec(ctx, `getent ahostsv4 ${shq(name)} | awk '{print $1}' | sort -u`);
  const addresses = r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return { addresses, summary: addresses.length ? `${name} → ${addresses.join(', ')}` : `${name} did not resolve (exit ${r.exitCode})` };
}

export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
