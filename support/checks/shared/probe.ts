import { createHash } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { ExecResult } from '../../clients/kube/client';
import type { Ctx } from './context';
import { scenarioNamespace, waitPodReady } from './namespace';

export interface Probe {
  namespace: string;
  pod: string;
}

/**
 * The in-cluster probe: one short-lived pod per scenario (in the scenario's
 * namespace, named uniquely: concurrent runs may share the platform's namespace) with sh, curl, openssl, nc and getent, used to look at the
 * cluster from the inside — HTTP, TCP, DNS — the way a workload would.
 */
export async function ensureProbe(ctx: Ctx): Promise<Probe> {
  if (ctx.state.probe) return ctx.state.probe;
  const namespace = await scenarioNamespace(ctx);
  ctx.state.probe = await startProbe(ctx, namespace, ctx.unique('kubeproof-probe'), {
    'app.kubernetes.io/name': 'kubeproof-probe',
    'app.kubernetes.io/managed-by': 'kubeproof',
  });
  return ctx.state.probe;
}

/**
 * A probe that carries a workload's labels (e.g. a Service's selector) in that
 * workload's namespace: to NetworkPolicies it is that workload, so what it
 * reaches is what the workload reaches. One per label set and scenario.
 */
export async function ensureLabelledProbe(ctx: Ctx, namespace: string, labels: Record<string, string>): Promise<Probe> {
  const key = `${namespace}/${labelText(labels)}`;
  const known = ctx.state.labelledProbes.get(key);
  if (known) return known;
  // Only the workload's labels and managed-by: any other label could be what a policy admits.
  const probe = await startProbe(ctx, namespace, ctx.unique('kubeproof-probe'), { 'app.kubernetes.io/managed-by': 'kubeproof', ...labels });
  ctx.state.labelledProbes.set(key, probe);
  return probe;
}

export function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

async function startProbe(ctx: Ctx, namespace: string, name: string, labels: Record<string, string>): Promise<Probe> {
  const k = ctx.clients.kube();
  const img = ctx.config.images;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
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
  return { namespace, pod: name };
}

/** Runs a shell script in the probe (the default one unless `probe` is given). */
export async function probeExec(ctx: Ctx, script: string, timeoutMs = 15_000, probe?: Probe): Promise<ExecResult> {
  const p = probe ?? (await ensureProbe(ctx));
  return ctx.clients.kube().exec(p.namespace, p.pod, 'probe', ['sh', '-c', script], timeoutMs);
}

export interface HttpProbe {
  ok: boolean;
  status: number;
  summary: string;
  body: string;
  /** curl's exit code: 0 when an HTTP answer came; 6 no such host, 7 refused, 28 timeout, 60 certificate not trusted... */
  exitCode: number;
  /** Why curl rejected the server's TLS (certificate not trusted, wrong name, handshake failed); undefined otherwise. */
  tlsError?: string;
}

export interface HttpProbeOptions {
  timeoutS?: number;
  /** Run from this probe instead of the default one. */
  probe?: Probe;
  /** HTTPS: trust only this CA (PEM); curl then fails on any certificate it does not validate. */
  caPem?: string;
}

// curl's exit codes for a TLS failure: handshake, name, certificate problems.
const CURL_TLS_FAILURES = new Set([35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91]);

