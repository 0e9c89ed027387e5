import { X509Certificate } from 'node:crypto';
import type { RawObject } from '../clients/kube/client';
import { BadInputError, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';
import { ensureProbe, type HttpProbe, httpFromProbe, probeExec, shq } from './shared/probe';
import { timelineText } from './shared/timeline';

/**
 * Ingress as a client meets it: a request for a host goes to the ingress controller (the address an
 * Ingress's status.loadBalancer publishes, or the Service KUBEPROOF_INGRESS_SERVICE names) with that
 * host as Host header and SNI, from the probe pod, the way a browser behind DNS would reach it.
 */

/** Where requests for a host go, and how that was found (evidence). */
interface Route {
  /** IP or DNS name of the ingress controller. */
  address: string;
  /** "Ingress shop/web (class nginx) status.loadBalancer", "KUBEPROOF_INGRESS_SERVICE=…". */
  via: string;
  /** The Ingresses whose rules name the host (namespace/name, class), possibly none. */
  naming: string[];
  /** spec.tls Secrets the Ingresses naming the host give for it. */
  tlsSecrets: { ingress: string; secret: string }[];
}

const HOST = /^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

function checkHost(host: string): void {
  if (!HOST.test(host)) throw new BadInputError(`"${host}" is not a host name`, 'write a DNS name such as shop.example.test');
}

function ingressClass(ing: RawObject): string {
  const spec = ing.spec as { ingressClassName?: string } | undefined;
  return spec?.ingressClassName ?? ing.metadata?.annotations?.['kubernetes.io/ingress.class'] ?? '(no class: the default one)';
}

/** A rule host names the host: equal, or a wildcard `*.x` covering one label before `.x`. */
function hostMatches(ruleHost: string | undefined, host: string): boolean {
  if (!ruleHost) return false;
  if (ruleHost.toLowerCase() === host.toLowerCase()) return true;
  return ruleHost.startsWith('*.') && host.toLowerCase().endsWith(ruleHost.slice(1).toLowerCase()) && !host.slice(0, -ruleHost.length + 1).includes('.');
}

function statusAddresses(ing: RawObject): string[] {
  const lb = (ing.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer;
  return (lb?.ingress ?? []).map((a) => a.ip ?? a.hostname ?? '').filter(Boolean);
}

/**
 * The controller address for a host: KUBEPROOF_INGRESS_SERVICE when set; else the status address of
 * the Ingresses in the namespace that name the host; for a host no Ingress names, the address of the
 * namespace's other Ingresses (the controller that would answer it). `ok: false` says what is missing.
 */
async function findRoute(ctx: Ctx, host: string): Promise<{ route?: Route; summary: string }> {
  const k = ctx.clients.kube();
  const namespace = platformNamespace(ctx);
  const ingresses = await k.listRaw(await k.discovery.resolve('ingresses.networking.k8s.io'), namespace);
  const label = (i: RawObject) => `Ingress ${namespace}/${i.metadata?.name} (class ${ingressClass(i)})`;
  const naming = ingresses.filter((i) => ((i.spec as { rules?: { host?: string }[] })?.rules ?? []).some((r) => hostMatches(r.host, host)));
  const tlsSecrets = naming.flatMap((i) =>
    ((i.spec as { tls?: { hosts?: string[]; secretName?: string }[] })?.tls ?? [])
      .filter((t) => (t.hosts ?? []).some((h) => hostMatches(h, host)) && t.secretName)
      .map((t) => ({ ingress: `${namespace}/${i.metadata?.name}`, secret: t.secretName! })),
  );
  const base = { naming: naming.map(label), tlsSecrets };
  const configured = ctx.config.ingress.service;
  if (configured) {
    const [ns, name] = configured.includes('/') ? configured.split('/', 2) : [namespace, configured];
    const svc = await k.core.readNamespacedService({ name, namespace: ns }).catch(() => undefined);
    const ip = svc?.spec?.clusterIP;
    if (!ip || ip === 'None')
      return { summary: `KUBEPROOF_INGRESS_SERVICE=${configured}: Service ${ns}/${name} ${svc ? 'has no ClusterIP' : 'does not exist'}` };
    return { route: { address: ip, via: `KUBEPROOF_INGRESS_SERVICE=${configured} (ClusterIP ${ip})`, ...base }, summary: '' };
  }
  if (!ingresses.length)
    return { summary: `namespace ${namespace} has no Ingress: nothing tells where its ingress controller is (set KUBEPROOF_INGRESS_SERVICE to its Service)` };
  const pool = naming.length ? naming : ingresses;
  const withAddress = pool.find((i) => statusAddresses(i).length);
  if (!withAddress) {
    const which = naming.length ? `${pool.map(label).join(', ')} name(s) the host ${host} but` : `no Ingress names the host ${host}, and`;
    return { summary: `${which} no Ingress has an address in status.loadBalancer: no controller has admitted them (is a controller for their class running?)` };
  }
  const address = statusAddresses(withAddress)[0];
  const via = naming.length
    ? `${label(withAddress)} status.loadBalancer`
    : `no Ingress in ${namespace} names ${host}; the controller of ${label(withAddress)} (status.loadBalancer)`;
  return { route: { address, via, ...base }, summary: '' };
}

/**
 * Why a controller address gave no answer: its Service and how many Ready pods back it, so "down"
 * names the controller. Best effort: an address that is no Service of the cluster says so.
 */
async function controllerState(ctx: Ctx, address: string): Promise<string> {
  const k = ctx.clients.kube();
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.|$)/.exec(address);
  let svc = m ? await k.core.readNamespacedService({ name: m[1], namespace: m[2] }).catch(() => undefined) : undefined;
  if (!svc && !m) svc = (await k.core.listServiceForAllNamespaces()).items.find((s) => s.spec?.clusterIP === address);
  if (!svc) return `${address} is no Service of the cluster`;
  const ref = `${svc.metadata?.namespace}/${svc.metadata?.name}`;
  const selector = svc.spec?.selector;
  if (!selector) return `the ingress controller Service ${ref} has no selector`;
  const pods = await k.listPods(
    svc.metadata!.namespace!,
    Object.entries(selector)
      .map(([a, b]) => `${a}=${b}`)
      .join(','),
  );
  const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (!ready.length)
    return `the ingress controller Service ${ref} has no Ready pod (${pods.length ? pods.map((p) => `${p.metadata?.name}: ${p.status?.phase}`).join(', ') : 'its selector selects none'}): the controller is not running`;
  return `the ingress controller Service ${ref} has ${ready.length} Ready pod(s)`;
}

function bodyStart(body: string, n: number): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n)}…` : flat || '(empty body)';
}

/**
 * "the ingress answers HTTP 200 for the host `auth.giia.local` at `/health` within 30s": the request
 * goes from the probe pod to the ingress controller with the host as Host header (curl --connect-to),
 * until the status comes or the bound passes. No answer names the controller's Service and its Ready pods.
 */
export function ingressAnswersHttp(ctx: Ctx, status: number, host: string, path: string, withinMs: number): StepResult {
  return ctx.check(`the ingress answers HTTP ${status} for ${host}${path}`, async () => {
    checkHost(host);
    if (!path.startsWith('/')) throw new BadInputError(`"${path}" is not a path`, 'write it from the root, e.g. /health');
    await ensureProbe(ctx); // its start does not count against the bound
    const seen: { h?: HttpProbe; route?: Route } = {};
    const attach = async (timeline?: { atMs: number; summary: string }[]) => {
      const h = seen.h;
      await ctx.evidence.table(`request for ${host}${path} through the ingress`, [
        { field: 'controller address', value: seen.route ? `${seen.route.address} (${seen.route.via})` : '-' },
        { field: 'Ingresses naming the host', value: seen.route?.naming.join('; ') || 'none' },
        { field: 'request', value: h?.request ?? '-' },
        { field: 'status', value: h ? (h.status ? String(h.status) : h.summary) : '-' },
        { field: 'latency', value: h?.status ? `${h.latencyMs}ms` : '-' },
        { field: 'content type', value: h?.contentType ?? '-' },
        { field: 'body (start)', value: h?.status ? bodyStart(h.body, 500) : '-' },
      ]);
      if (timeline) await ctx.evidence.text('what each look saw', timelineText(timeline));
    };
    try {
      const r = await waitUntil({
        what: `the ingress to answer HTTP ${status} for the host ${host} at ${path}`,
        timeoutMs: withinMs,
        signal: ctx.signal,
        intervalMs: 1000,
        check: async () => {
          const found = await findRoute(ctx, host);
          if (!found.route) return { ok: false, summary: found.summary };
          seen.route = found.route;
          const h = await httpFromProbe(ctx, `http://${found.route.address}${path}`, { host });
          seen.h = h;
          const unrouted = found.route.naming.length ? '' : ` (no Ingress names ${host})`;
          if (!h.status) return { ok: false, summary: `${found.route.address}: ${h.summary}; ${await controllerState(ctx, found.route.address)}` };
          return { ok: h.status === status, summary: `HTTP ${h.status} from ${found.route.address}${unrouted}: ${bodyStart(h.body, 80)}` };
        },
      });
      await attach(r.timeline);
      return `${host}${path} via ${seen.route!.via}: ${r.summary}${r.elapsedMs > 1500 ? ` after ${formatDuration(r.elapsedMs)}` : ''}`;
    } catch (e) {
      await attach();
      throw e;
    }
  });
}

