import { createHash } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { type ExecResult, statusCode } from '../../clients/kube/client';
import { GoneError } from '../../engine/errors';
import { waitUntil } from '../../engine/wait';
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
 * It is never Ready (a readiness gate nobody sets), so a Service selecting those
 * labels never sends it the workload's traffic.
 */
export async function ensureLabelledProbe(ctx: Ctx, namespace: string, labels: Record<string, string>): Promise<Probe> {
  const key = `${namespace}/${labelText(labels)}`;
  const known = ctx.state.labelledProbes.get(key);
  if (known) return known;
  // Only the workload's labels and managed-by: any other label could be what a policy admits.
  const probe = await startProbe(ctx, namespace, ctx.unique('kubeproof-probe'), { 'app.kubernetes.io/managed-by': 'kubeproof', ...labels }, false);
  ctx.state.labelledProbes.set(key, probe);
  return probe;
}

/** Deletes a labelled probe before the scenario ends (one that impersonated a workload should not linger among its pods). */
export async function releaseLabelledProbe(ctx: Ctx, probe: Probe): Promise<void> {
  for (const [key, p] of ctx.state.labelledProbes) if (p.pod === probe.pod && p.namespace === probe.namespace) ctx.state.labelledProbes.delete(key);
  await ctx.clients.kube().delete({ apiVersion: 'v1', kind: 'Pod', metadata: { name: probe.pod, namespace: probe.namespace } }, 0);
}

export function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const NOT_AN_ENDPOINT = 'kubeproof.io/not-a-service-endpoint';

async function startProbe(ctx: Ctx, namespace: string, name: string, labels: Record<string, string>, serves = true): Promise<Probe> {
  const k = ctx.clients.kube();
  const img = ctx.config.images;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      terminationGracePeriodSeconds: 0,
      restartPolicy: 'Never',
      // Nobody sets this condition: the pod stays unready, so no Service routes to it.
      readinessGates: serves ? undefined : [{ conditionType: NOT_AN_ENDPOINT }],
      // What the restricted Pod Security level asks, so a probe starts in any platform namespace.
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: img.probe,
          imagePullPolicy: img.pullPolicy,
          command: ['sleep', '3600'],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '128Mi' } },
        },
      ],
    },
  };
  await k.apply(pod);
  ctx.cleanup.push(`delete probe pod ${namespace}/${name}`, () => k.delete(pod, 0));
  if (serves) await waitPodReady(ctx, namespace, name, ctx.config.timeouts.rollout);
  else await waitContainersReady(ctx, namespace, name, ctx.config.timeouts.rollout);
  return { namespace, pod: name };
}

