import type { V1Namespace } from '@kubernetes/client-node';
import { statusCode } from '../clients/kube/client';
import { BadInputError, errorText } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import { waitUntil } from '../engine/wait';
import type { Ctx } from './shared/context';
import { namespaceDiagnostics, scenarioNamespace } from './shared/namespace';

/** The namespace a scenario works in: the platform's own, or a fresh one of its own. */

/** Points the scenario at the platform's namespace (no creation, no cleanup) and collects its diagnostics on failure. */
export async function usePlatformNamespace(ctx: Ctx, namespace = ctx.config.kube.namespace): Promise<void> {
  const k = ctx.clients.kube();
  const ns = await k.core.readNamespace({ name: namespace }).catch((e) => {
    throw new Error(`namespace ${namespace} does not exist on ${k.server}: ${errorText(e).split('\n')[0]}`, { cause: e });
  });
  ctx.state.namespace = { name: ns.metadata!.name!, owned: false };
  ctx.diagnostics.push({ name: `namespace ${namespace}`, collect: () => namespaceDiagnostics(ctx, namespace) });
}

/** A fresh namespace of the scenario's own, deleted after it. */
export async function useFreshNamespace(ctx: Ctx): Promise<void> {
  await scenarioNamespace(ctx);
}

/** Marks a namespace `the new namespace …` created: only such a one, left by an interrupted run, is deleted to start again. */
const NEW_NAMESPACE_ANNOTATION = 'kubeproof.dev/new-namespace';

/**
 * "the new namespace `giia-restore`": a namespace that did not exist, created for the scenario (a
 * restore target, a second copy of a platform) and deleted after it. One that exists is refused —
 * unless an interrupted run of this step left it, which is deleted first. Not the scenario's own
 * namespace: steps name it.
 */
export function useNewNamespace(ctx: Ctx, name: string): StepResult {
  return ctx.check(`the new namespace ${name} is created`, async () => {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name))
      throw new BadInputError(`"${name}" is not a namespace name`, 'use lower-case letters, digits and -');
    const k = ctx.clients.kube();
    const existing = await k.core.readNamespace({ name }).catch((e: unknown) => {
      if (statusCode(e) === 404) return undefined;
      throw e;
    });
    let note = '';
    if (existing) {
      const created = new Date(existing.metadata?.creationTimestamp ?? 0).toISOString();
      if (existing.metadata?.annotations?.[NEW_NAMESPACE_ANNOTATION] !== 'true')
        throw new Error(
          `namespace ${name} exists already (created ${created}, phase ${existing.status?.phase}): a new namespace must not exist before — name another one, or delete it (kubectl delete namespace ${name})`,
        );
      note = `; deleted first the one an interrupted run left (created ${created})`;
      await k.core.deleteNamespace({ name }).catch((e: unknown) => {
        if (statusCode(e) !== 404) throw e;
      });
      await waitUntil({
        what: `namespace ${name}, left by an interrupted run, to be gone`,
        timeoutMs: ctx.config.timeouts.rollout,
        intervalMs: 1000,
        signal: ctx.signal,
        check: async () => {
          const ns = await k.core.readNamespace({ name }).catch((e: unknown) => (statusCode(e) === 404 ? undefined : Promise.reject(e)));
          return { ok: !ns, summary: ns ? `still there (${ns.status?.phase})` : 'gone' };
        },
      });
    }
    const ns: V1Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kubeproof' }, annotations: { [NEW_NAMESPACE_ANNOTATION]: 'true' } },
    };
    const created = await k.core.createNamespace({ body: ns });
    ctx.cleanup.push(`delete namespace ${name}`, () => k.delete(ns));
    ctx.diagnostics.push({ name: `namespace ${name}`, collect: () => namespaceDiagnostics(ctx, name) });
    return `namespace ${name} created (uid ${created.metadata?.uid}), deleted after the scenario${note}`;
  });
}
