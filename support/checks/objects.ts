import { BadInputError, errorText, formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { applyFixture, platformNamespace, scenarioNamespace } from './shared/namespace';

/** Kubernetes objects: applied from a manifest, existing, holding keys, bound, with events. */

export async function applyManifest(ctx: Ctx, file: string): Promise<void> {
  await applyFixture(ctx, file);
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
    const obj = await ctx.clients
      .kube()
      .read<any>({ apiVersion: t.apiVersion, kind: t.kind, metadata: { name, namespace: t.namespaced ? namespace : undefined } });
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

/** A Secret holds the keys, non-empty; the values are registered for redaction and never shown. */
export function secretHasKeys(ctx: Ctx, name: string, keys: string[]): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`Secret ${name} holds ${keys.join(', ')}`, async () => {
    const s = await ctx.clients
      .kube()
      .core.readNamespacedSecret({ name, namespace })
      .catch((e) => {
        throw new Error(`Secret ${namespace}/${name} not found: ${errorText(e).split('\n')[0]}`);
      });
    for (const v of Object.values(s.data ?? {})) {
      ctx.evidence.redactor.add(v);
      ctx.evidence.redactor.add(Buffer.from(v, 'base64').toString('utf8'));
    }
    const missing = keys.filter((k) => !s.data?.[k]);
    await ctx.evidence.table(
      `Secret ${name} (values withheld)`,
      Object.entries(s.data ?? {}).map(([k, v]) => ({ key: k, bytes: Buffer.from(v, 'base64').length })),
    );
    if (missing.length) throw new Error(`Secret ${namespace}/${name} lacks ${missing.join(', ')}; it has ${Object.keys(s.data ?? {}).join(', ') || 'no keys'}`);
    return `type ${s.type}, keys ${Object.keys(s.data ?? {}).join(', ')}`;
  });
}

export function pvcBound(ctx: Ctx, name: string, withinMs: number): StepResult {
  return ctx.check(`PVC ${name} is Bound`, async () => {
    const namespace = await scenarioNamespace(ctx);
    const k = ctx.clients.kube();
    const r = await waitUntil({
      what: `PersistentVolumeClaim ${namespace}/${name} to be Bound`,
      timeoutMs: withinMs,
      signal: ctx.signal,
      watch: k.watchSource(`/api/v1/namespaces/${namespace}/persistentvolumeclaims`, { fieldSelector: `metadata.name=${name}` }),
      check: async () => {
        const c = await k.core.readNamespacedPersistentVolumeClaim({ name, namespace });
        return {
          ok: c.status?.phase === 'Bound',
          summary: `phase ${c.status?.phase}${c.spec?.volumeName ? `, volume ${c.spec.volumeName}` : ''}, class ${c.spec?.storageClassName ?? '(default)'}, capacity ${c.status?.capacity?.storage ?? '-'}`,
        };
      },
    });
    return `${r.summary} after ${formatDuration(r.elapsedMs)}`;
  });
}

/** An event with the reason was recorded for the object (e.g. an HPA's SuccessfulRescale, as `kubectl describe` shows). */
export function objectHasEvent(ctx: Ctx, kind: string, name: string, reason: string): StepResult {
  return ctx.check(`${kind} ${name} has a ${reason} event`, async () => {
    const namespace = platformNamespace(ctx);
    const events = (await ctx.clients.kube().events(namespace)).filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);
    await ctx.evidence.table(
      `events of ${kind} ${name}`,
      events.map((e) => ({
        time: new Date(e.lastTimestamp ?? e.eventTime ?? 0).toISOString(),
        type: e.type,
        reason: e.reason,
        count: e.count ?? 1,
        message: e.message,
      })),
    );
    const hits = events.filter((e) => e.reason === reason);
    if (!hits.length) throw new Error(`${kind} ${namespace}/${name} has no ${reason} event; its events: ${events.map((e) => e.reason).join(', ') || 'none'}`);
    return hits.map((e) => `${new Date(e.lastTimestamp ?? e.eventTime ?? 0).toISOString()} ${e.message}`).join('; ');
  });
}
