import { errorText } from '../engine/errors';
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
