import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { Socket } from 'node:net';
import { parseAllDocuments } from 'yaml';
import type { V1Pod } from '@kubernetes/client-node';
import type { Ctx, StepResult } from '../context';
import type { Endpoint } from '../config';
import { BadInputError, NotVerifiedError, errorText, formatDuration } from '../errors';
import { waitUntil } from '../wait';
import { kube, namespaceDiagnostics } from '../kube';
import { podReady, selectorString, WorkloadKind } from '../kube/client';
import { registerServiceResolver } from '../clients';

/**
 * Checks of a deployed platform (the plan's milestones): its namespace, pods,
 * workloads, logs, secrets and TLS endpoints, and its repository's files.
 * Unlike the lab checks, these never create or delete the platform itself.
 */

const NS_KEY = 'kube.namespace'; // shared with support/kube: kube steps then act on the platform namespace

/** The namespace the scenario verifies: the one given by `the platform namespace`, else the configured one. */
export function platformNamespace(ctx: Ctx): string {
  return (ctx.memory.get(NS_KEY) as string | undefined) ?? ctx.config.kube.namespace;
}

/** Points the kube steps at the platform's namespace (no creation, no cleanup) and collects its diagnostics on failure. */
export async function usePlatformNamespace(ctx: Ctx, namespace = ctx.config.kube.namespace): Promise<void> {
  const ns = await kube(ctx).core.readNamespace({ name: namespace }).catch((e) => {
    throw new Error(`namespace ${namespace} does not exist on ${kube(ctx).server}: ${errorText(e).split('\n')[0]}`, { cause: e });
  });
  ctx.memory.set(NS_KEY, ns.metadata!.name!);
  ctx.diagnostics.push({ name: `namespace ${namespace}`, collect: () => namespaceDiagnostics(ctx, namespace) });
  useClusterServices(ctx);
}

/**
 * In-cluster services named in the config (KUBEPROOF_<X>_SERVICE, or the
 * platform defaults) are reached at their ClusterIP, which the lab's node
 * routes; elsewhere the error says to port-forward and set KUBEPROOF_<X>_URL.
 */
export function useClusterServices(ctx: Ctx): void {
  registerServiceResolver(async (endpoint: Endpoint) => {
    const { namespace, name, port } = endpoint.service!;
    const svc = await kube(ctx).core.readNamespacedService({ name, namespace }).catch((e) => {
      throw new NotVerifiedError(`${endpoint.name}: service ${namespace}/${name} not found (${errorText(e).split('\n')[0]})`, `deploy it, or set KUBEPROOF_${endpoint.name.toUpperCase()}_URL`);
    });
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') throw new NotVerifiedError(`${endpoint.name}: service ${namespace}/${name} has no ClusterIP`);
    if (!(await tcpReachable(ip, port, 1500))) {
      throw new NotVerifiedError(
        `${endpoint.name}: service ${namespace}/${name} (${ip}:${port}) is not reachable from this machine`,
        `run \`kubectl port-forward -n ${namespace} svc/${name} ${port}\` and set KUBEPROOF_${endpoint.name.toUpperCase()}_URL=http://127.0.0.1:${port}`,
      );
    }
    const scheme = endpoint.tls && Object.keys(endpoint.tls).length ? 'https' : 'http';
    return { ...endpoint, url: `${scheme}://${ip}:${port}` };
  });
}

function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, host, () => done(true));
  });
}

// ------------------------------------------------------------ workloads

export type { WorkloadKind };

/** The pods of a Deployment, StatefulSet or DaemonSet, found through its selector. */
export async function workloadPods(ctx: Ctx, namespace: string, kind: WorkloadKind, name: string): Promise<V1Pod[]> {
  return (await kube(ctx).workloadPods(namespace, kind, name)).pods;
}

function podRow(p: V1Pod) {
  return {
    pod: p.metadata?.name,
    phase: p.status?.phase,
    ready: podReady(p),
    restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
    node: p.spec?.nodeName ?? '',
    ip: p.status?.podIP ?? '',
    age: formatDuration(Date.now() - new Date(p.metadata?.creationTimestamp ?? Date.now()).getTime()),
    waiting: (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).filter(Boolean).join(','),
  };
}

