import type { V1Pod } from '@kubernetes/client-node';
import { selectorString } from '../clients/kube/client';
import { tcpConnect, type TlsResult, tlsHandshake } from '../clients/net';
import { errorText, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/**
 * TLS as clients meet it: the chain validates against the platform's own CA
 * (read from its ConfigMap or Secret in the cluster), a SAN names what
 * clients use, and the certificate is not expired or about to expire.
 */

/** The CA the platform gives its clients: key `ca.crt` of a ConfigMap or Secret in the platform namespace. */
async function platformCa(ctx: Ctx, kind: string, name: string): Promise<string> {
  const namespace = platformNamespace(ctx);
  const k = ctx.clients.kube();
  const data =
    kind === 'Secret'
      ? Object.fromEntries(
          Object.entries((await k.core.readNamespacedSecret({ name, namespace })).data ?? {}).map(([key, v]) => [
            key,
            Buffer.from(v, 'base64').toString('utf8'),
          ]),
        )
      : ((await k.core.readNamespacedConfigMap({ name, namespace })).data ?? {});
  const ca = data['ca.crt'];
  if (!ca?.includes('BEGIN CERTIFICATE'))
    throw new Error(`${kind} ${namespace}/${name} holds no PEM certificate under ca.crt (keys: ${Object.keys(data).join(', ') || 'none'})`);
  return ca;
}

export function tlsProblems(t: TlsResult, caRef: string, minValidityMs: number): string[] {
  const problems: string[] = [];
  if (t.chainError) problems.push(`the certificate of ${t.address} does not validate against the CA in ${caRef}: ${t.chainError}`);
  if (t.nameError) problems.push(`the certificate of ${t.address} does not name ${t.serverName} (SANs: ${t.subjectAltName || 'none'})`);
  const left = t.validToMs - Date.now();
  if (!(left > 0)) problems.push(`the certificate of ${t.address} expired on ${t.validTo}`);
  else if (left < minValidityMs)
    problems.push(`the certificate of ${t.address} expires on ${t.validTo}, in ${formatDuration(left)}, within the ${formatDuration(minValidityMs)} margin`);
  return problems;
}

/** "the Service `influxdb` serves TLS on port 8086 for the name `influxdb` with a certificate from the CA in the ConfigMap `influxdb-ca`" */
export function serviceServesTls(ctx: Ctx, service: string, port: number, name: string, caKind: string, caName: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Service ${service} port ${port} serves TLS for ${name}, trusted by the CA in ${caKind} ${caName}`, async () => {
    const caRef = `${caKind} ${namespace}/${caName}`;
    const ca = await platformCa(ctx, caKind, caName);
    const svc = await ctx.clients.kube().core.readNamespacedService({ name: service, namespace });
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') throw new Error(`Service ${namespace}/${service} has no ClusterIP`);
    const t = await tlsHandshake(ip, port, name, ca, ctx.config.timeouts.request).catch((e: unknown) => {
      throw new Error(`Service ${namespace}/${service} port ${port} (${ip}) serves no TLS: ${errorText(e)}`, { cause: e });
    });
    await ctx.evidence.table(
      `TLS handshake with ${service}:${port} (${t.address}) as ${name}`,
      Object.entries({ ...t, caSource: caRef, minValidity: formatDuration(ctx.config.tlsMinValidityMs) }).map(([field, value]) => ({
        field,
        value: String(value ?? 'ok'),
      })),
    );
    const problems = tlsProblems(t, caRef, ctx.config.tlsMinValidityMs);
    await ctx.evidence.observe('tls', {
      service,
      namespace,
      address: t.address,
      port,
      serverName: name,
      caSource: caRef,
      protocol: t.protocol,
      cipher: t.cipher,
      subject: t.subject,
      issuer: t.issuer,
      subjectAltName: t.subjectAltName,
      validFrom: t.validFrom,
      validTo: t.validTo,
      verified: problems.length === 0,
      problems,
    });
    if (problems.length) throw new Error(problems.join('; '));
    return `${t.protocol} ${t.cipher}; ${t.subject} issued by ${t.issuer} validates against ${caRef}; ${name} is in ${t.subjectAltName}; valid to ${t.validTo}`;
  });
}

/**
 * "every broker of the Service `kafka` refuses plaintext on port 9092 and answers TLS on port 9093 as `…` with the CA in …":
 * each address a client could reach (the ClusterIP for the ports the Service lists, every pod IP behind it)
 * must answer TLS — the positive control that the address is up — and refuse the plaintext port.
 */
export function plaintextRefused(ctx: Ctx, service: string, plainPort: number, tlsPort: number, name: string, caKind: string, caName: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`every address of Service ${service} refuses plaintext on ${plainPort} and answers TLS on ${tlsPort}`, async () => {
    const k = ctx.clients.kube();
    const caRef = `${caKind} ${namespace}/${caName}`;
    const ca = await platformCa(ctx, caKind, caName);
    const svc = await k.core.readNamespacedService({ name: service, namespace });
    const pods: V1Pod[] = await k.listPods(namespace, selectorString({ matchLabels: svc.spec?.selector }));
    const listed = new Set((svc.spec?.ports ?? []).map((p) => p.port));
    const addresses = [
      ...(svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? [{ what: `ClusterIP of ${service}`, ip: svc.spec.clusterIP, viaService: true }] : []),
      ...pods.filter((p) => p.status?.podIP).map((p) => ({ what: `pod ${p.metadata?.name}`, ip: p.status!.podIP!, viaService: false })),
    ];
    if (!pods.length) throw new Error(`Service ${namespace}/${service} selects no pod: no broker to probe`);
    const rows: Record<string, string>[] = [];
    const problems: string[] = [];
    for (const a of addresses) {
      const row: Record<string, string> = { address: a.what, ip: a.ip };
      // A ClusterIP only forwards the ports its Service lists; an unlisted port there proves nothing.
      if (a.viaService && !listed.has(plainPort)) row[`plaintext ${plainPort}`] = `not listed by the Service (clients cannot use it)`;
      else {
        const plain = await tcpConnect(a.ip, plainPort, 2000);
        row[`plaintext ${plainPort}`] = `${plain.state} (${plain.ms}ms)`;
        if (plain.state === 'open') problems.push(`${a.what} (${a.ip}) accepts plaintext connections on ${plainPort}`);
        else if (plain.state !== 'refused')
          problems.push(`${a.what} (${a.ip}) gave no answer on ${plainPort} (${plain.state}): refused cannot be told from unreachable`);
      }
      if (a.viaService && !listed.has(tlsPort)) {
        row[`TLS ${tlsPort}`] = 'not listed by the Service';
        problems.push(`Service ${service} does not list the TLS port ${tlsPort}`);
      } else {
        try {
          const t = await tlsHandshake(a.ip, tlsPort, name, ca, ctx.config.timeouts.request);
          const bad = tlsProblems(t, caRef, ctx.config.tlsMinValidityMs);
          row[`TLS ${tlsPort}`] = bad.length ? `handshake, but: ${bad.join('; ')}` : `${t.protocol} ${t.cipher}, validates for ${name}`;
          problems.push(...bad);
        } catch (e) {
          row[`TLS ${tlsPort}`] = `no handshake: ${(e as Error).message}`;
          problems.push(`${a.what} (${a.ip}) does not answer TLS on ${tlsPort}: ${(e as Error).message}`);
        }
      }
      rows.push(row);
    }
    await ctx.evidence.table(`plaintext ${plainPort} vs TLS ${tlsPort} at every address of ${service}`, rows);
    await ctx.evidence.observe('plaintext', {
      service,
      namespace,
      plaintextPort: plainPort,
      tlsPort,
      addresses: rows.map((r) => ({
        address: `${r.address} (${r.ip})`,
        plaintext: r[`plaintext ${plainPort}`],
        tls: r[`TLS ${tlsPort}`],
        ok: !problems.some((p) => p.includes(`(${r.ip})`)),
      })),
    });
    if (problems.length) throw new Error(problems.join('; '));
    return `${addresses.length} address(es): plaintext ${plainPort} refused where reachable, TLS ${tlsPort} validates against ${caRef}`;
  });
}
