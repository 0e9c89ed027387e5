import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { selectorString } from '../clients/kube/client';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/** The Service's port completes a TLS handshake; shows protocol, cipher and the certificate's subject, issuer and validity. */
export function serviceServesTls(ctx: Ctx, service: string, port: number): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Service ${service} port ${port} serves TLS`, async () => {
    const svc = await ctx.clients.kube().core.readNamespacedService({ name: service, namespace });
    const host =
      svc.spec?.clusterIP && svc.spec.clusterIP !== 'None'
        ? svc.spec.clusterIP
        : (await ctx.clients.kube().listPods(namespace, selectorString({ matchLabels: svc.spec?.selector })))[0]?.status?.podIP;
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
          subject: cert.subject
            ? Object.entries(cert.subject)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')
            : '',
          issuer: cert.issuer
            ? Object.entries(cert.issuer)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')
            : '',
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
    await ctx.evidence.table(
      `TLS handshake with ${service}:${port}`,
      Object.entries(info).map(([k, v]) => ({ field: k, value: v })),
    );
    return `${info.protocol} ${info.cipher}; certificate ${info.subject} issued by ${info.issuer}, valid to ${info.validTo}`;
  });
}