/** Waits until a pod's containers run (ContainersReady), for pods that are never Ready on purpose. */
async function waitContainersReady(ctx: Ctx, namespace: string, name: string, timeoutMs: number): Promise<void> {
  const k = ctx.clients.kube();
  await waitUntil({
    what: `the container of probe pod ${namespace}/${name} to run`,
    timeoutMs,
    signal: ctx.signal,
    watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`, { fieldSelector: `metadata.name=${name}` }),
    check: async () => {
      const p = await k.core.readNamespacedPod({ name, namespace }).catch((e: unknown) => {
        if (statusCode(e) === 404)
          throw new GoneError(
            `probe pod ${namespace}/${name} was deleted while kubeproof waited for it to run`,
            'another controller may have adopted and removed it: do its labels match a workload’s selector (a DaemonSet, a Job)?',
          );
        throw e;
      });
      const running = p.status?.conditions?.some((c) => c.type === 'ContainersReady' && c.status === 'True') ?? false;
      const waiting = (p.status?.containerStatuses ?? [])
        .map((c) => c.state?.waiting?.reason)
        .filter(Boolean)
        .join(',');
      return { ok: running, summary: `phase ${p.status?.phase}${waiting ? ` (${waiting})` : ''}, containers ready=${running}` };
    },
  });
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
  /** What was sent, for evidence: method, URL, headers (credentials withheld), body size. */
  request: string;
  /** From the request to the end of the answer, as curl measured it (0 without an answer). */
  latencyMs: number;
  /** The answer's Content-Type header, when there was one. */
  contentType?: string;
}

export interface HttpProbeOptions {
  timeoutS?: number;
  /** Run from this probe instead of the default one. */
  probe?: Probe;
  /** HTTPS: trust only this CA (PEM); curl then fails on any certificate it does not validate. */
  caPem?: string;
  /** GET unless given. */
  method?: string;
  /** Request headers as `[name, value]`. */
  headers?: [string, string][];
  body?: string;
  /**
   * A virtual host: the request names it (Host header, and SNI for HTTPS) while the connection
   * still goes to the URL's host and port, the way an ingress or a shared server is addressed.
   */
  host?: string;
}

// curl's exit codes for a TLS failure: handshake, name, certificate problems.
const CURL_TLS_FAILURES = new Set([35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91]);
// Headers whose values are credentials: never shown.
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)$/i;
const MAX_BODY_BYTES = 1_048_576;

/** `Name: value` as written in a step → [name, value]; undefined when it is not a header. */
export function parseHeader(text: string): [string, string] | undefined {
  const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(text.trim());
  return m ? [m[1], m[2]] : undefined;
}

/** A header as evidence may show it: credentials withheld. */
export function headerText([name, value]: [string, string]): string {
  return `${name}: ${CREDENTIAL_HEADERS.test(name) ? '(withheld)' : value}`;
}

/** A request from inside the cluster; status 0 means no HTTP answer (DNS, refused, timeout, TLS not validated). */
export async function httpFromProbe(ctx: Ctx, url: string, timeoutOrOptions: number | HttpProbeOptions = 3): Promise<HttpProbe> {
  const opts = typeof timeoutOrOptions === 'number' ? { timeoutS: timeoutOrOptions } : timeoutOrOptions;
  const timeoutS = opts.timeoutS ?? 3;
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers = [...(opts.headers ?? [])];
  // Credentials stay out of every report, also when a server echoes them back.
  for (const [name, value] of headers)
    if (CREDENTIAL_HEADERS.test(name)) {
      ctx.evidence.redactor.add(value);
      ctx.evidence.redactor.add(value.replace(/^\S+\s+/, ''));
    }
  if (opts.body !== undefined && !headers.some(([n]) => /^content-type$/i.test(n)) && /^\s*[[{]/.test(opts.body))
    headers.push(['Content-Type', 'application/json']);
  const { target, connectTo } = virtualHost(url, opts.host);
  const marker = '__KP__';
  const ca = opts.caPem ? `/tmp/kubeproof-ca-${createHash('sha256').update(opts.caPem).digest('hex').slice(0, 12)}.crt` : undefined;
  const args = [
    `-sS -m ${timeoutS}`,
    ca ? `--cacert ${ca}` : '',
    method === 'HEAD' ? '-I' : method !== 'GET' ? `-X ${shq(method)}` : '',
    connectTo ? `--connect-to ${shq(connectTo)}` : '',
    ...headers.map(([n, v]) => `-H ${shq(`${n}: ${v}`)}`),
    opts.body !== undefined ? `--data-raw ${shq(opts.body)}` : '',
    `-o "$b" -w '${marker}%{http_code} %{remote_ip} %{time_total} %{content_type}'`,
    shq(target),
  ].filter(Boolean);
  // The body goes to a file and is cut at 1 MiB, so the status line after it always arrives.
  const script =
    (ca ? `printf '%s\\n' ${shq(opts.caPem!.trim())} > ${ca} && ` : '') +
    `b=$(mktemp); curl ${args.join(' ')} > "$b.w"; rc=$?; head -c ${MAX_BODY_BYTES} "$b"; printf '\\n'; cat "$b.w"; rm -f "$b" "$b.w"; exit $rc`;
  const r = await probeExec(ctx, script, (timeoutS + 5) * 1000, opts.probe);
  const i = r.stdout.lastIndexOf(marker);
  const body = i >= 0 ? r.stdout.slice(0, i).replace(/\n$/, '') : r.stdout.trim();
  const [code, ip, total, ...type] = (i >= 0 ? r.stdout.slice(i + marker.length) : '000').trim().split(/\s+/);
  const status = Number(code) || 0;
  const latencyMs = status ? Math.round(Number(total) * 1000) : 0;
  const error = r.stderr.trim() || `curl exit ${r.exitCode}`;
  const request = [
    `${method} ${target}${connectTo ? ` (connected to ${connectTo.split(':').slice(2).join(':')})` : ''}`,
    ...headers.map(headerText),
    ...(opts.body !== undefined ? [`body: ${Buffer.byteLength(opts.body)} bytes`] : []),
  ].join('; ');
  const summary = status ? `HTTP ${status} from ${ip} in ${latencyMs}ms` : `no answer: ${error}`;
  return {
    ok: status > 0,
    status,
    summary,
    body,
    exitCode: r.exitCode,
    tlsError: !status && CURL_TLS_FAILURES.has(r.exitCode) ? error : undefined,
    request,
    latencyMs,
    contentType: type.join(' ') || undefined,
  };
}

/** The URL to request and curl's --connect-to for a virtual host (`host:port:real-host:port`). */
function virtualHost(url: string, host?: string): { target: string; connectTo?: string } {
  if (!host) return { target: url };
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const real = u.hostname;
  u.hostname = host;
  return { target: u.toString(), connectTo: `${host}:${port}:${real}:${port}` };
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

/** How a connection attempt ended: only `refused` and `timeout` can be a NetworkPolicy's doing. */
export type ConnectOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'unresolved' | 'error';

export interface ConnectResult {
  connected: boolean;
  outcome: ConnectOutcome;
  summary: string;
}

/**
 * A TCP connect that also completes a TLS handshake when the server speaks TLS
 * (openssl s_client prints CONNECTED once TCP is up): a bare connect that
 * closes mid-handshake is what a TLS server logs as a handshake error, and the
 * platform's own "no handshake errors" criteria must not see kubeproof's probes.
 * Line-buffered (stdbuf): a plain-TCP server that waits for its client (Redis)
 * keeps openssl waiting until `timeout` kills it, and a block buffer dies with it.
 */
export async function connectFromProbe(ctx: Ctx, host: string, port: number, probe: Probe, timeoutS = 3): Promise<ConnectResult> {
  const started = performance.now();
  // openssl's own exit status (124 when `timeout` ended it), not head's.
  const r = await probeExec(
    ctx,
    `o=$(mktemp); timeout ${timeoutS} stdbuf -oL openssl s_client -connect ${shq(`${host}:${port}`)} -servername ${shq(host)} </dev/null >"$o" 2>&1; rc=$?; head -c 2000 "$o"; rm -f "$o"; echo; echo "openssl=$rc"`,
    (timeoutS + 5) * 1000,
    probe,
  );
  const ms = Math.round(performance.now() - started);
  const what = `TCP connect to ${host}:${port}`;
  if (/^CONNECTED/m.test(r.stdout)) return { connected: true, outcome: 'connected', summary: `${what} succeeded (${ms}ms)` };
  const rc = /openssl=(\d+)/.exec(r.stdout)?.[1];
  const out = r.stdout.replace(/openssl=\d+\s*$/, '').trim();
  const outcome: ConnectOutcome = /Name or service not known|Temporary failure in name resolution|No address associated|BIO_lookup/i.test(out)
    ? 'unresolved'
    : /Connection refused|errno=111/.test(out)
      ? 'refused'
      : rc === '124' || /timed out|errno=110/i.test(out)
        ? 'timeout'
        : /No route to host|Network is unreachable|errno=11[13]/i.test(out)
          ? 'unreachable'
          : 'error';
  const detail =
    outcome === 'timeout'
      ? `no answer within ${timeoutS}s`
      : outcome === 'unresolved'
        ? `${host} does not resolve`
        : (out.split('\n').find((l) => /error|errno/i.test(l)) ?? out.split('\n')[0]) || `exit ${rc ?? r.exitCode}`;
  return { connected: false, outcome, summary: `${what} ${outcome === 'error' ? 'failed' : outcome} after ${ms}ms: ${shortOpensslError(detail)}` };
}

// "40571D41277F0000:error:8000006F:system library:BIO_connect:Connection refused:../crypto/…" → "Connection refused"
function shortOpensslError(line: string): string {
  const parts = line.split(':');
  return parts.length >= 6 && /^[0-9A-F]+$/.test(parts[0]) ? parts[5] : line.trim();
}

/** Resolves a name with the pod's resolver (search domains apply, like a workload); from `probe` when given. */
export async function resolveFromProbe(ctx: Ctx, name: string, probe?: Probe): Promise<{ addresses: string[]; summary: string }> {
  // getent exits 2 for a name the resolver does not know; its own status, not the pipeline's.
  const r = await probeExec(
    ctx,
    `out=$(getent ahostsv4 ${shq(name)}); rc=$?; printf '%s\\n' "$out" | awk 'NF {print $1}' | sort -u; echo "getent=$rc"`,
    15_000,
    probe,
  );
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