/** Every pod of the namespace Running and Ready (finished Job pods aside), noticed through a watch: `kubectl get all` as evidence. */
export function allPodsReady(ctx: Ctx, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`all pods in ${namespace} are Running and Ready`, async () => {
    const k = kube(ctx);
    let pods: V1Pod[] = [];
    try {
      await waitUntil({
        what: `every pod in namespace ${namespace} to be Running and Ready`,
        timeoutMs: withinMs,
        signal: ctx.signal,
        watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
        check: async () => {
          pods = (await k.listPods(namespace)).filter((p) => p.status?.phase !== 'Succeeded');
          const notReady = pods.filter((p) => !podReady(p));
          return { ok: pods.length > 0 && notReady.length === 0, summary: pods.length ? `${pods.length - notReady.length}/${pods.length} Ready${notReady.length ? `; not ready: ${notReady.map((p) => `${p.metadata?.name} (${p.status?.phase})`).join(', ')}` : ''}` : 'no pods in the namespace' };
        },
      });
    } finally {
      await ctx.evidence.table(`pods in ${namespace}`, pods.map(podRow));
    }
    return `${pods.length} pod(s) Running and Ready`;
  });
}

/** The pods of a workload all Ready, at least `min` of them. */
export function workloadReady(ctx: Ctx, kind: WorkloadKind, name: string, min: number, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${kind} ${name} has at least ${min} Ready pod(s)`, async () => {
    const k = kube(ctx);
    let pods: V1Pod[] = [];
    try {
      await waitUntil({
        what: `${kind} ${namespace}/${name} to have at least ${min} Ready pod(s)`,
        timeoutMs: withinMs,
        signal: ctx.signal,
        watch: k.watchSource(`/api/v1/namespaces/${namespace}/pods`),
        check: async () => {
          pods = await workloadPods(ctx, namespace, kind, name);
          const ready = pods.filter(podReady).length;
          return { ok: ready >= min && ready === pods.length, summary: `${ready}/${pods.length} Ready` };
        },
      });
    } finally {
      await ctx.evidence.table(`pods of ${kind} ${name}`, pods.map(podRow));
    }
    return `${pods.length} pod(s) Ready`;
  });
}

/** A DaemonSet with one Ready pod on every schedulable node. */
export function daemonSetOnEveryNode(ctx: Ctx, name: string, withinMs: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`DaemonSet ${name} runs one Ready pod per node`, async () => {
    const k = kube(ctx);
    const r = await waitUntil({
      what: `DaemonSet ${namespace}/${name} to have one Ready pod on every node`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      check: async () => {
        const nodes = (await k.core.listNode()).items.filter((n) => !n.spec?.unschedulable);
        const ds = await k.apps.readNamespacedDaemonSet({ name, namespace });
        const s = ds.status;
        return { ok: !!s && s.numberReady === nodes.length && s.desiredNumberScheduled === nodes.length, value: { nodes: nodes.length, ...s }, summary: `nodes ${nodes.length}, desired ${s?.desiredNumberScheduled}, ready ${s?.numberReady}` };
      },
    });
    await ctx.evidence.table(`pods of DaemonSet ${name}`, (await workloadPods(ctx, namespace, 'daemonset', name)).map(podRow));
    return r.summary;
  });
}

const KINDS: Record<string, { apiVersion: string; kind: string; namespaced: boolean }> = {
  service: { apiVersion: 'v1', kind: 'Service', namespaced: true },
  configmap: { apiVersion: 'v1', kind: 'ConfigMap', namespaced: true },
  secret: { apiVersion: 'v1', kind: 'Secret', namespaced: true },
  serviceaccount: { apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true },
  persistentvolumeclaim: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespaced: true },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true },
  statefulset: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespaced: true },
  daemonset: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true },
  horizontalpodautoscaler: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', namespaced: true },
  networkpolicy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true },
  clusterrole: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false },
  clusterrolebinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false },
};

/** An object of the given kind exists (Secret data is never shown, only its keys). */
export function objectExists(ctx: Ctx, kindWord: string, name: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${kindWord} ${name} exists`, async () => {
    const t = KINDS[kindWord.toLowerCase().replace(/\s+/g, '')];
    if (!t) throw new BadInputError(`unknown kind "${kindWord}"`, `use one of: ${Object.keys(KINDS).join(', ')}`);
    const obj = await kube(ctx).read<any>({ apiVersion: t.apiVersion, kind: t.kind, metadata: { name, namespace: t.namespaced ? namespace : undefined } });
    if (!obj) throw new Error(`${t.kind} ${t.namespaced ? `${namespace}/` : ''}${name} does not exist`);
    const summary =
      t.kind === 'Secret'
        ? `type ${obj.type}, keys: ${Object.keys(obj.data ?? {}).join(', ')}`
        : t.kind === 'Service'
          ? `type ${obj.spec?.type}, clusterIP ${obj.spec?.clusterIP}, ports ${(obj.spec?.ports ?? []).map((p: any) => `${p.name ?? ''}${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(', ')}`
          : `created ${obj.metadata?.creationTimestamp}`;
    return `${t.kind} ${name}: ${summary}`;
  });
}

// ------------------------------------------------------------ inside pods

/**
 * Fetches a URL from inside a pod of the workload (what `kubectl exec … curl
 * localhost:8000/metrics` does), trying curl, wget, then node, since service
 * images differ in what they ship.
 */
export function podServesMetrics(ctx: Ctx, kind: WorkloadKind, name: string, port: number, path: string, metric?: string): StepResult {
  const namespace = platformNamespace(ctx);
  const url = `http://localhost:${port}${path}`;
  return ctx.check(`a pod of ${kind} ${name} serves Prometheus metrics at ${url}`, async () => {
    const pods = (await workloadPods(ctx, namespace, kind, name)).filter(podReady);
    if (!pods.length) throw new Error(`${kind} ${name} has no Ready pod to exec into`);
    const pod = pods[0].metadata!.name!;
    const script = `curl -fsS ${url} 2>/dev/null || wget -qO- ${url} 2>/dev/null || node -e "fetch('${url}').then(r=>r.text()).then(t=>process.stdout.write(t)).catch(e=>{console.error(e.message);process.exit(1)})"`;
    const r = await kube(ctx).exec(namespace, pod, undefined, ['sh', '-c', script], ctx.config.timeouts.assert);
    await ctx.evidence.text(`kubectl exec -n ${namespace} ${pod} -- (curl|wget|node) ${url}`, `exit ${r.exitCode}\n${r.stdout.split('\n').slice(0, 60).join('\n')}${r.stderr ? `\nstderr: ${r.stderr}` : ''}`);
    if (r.exitCode !== 0) throw new Error(`fetching ${url} in pod ${pod} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}`);
    const families = [...r.stdout.matchAll(/^# TYPE (\S+) (\S+)/gm)].map((m) => m[1]);
    if (!families.length) throw new Error(`${url} in pod ${pod} answered, but not in the Prometheus text format`);
    if (metric && !new RegExp(`^${metric}(\\{|\\s)`, 'm').test(r.stdout)) throw new Error(`${url} in pod ${pod} has no metric ${metric}; it has: ${families.slice(0, 30).join(', ')}`);
    return `${families.length} metric families from pod ${pod}${metric ? `, including ${metric}` : ''}`;
  });
}

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
        const pods = await workloadPods(ctx, namespace, kind, name);
        for (const p of pods) {
          const logs = await kube(ctx).logs(namespace, p.metadata!.name!, undefined, 2000);
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
    const pods = await workloadPods(ctx, namespace, kind, name);
    if (!pods.length) throw new Error(`${kind} ${name} has no pods whose logs could be read`);
    const hits: string[] = [];
    let lines = 0;
    for (const p of pods) {
      const logs = (await kube(ctx).logs(namespace, p.metadata!.name!, undefined, 5000)).split('\n');
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

/** A Secret holds the keys, non-empty; the values are registered for redaction and never shown. */
export function secretHasKeys(ctx: Ctx, name: string, keys: string[]): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Secret ${name} holds ${keys.join(', ')}`, async () => {
    const s = await kube(ctx).core.readNamespacedSecret({ name, namespace }).catch((e) => {
      throw new Error(`Secret ${namespace}/${name} not found: ${errorText(e).split('\n')[0]}`);
    });
    for (const v of Object.values(s.data ?? {})) {
      ctx.evidence.redactor.add(v);
      ctx.evidence.redactor.add(Buffer.from(v, 'base64').toString('utf8'));
    }
    const missing = keys.filter((k) => !s.data?.[k]);
    await ctx.evidence.table(`Secret ${name} (values withheld)`, Object.entries(s.data ?? {}).map(([k, v]) => ({ key: k, bytes: Buffer.from(v, 'base64').length })));
    if (missing.length) throw new Error(`Secret ${namespace}/${name} lacks ${missing.join(', ')}; it has ${Object.keys(s.data ?? {}).join(', ') || 'no keys'}`);
    return `type ${s.type}, keys ${Object.keys(s.data ?? {}).join(', ')}`;
  });
}

/** The workload's pods mount the Secret as a volume. */
export function podsMountSecret(ctx: Ctx, kind: WorkloadKind, name: string, secret: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`${kind} ${name} mounts Secret ${secret}`, async () => {
    const pods = await workloadPods(ctx, namespace, kind, name);
    if (!pods.length) throw new Error(`${kind} ${name} has no pods`);
    const rows = pods.map((p) => {
      const vol = (p.spec?.volumes ?? []).find((v) => v.secret?.secretName === secret || v.projected?.sources?.some((s) => s.secret?.name === secret));
      const mounts = vol ? (p.spec?.containers ?? []).flatMap((c) => (c.volumeMounts ?? []).filter((m) => m.name === vol.name).map((m) => `${c.name}:${m.mountPath}`)) : [];
      return { pod: p.metadata?.name ?? '', volume: vol?.name ?? '(none)', mounts: mounts.join(', ') || '(not mounted)' };
    });
    await ctx.evidence.table(`Secret ${secret} in pods of ${kind} ${name}`, rows);
    const bad = rows.filter((r) => r.mounts === '(not mounted)');
    if (bad.length) throw new Error(`pod(s) ${bad.map((b) => b.pod).join(', ')} do not mount Secret ${secret}`);
    return rows.map((r) => `${r.pod} → ${r.mounts}`).join('; ');
  });
}

// ------------------------------------------------------------ TLS

/** The Service's port completes a TLS handshake; shows protocol, cipher and the certificate's subject, issuer and validity. */
export function serviceServesTls(ctx: Ctx, service: string, port: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Service ${service} port ${port} serves TLS`, async () => {
    const svc = await kube(ctx).core.readNamespacedService({ name: service, namespace });
    const host = svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : (await kube(ctx).listPods(namespace, selectorString({ matchLabels: svc.spec?.selector })))[0]?.status?.podIP;
    if (!host) throw new Error(`Service ${service} has no ClusterIP and no pod to connect to`);
    const serverName = `${service}.${namespace}.svc`;
    const info = await new Promise<Record<string, string>>((resolve, reject) => {
      const socket: TLSSocket = tlsConnect({ host, port, servername: serverName, rejectUnauthorized: false, timeout: ctx.config.timeouts.request }, () => {
        const cert = socket.getPeerCertificate();
        resolve({
          address: `${host}:${port}`,
          serverName,
          protocol: socket.getProtocol() ?? '',
          cipher: socket.getCipher()?.name ?? '',
          subject: cert.subject ? Object.entries(cert.subject).map(([k, v]) => `${k}=${v}`).join(', ') : '',
          issuer: cert.issuer ? Object.entries(cert.issuer).map(([k, v]) => `${k}=${v}`).join(', ') : '',
          subjectAltName: cert.subjectaltname ?? '',
          validFrom: cert.valid_from ?? '',
          validTo: cert.valid_to ?? '',
          fingerprint256: cert.fingerprint256 ?? '',
          trustedByDefaultCAs: socket.authorized ? 'yes' : `no (${socket.authorizationError})`,
        });
        socket.end();
      });
      socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake within ${ctx.config.timeouts.request}ms`)));
      socket.once('error', (e) => reject(new Error(`TLS handshake with ${service} (${host}:${port}) failed: ${e.message}`)));
    });
    await ctx.evidence.table(`TLS handshake with ${service}:${port}`, Object.entries(info).map(([k, v]) => ({ field: k, value: v })));
    return `${info.protocol} ${info.cipher}; certificate ${info.subject} issued by ${info.issuer}, valid to ${info.validTo}`;
  });
}

/** Nothing accepts plaintext TCP on the Service's port (e.g. Kafka's 9092 once TLS is on). */
export function servicePortClosed(ctx: Ctx, service: string, port: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Service ${service} accepts no connection on port ${port}`, async () => {
    const svc = await kube(ctx).core.readNamespacedService({ name: service, namespace });
    const pods = await kube(ctx).listPods(namespace, selectorString({ matchLabels: svc.spec?.selector }));
    const targets = [...(svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? [svc.spec.clusterIP] : []), ...pods.map((p) => p.status?.podIP).filter((x): x is string => !!x)];
    if (!targets.length) throw new Error(`Service ${service} has no address to try`);
    const open: string[] = [];
    for (const t of targets) if (await tcpReachable(t, port, 2000)) open.push(`${t}:${port}`);
    await ctx.evidence.table(`plaintext connection attempts on port ${port}`, targets.map((t) => ({ address: `${t}:${port}`, result: open.includes(`${t}:${port}`) ? 'ACCEPTED' : 'refused or unreachable' })));
    if (open.length) throw new Error(`port ${port} accepts connections at ${open.join(', ')}`);
    return `${targets.length} address(es) tried, none accepted a connection on ${port}`;
  });
}

// ------------------------------------------------------------ repository

/** The platform repository under test: KUBEPROOF_PLATFORM_DIR; without it, repository criteria are not verified. */
function platformDir(): string {
  const dir = process.env.KUBEPROOF_PLATFORM_DIR;
  if (!dir) throw new NotVerifiedError('no platform repository given', 'set KUBEPROOF_PLATFORM_DIR to the checkout of the platform (its manifests, scripts and outputs)');
  if (!existsSync(dir)) throw new BadInputError(`KUBEPROOF_PLATFORM_DIR=${dir} does not exist`);
  return dir;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    if (e === '.git' || e === 'node_modules') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** A file exists in the platform repository (an output, a script, a README). */
export function repoHasFile(ctx: Ctx, path: string): StepResult {
  return ctx.check(`the platform repository has ${path}`, async () => {
    const full = join(platformDir(), path);
    if (!existsSync(full)) throw new Error(`${path} is missing from ${platformDir()}`);
    return `${path}: ${statSync(full).size} bytes`;
  });
}

/** A document of the platform repository mentions each of the words (README sections, procedures). */
export function repoFileMentions(ctx: Ctx, path: string, words: string[]): StepResult {
  return ctx.check(`${path} mentions ${words.join(', ')}`, async () => {
    const full = join(platformDir(), path);
    if (!existsSync(full)) throw new Error(`${path} is missing from ${platformDir()}`);
    const text = readFileSync(full, 'utf8').toLowerCase();
    const missing = words.filter((w) => !text.includes(w.toLowerCase()));
    if (missing.length) throw new Error(`${path} does not mention ${missing.join(', ')}`);
    return `${path} mentions ${words.join(', ')}`;
  });
}

/** Every namespaced object in the manifests names the namespace (or its kustomization sets it). */
export function manifestsUseNamespace(ctx: Ctx, dir: string, namespace: string): StepResult {
  return ctx.check(`manifests in ${dir} reference namespace ${namespace}`, async () => {
    if (!existsSync(dir)) throw new BadInputError(`manifest directory ${dir} does not exist`);
    const rows: { file: string; kind: string; name: string; namespace: string; ok: boolean }[] = [];
    for (const file of walk(dir).filter((f) => /\.ya?ml$/.test(f))) {
      const docs = parseAllDocuments(readFileSync(file, 'utf8'));
      const kustomizeNs = docs.map((d) => d.toJS()).find((d) => d?.kind === 'Kustomization')?.namespace;
      for (const d of docs) {
        const o = d.toJS();
        if (!o?.kind || o.kind === 'Kustomization' || /^(Namespace|ClusterRole|ClusterRoleBinding|StorageClass|PersistentVolume|CustomResourceDefinition)$/.test(o.kind)) continue;
        const ns = o.metadata?.namespace ?? kustomizeNs ?? '';
        rows.push({ file: relative(dir, file), kind: o.kind, name: o.metadata?.name ?? '', namespace: ns || '(none)', ok: ns === namespace || (!ns && hasKustomizationNamespace(dir, namespace)) });
      }
    }
    await ctx.evidence.table(`namespaced objects in ${dir}`, rows);
    if (!rows.length) throw new Error(`no Kubernetes objects found under ${dir}`);
    const bad = rows.filter((r) => !r.ok);
    if (bad.length) throw new Error(`${bad.length} object(s) do not reference ${namespace}: ${bad.slice(0, 10).map((b) => `${b.file} ${b.kind}/${b.name} (${b.namespace})`).join(', ')}`);
    return `${rows.length} namespaced objects, all in ${namespace}`;
  });
}

function hasKustomizationNamespace(dir: string, namespace: string): boolean {
  const k = ['kustomization.yaml', 'kustomization.yml'].map((f) => join(dir, f)).find(existsSync);
  return !!k && new RegExp(`^namespace:\\s*${namespace}\\s*$`, 'm').test(readFileSync(k, 'utf8'));
}

/** No Secret with data and no secrets.yaml is committed; .gitignore excludes secrets.yaml. */
export function noSecretsCommitted(ctx: Ctx): StepResult {
  return ctx.check('no secrets are committed in the platform repository', async () => {
    const dir = platformDir();
    const offenders: string[] = [];
    for (const file of walk(dir)) {
      if (/(^|\/)secrets?\.ya?ml$/.test(file)) offenders.push(`${relative(dir, file)} (a secrets file)`);
      else if (/\.ya?ml$/.test(file)) {
        for (const d of parseAllDocuments(readFileSync(file, 'utf8'))) {
          const o = d.toJS();
          if (o?.kind === 'Secret' && (Object.keys(o.data ?? {}).length || Object.keys(o.stringData ?? {}).length)) offenders.push(`${relative(dir, file)} (Secret ${o.metadata?.name} with values)`);
        }
      }
    }
    const gitignore = existsSync(join(dir, '.gitignore')) ? readFileSync(join(dir, '.gitignore'), 'utf8') : '';
    if (!/secrets\.ya?ml/.test(gitignore)) offenders.push('.gitignore does not exclude secrets.yaml');
    if (offenders.length) throw new Error(`secrets in the platform repository: ${offenders.join('; ')}`);
    return `no Secret values and no secrets.yaml under ${dir}; .gitignore excludes secrets.yaml`;
  });
}

/**
 * Runs one of the platform's own scripts (deploy.sh, validate.sh) in its
 * repository, bounded in time, and optionally looks for a phrase in its output.
 */
export function repoScriptSucceeds(ctx: Ctx, command: string, withinMs: number, expect?: string): StepResult {
  return ctx.check(`${command} succeeds${expect ? ` and reports "${expect}"` : ''}`, async () => {
    const dir = platformDir();
    const { execa } = await import('execa');
    const r = await execa('bash', ['-c', command], { cwd: dir, reject: false, timeout: withinMs, all: true, cancelSignal: ctx.signal, env: { KUBECONFIG: ctx.config.kube.kubeconfig ?? process.env.KUBECONFIG ?? '' } });
    const tail = (r.all ?? '').split('\n').slice(-80).join('\n');
    await ctx.evidence.text(`${command} (exit ${r.exitCode ?? r.signal}, ${formatDuration(r.durationMs)})`, tail);
    if (r.timedOut) throw new Error(`${command} did not finish within ${formatDuration(withinMs)}`);
    if (r.exitCode !== 0) throw new Error(`${command} exited ${r.exitCode}; its output ends: ${tail.split('\n').slice(-3).join(' | ')}`);
    if (expect && !(r.all ?? '').includes(expect)) throw new Error(`${command} succeeded but its output does not contain "${expect}"`);
    return `exit 0 in ${formatDuration(r.durationMs)}${expect ? `; output contains "${expect}"` : ''}`;
  });
}

/** A criterion only a person can judge (a video, how a page renders): reported as not verified, with what to look at. */
export function personVerifies(ctx: Ctx, criterion: string): StepResult {
  return ctx.check(criterion, async () => {
    throw new NotVerifiedError(`needs a person: ${criterion}`, 'kubeproof cannot judge this; a reviewer signs it off from the deliverable itself');
  });
}