/** GET from inside the cluster; status 0 means no HTTP answer (DNS, refused, timeout, TLS not validated). */
export async function httpFromProbe(ctx: Ctx, url: string, timeoutOrOptions: number | HttpProbeOptions = 3): Promise<HttpProbe> {
  const opts = typeof timeoutOrOptions === 'number' ? { timeoutS: timeoutOrOptions } : timeoutOrOptions;
  const timeoutS = opts.timeoutS ?? 3;
  const marker = '\n__KP__';
  const ca = opts.caPem ? `/tmp/kubeproof-ca-${createHash('sha256').update(opts.caPem).digest('hex').slice(0, 12)}.crt` : undefined;
  const script =
    (ca ? `printf '%s\\n' ${shq(opts.caPem!.trim())} > ${ca} && ` : '') +
    `curl -sS -m ${timeoutS}${ca ? ` --cacert ${ca}` : ''} -w '${marker}%{http_code} %{remote_ip} %{time_total}' ${shq(url)}`;
  const r = await probeExec(ctx, script, (timeoutS + 5) * 1000, opts.probe);
  const i = r.stdout.lastIndexOf(marker.trim());
  const body = i >= 0 ? r.stdout.slice(0, i).trim() : r.stdout.trim();
  const [code, ip, total] = (i >= 0 ? r.stdout.slice(i + marker.trim().length) : '000').trim().split(/\s+/);
  const status = Number(code) || 0;
  const error = r.stderr.trim() || `curl exit ${r.exitCode}`;
  const summary = status ? `HTTP ${status} from ${ip} in ${Math.round(Number(total) * 1000)}ms` : `no answer: ${error}`;
  return { ok: status > 0, status, summary, body, exitCode: r.exitCode, tlsError: !status && CURL_TLS_FAILURES.has(r.exitCode) ? error : undefined };
}

/** A TCP connect from inside the cluster (nc -z), with a short timeout. */
export async function tcpFromProbe(ctx: Ctx, host: string, port: number, timeoutS = 2, probe?: Probe): Promise<{ connected: boolean; summary: string }> {
  const started = performance.now();
  const r = await probeExec(ctx, `nc -z -w ${timeoutS} ${shq(host)} ${port}`, (timeoutS + 5) * 1000, probe);
  const ms = Math.round(performance.now() - started);
  return r.exitCode === 0
    ? { connected: true, summary: `TCP connect to ${host}:${port} succeeded (${ms}ms)` }
    : { connected: false, summary: `TCP connect to ${host}:${port} failed after ${ms}ms${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}` };
}

/**
 * A TCP connect that also completes a TLS handshake when the server speaks TLS
 * (openssl s_client prints CONNECTED once TCP is up): a bare connect that
 * closes mid-handshake is what a TLS server logs as a handshake error, and the
 * platform's own "no handshake errors" criteria must not see kubeproof's probes.
 */
export async function connectFromProbe(ctx: Ctx, host: string, port: number, probe: Probe, timeoutS = 3): Promise<{ connected: boolean; summary: string }> {
  const started = performance.now();
  const r = await probeExec(
    ctx,
    `timeout ${timeoutS} openssl s_client -connect ${shq(`${host}:${port}`)} -servername ${shq(host)} </dev/null 2>&1 | head -c 2000`,
    (timeoutS + 5) * 1000,
    probe,
  );
  const ms = Math.round(performance.now() - started);
  return /^CONNECTED/m.test(r.stdout)
    ? { connected: true, summary: `TCP connect to ${host}:${port} succeeded (${ms}ms)` }
    : { connected: false, summary: `TCP connect to ${host}:${port} failed after ${ms}ms: ${r.stdout.trim().split('\n')[0] || `exit ${r.exitCode}`}` };
}

/** Resolves a name with the pod's resolver (search domains apply, like a workload). */
export async function resolveFromProbe(ctx: Ctx, name: string): Promise<{ addresses: string[]; summary: string }> {
  // getent exits 2 for a name the resolver does not know; its own status, not the pipeline's.
  const r = await probeExec(ctx, `out=$(getent ahostsv4 ${shq(name)}); rc=$?; printf '%s\\n' "$out" | awk 'NF {print $1}' | sort -u; echo "getent=$rc"`);
  const lines = r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  const status = lines.find((l) => l.startsWith('getent='))?.slice('getent='.length) ?? `?, exec exit ${r.exitCode}`;
  const addresses = lines.filter((l) => !l.startsWith('getent='));
  const why = status === '2' ? 'not found by the pod resolver (getent exit 2)' : `getent exit ${status}`;
  return { addresses, summary: addresses.length ? `${name} → ${addresses.join(', ')}` : `${name} did not resolve: ${why}` };
}

export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
