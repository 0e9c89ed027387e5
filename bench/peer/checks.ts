import type { ChainsawOperation, CukeStep } from './tools';
import { configMapFieldAt, replacementReadyAt, rolledOutAt, type Watcher } from './watcher';

/**
 * The four checks of bench:peer, written once for each tool
 * (bench/peer/kubeproof/<id>.feature, bench/peer/chainsaw/<id>/chainsaw-test.yaml),
 * and how a run of each is read: which step or operation ends the check, and
 * when the independent watcher saw its condition become true.
 */
export type CheckId = 'rollout' | 'pod-replaced' | 'configmap-field' | 'impossible';

export interface CheckDef {
  id: CheckId;
  what: string;
  /** Fixture files copied (rendered) beside the Chainsaw test. */
  chainsawFiles: Record<string, string>;
  /** The kubeproof step that ends the check (the last one). */
  kubeproofDone: RegExp;
  /** The condition whose detection is timed: when the watcher first saw it hold in the namespace. */
  condition?: (w: Watcher, namespace: string) => number | undefined;
  /** The check must fail (a bound that cannot be met): its time to fail and its message are what is measured. */
  mustFail?: boolean;
}

export const CHECKS: CheckDef[] = [
  {
    id: 'rollout',
    what: 'apply the echo Deployment (fixtures/lab/echo.yaml, 2 replicas) and assert it is available with 2 ready replicas',
    chainsawFiles: { 'echo.yaml': 'fixtures/lab/echo.yaml' },
    kubeproofDone: /^deployment "echo" rolls out with 2 ready replicas/,
    condition: (w, ns) => rolledOutAt(w, ns, 2),
  },
  {
    id: 'pod-replaced',
    what: 'then delete one of its pods and assert a replacement is Ready (all replicas Ready again)',
    chainsawFiles: { 'echo.yaml': 'fixtures/lab/echo.yaml' },
    kubeproofDone: /^deployment "echo" has all replicas Ready again/,
    condition: (w, ns) => replacementReadyAt(w, ns, 2).readyAt,
  },
  {
    id: 'configmap-field',
    what: 'apply a ConfigMap and assert a field of it (data key bench.json: a dashboard titled "Bench" with 2 panels)',
    chainsawFiles: { 'dashboard-configmap.yaml': 'bench/peer/fixtures/dashboard-configmap.yaml' },
    kubeproofDone: /^the dashboard ConfigMap "bench-dashboards" holds/,
    condition: (w, ns) => configMapFieldAt(w, ns),
  },
  {
    id: 'impossible',
    what: 'apply the echo Deployment, then an assertion that cannot hold (3 ready replicas of 2) with a 10 s timeout: time to fail and the message',
    chainsawFiles: { 'echo.yaml': 'fixtures/lab/echo.yaml' },
    kubeproofDone: /^deployment "echo" rolls out with 3 ready replicas/,
    mustFail: true,
  },
];

/** The kubeproof steps that make the check: from the first action (the apply) to the step that ends it. */
export function kubeproofCheckSteps(def: CheckDef, steps: CukeStep[]): { first?: CukeStep; done?: CukeStep } {
  return {
    first: steps.find((s) => !s.hook && /^the manifest /.test(s.text)),
    done: steps.find((s) => !s.hook && def.kubeproofDone.test(s.text)),
  };
}

/** The Chainsaw operations that make the check: the first apply, and the last assert of the step (cleanup deletes come after it). */
export function chainsawCheckOperations(ops: ChainsawOperation[]): { first?: ChainsawOperation; done?: ChainsawOperation } {
  const asserts = ops.filter((o) => o.type === 'assert');
  return { first: ops.find((o) => o.type === 'apply'), done: asserts.at(-1) };
}