/** What the controller presented for a server name on its TLS port. */
interface Served {
  address: string;
  protocol: string;
  cipher: string;
  cert?: X509Certificate;
  error?: string;
}

/** A TLS handshake from the probe pod with the host as SNI; the leaf certificate as openssl printed it. */
async function handshakeFromProbe(ctx: Ctx, address: string, host: string): Promise<Served> {
  const target = `${address.includes(':') && !address.startsWith('[') ? `[${address}]` : address}:443`;
  const r = await probeExec(
    ctx,
    `o=$(mktemp); timeout 8 openssl s_client -connect ${shq(target)} -servername ${shq(host)} </dev/null >"$o" 2>&1; rc=$?; head -c 20000 "$o"; rm -f "$o"; echo; echo "openssl=$rc"`,
    15_000,
  );
  const out = r.stdout;
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(out)?.[0];
  const session = /New, (\S+), Cipher is (\S+)/.exec(out);
  if (!pem) {
    const rc = /openssl=(\d+)/.exec(out)?.[1];
    const line =
      out.split('\n').find((l) => /error|errno|refused|wrong version|no peer certificate/i.test(l)) ??
      (rc === '124' ? 'no answer within 8s' : out.split('\n')[0]);
    return { address: target, protocol: '', cipher: '', error: `no TLS handshake with ${target} for SNI ${host}: ${shortError(line)}` };
  }
  return { address: target, protocol: session?.[1] ?? '', cipher: session?.[2] ?? '', cert: new X509Certificate(pem) };
}

