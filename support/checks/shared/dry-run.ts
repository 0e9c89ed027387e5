import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { apiErrorText, describe, statusCode } from '../../clients/kube/client';
import type { Ctx } from './context';

/** Kinds that live outside namespaces: everything else is sent into the scenario's namespace. */
const CLUSTER_SCOPED = /^(Namespace|Node|ClusterRole|ClusterRoleBinding|StorageClass|PersistentVolume|PriorityClass|CustomResourceDefinition|IngressClass)$/;

/** The objects with namespaced ones moved into `namespace` (as "the manifest … is applied" would send them). */
export function intoNamespace(objects: KubernetesObject[], namespace: string): KubernetesObject[] {
  return objects.map((o) => (CLUSTER_SCOPED.test(o.kind ?? '') ? o : { ...o, metadata: { ...o.metadata, namespace } }));
}

/**
 * Every object through a server-side dry-run apply (admission, validation, nothing stored); the table of
 * answers goes to the report under `source`. Fails naming each object the API server refused and why.
 */
export async function serverSideDryRun(ctx: Ctx, objects: KubernetesObject[], source: string): Promise<string> {
  const k = ctx.clients.kube();
  const rows: { object: string; answer: string }[] = [];
  const refused: string[] = [];
  for (const obj of objects) {
    try {
      await k.objects.patch(obj, undefined, 'All', 'kubeproof', true, PatchStrategy.ServerSideApply);
      rows.push({ object: describe(obj), answer: 'accepted' });
    } catch (e) {
      if (statusCode(e) === undefined) throw e;
      rows.push({ object: describe(obj), answer: apiErrorText(e) });
      refused.push(`${describe(obj)}: ${apiErrorText(e)}`);
    }
  }
  await ctx.evidence.table(`server-side dry run of ${source}`, rows);
  if (refused.length) throw new Error(`the API server refused ${refused.length} of ${objects.length} object(s) of ${source}: ${refused.join('; ')}`);
  return `${objects.length} object(s) accepted: ${rows.map((r) => r.object).join(', ')}`;
}