// "40571D41277F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…" → "wrong version number"
function shortError(line: string): string {
  const parts = line.split(':');
  return parts.length >= 6 && /^[0-9A-F]+$/.test(parts[0]) ? parts[5] : line.trim();
}

/** "CN=a, O=b" from the multi-line form X509Certificate gives. */
function dn(text: string): string {
  return text.split('\n').filter(Boolean).join(', ');
}

function commonName(text: string): string | undefined {
  return /^CN=(.*)$/m.exec(text)?.[1];
}

/**
 * "the ingress serves TLS for the host `a.example.test` with a certificate for `a.example.test`"
 * (optionally `issued by` a name: the issuer's CN or its whole DN): an SNI handshake with the
 * controller's port 443 from the probe pod; the certificate's SANs cover the name, it is valid now
 * and for the configured margin. Whatever else was served (plaintext, the controller's default
 * self-signed certificate) is named, with the TLS Secret the Ingress gives for the host.
 */
export function ingressServesTls(ctx: Ctx, host: string, certName: string, issuer?: string): StepResult {
  return ctx.check(`the ingress serves TLS for ${host} with a certificate for ${certName}${issuer ? ` issued by ${issuer}` : ''}`, async () => {
    checkHost(host);
    checkHost(certName);
    await ensureProbe(ctx);
    const seen: { served?: Served; route?: Route; problems?: string[] } = {};
    const attach = async (timeline?: { atMs: number; summary: string }[]) => {
      const s = seen.served;
      const c = s?.cert;
      await ctx.evidence.table(`TLS handshake for ${host} through the ingress`, [
        { field: 'controller address', value: seen.route ? `${s?.address ?? seen.route.address} (${seen.route.via})` : '-' },
        { field: 'SNI', value: host },
        { field: 'Ingresses naming the host', value: seen.route?.naming.join('; ') || 'none' },
        { field: 'TLS Secret(s) for the host', value: seen.route?.tlsSecrets.map((t) => `${t.secret} (Ingress ${t.ingress})`).join('; ') || 'none' },
        { field: 'protocol / cipher', value: s?.cert ? `${s.protocol} ${s.cipher}` : (s?.error ?? '-') },
        { field: 'subject', value: c ? dn(c.subject) : '-' },
        { field: 'SANs', value: c?.subjectAltName ?? '-' },
        { field: 'issuer', value: c ? dn(c.issuer) : '-' },
        { field: 'valid', value: c ? `${c.validFrom} → ${c.validTo}` : '-' },
        { field: 'SHA-256 fingerprint', value: c?.fingerprint256 ?? '-' },
        { field: 'problems', value: seen.problems?.join('; ') || 'none' },
      ]);
      if (timeline) await ctx.evidence.text('what each look saw', timelineText(timeline));
    };
    const judge = async (s: Served, route: Route): Promise<string[]> => {
      const c = s.cert!;
      const what = `the certificate served for ${host} at ${s.address}`;
      const shown = `subject ${dn(c.subject)}, SANs ${c.subjectAltName ?? 'none'}, issued by ${dn(c.issuer)}`;
      const problems: string[] = [];
      if (!c.checkHost(certName)) {
        const selfSigned = c.subject === c.issuer ? ' (self-signed)' : '';
        const isDefault = /TRAEFIK DEFAULT CERT|Kubernetes Ingress Controller Fake Certificate/i.test(c.subject);
        problems.push(`${what} does not name ${certName}: ${shown}${selfSigned}${isDefault ? `: the controller's default certificate` : ''}`);
        problems.push(...(await secretsState(ctx, route, host)));
      }
      if (issuer && commonName(c.issuer) !== issuer && dn(c.issuer) !== issuer) problems.push(`${what} is issued by ${dn(c.issuer)}, not ${issuer}`);
      const left = Date.parse(c.validTo) - Date.now();
      if (!(left > 0)) problems.push(`${what} expired on ${c.validTo}`);
      else if (left < ctx.config.tlsMinValidityMs)
        problems.push(`${what} expires on ${c.validTo}, in ${formatDuration(left)}, within the ${formatDuration(ctx.config.tlsMinValidityMs)} margin`);
      if (Date.parse(c.validFrom) > Date.now()) problems.push(`${what} is not valid before ${c.validFrom}`);
      return problems;
    };
    try {
      const r = await waitUntil({
        what: `the ingress to serve TLS for ${host} with a certificate for ${certName}${issuer ? ` issued by ${issuer}` : ''}`,
        timeoutMs: ctx.config.timeouts.assert,
        signal: ctx.signal,
        intervalMs: 2000,
        check: async () => {
          const found = await findRoute(ctx, host);
          if (!found.route) return { ok: false, summary: found.summary };
          seen.route = found.route;
          const s = await handshakeFromProbe(ctx, found.route.address, host);
          seen.served = s;
          if (!s.cert) return { ok: false, summary: `${s.error}; ${await controllerState(ctx, found.route.address)}` };
          seen.problems = await judge(s, found.route);
          if (seen.problems.length) return { ok: false, summary: seen.problems.join('; ') };
          const c = s.cert;
          return {
            ok: true,
            summary: `${s.protocol} ${s.cipher} at ${s.address}; ${dn(c.subject)} (SANs ${c.subjectAltName}) issued by ${dn(c.issuer)}; valid to ${c.validTo}`,
          };
        },
      });
      await attach(r.timeline);
      return `${host} via ${seen.route!.via}: ${r.summary}`;
    } catch (e) {
      await attach();
      throw e;
    }
  });
}

/** For a wrong certificate: whether the TLS Secrets the Ingresses give for the host exist and hold a certificate. */
async function secretsState(ctx: Ctx, route: Route, host: string): Promise<string[]> {
  if (!route.tlsSecrets.length) return route.naming.length ? [`no Ingress gives a TLS Secret for ${host} (spec.tls)`] : [];
  const k = ctx.clients.kube();
  const out: string[] = [];
  for (const t of route.tlsSecrets) {
    const namespace = t.ingress.split('/')[0];
    const s = await k.core.readNamespacedSecret({ name: t.secret, namespace }).catch(() => undefined);
    if (!s) out.push(`Ingress ${t.ingress} names the TLS Secret ${t.secret} for ${host}, which does not exist`);
    else if (!s.data?.['tls.crt'] || !s.data?.['tls.key'])
      out.push(`TLS Secret ${namespace}/${t.secret} lacks tls.crt or tls.key (keys: ${Object.keys(s.data ?? {}).join(', ') || 'none'})`);
  }
  return out;
}
