import { After, AfterAll, Before, BeforeAll, ITestCaseHookParameter, Status, setDefaultTimeout } from '@cucumber/cucumber';
import { errorText, formatDuration } from '../engine/errors';
import { KubeproofWorld, currentRun, endRun } from './world';

// Steps bound their own waits by name; this outer limit only catches a hang the engine missed.
setDefaultTimeout(15 * 60 * 1000);

const active = new Set<KubeproofWorld>();
let clusterLine: string | undefined;

/**
 * The cluster is resolved once, before any scenario: a run that needs one and
 * has none (or cannot reach it) stops here with one message saying what to do.
 */
BeforeAll(async function () {
  const { config, clients } = currentRun(this.parameters);
  if (config.cluster === 'optional') return; // component tests and fixtures: no cluster involved
  const k = clients.kube();
  const version = await k.version(config.timeouts.request);
  clusterLine = `cluster: ${k.server} (Kubernetes ${version}), from ${config.kube.source === 'lab' ? 'the lab — the embedded default, since no KUBECONFIG and no ~/.kube/config exist' : config.kube.source === 'KUBECONFIG' ? `KUBECONFIG ${config.kube.kubeconfig}` : `the default kubeconfig ${config.kube.kubeconfig}`}${config.kube.context ? `, context ${config.kube.context}` : ''}`;
  process.stdout.write(`kubeproof ${clusterLine}\n`);
});

Before(async function (this: KubeproofWorld, { pickle }: ITestCaseHookParameter) {
  active.add(this);
  this.scenarioName = pickle.name;
  // Said at the top of the report (the first scenario), where a reviewer starts reading.
  if (clusterLine && this.seq === 1) await this.evidence.log(clusterLine);
});

/**
 * One After hook, so the order is explicit: diagnostics (on failure) → evidence
 * guard → cleanup in reverse creation order (or keep on failure).
 */
After(async function (this: KubeproofWorld, { result, pickle }: ITestCaseHookParameter) {
  active.delete(this);
  const failed = result?.status === Status.FAILED;

  if (failed) await collectDiagnostics(this);

  const tags = pickle.tags.map((t) => t.name);
  const guard =
    result?.status === Status.PASSED && this.evidence.checks.length === 0 && !tags.includes('@no-evidence')
      ? new Error(
          'scenario passed without recording any check evidence; a step that verifies something must record what it observed (tag @no-evidence if that is intended)',
        )
      : undefined;

  if (failed && this.config.keepOnFailure && this.cleanup.size) {
    const kept = this.cleanup.abandon();
    await this.evidence.text('kept for debugging (KUBEPROOF_KEEP_ON_FAILURE)', `These were not cleaned up:\n${kept.map((k) => `- ${k}`).join('\n')}`);
  } else if (this.cleanup.size) {
    const results = await this.cleanup.runAll(this.config.timeouts.cleanup);
    const failures = results.filter((r) => !r.ok);
    if (failures.length)
      await this.evidence.table(
        'cleanup problems',
        failures.map((r) => ({ action: r.name, detail: r.detail })),
      );
  }

  if (guard) throw guard;
});

AfterAll(async function () {
  // The verdicts stand on their own: outputs that cannot be written are said loudly, not turned into a failed criterion.
  const outputs = await endRun().catch((e: unknown) => {
    process.stderr.write(`\nkubeproof: the plan's outputs were NOT written: ${errorText(e)}\n`);
    return undefined;
  });
  if (outputs?.written.length)
    process.stdout.write(
      `\nkubeproof outputs in ${outputs.dir}: ${outputs.written.map((w) => w.name).join(', ')}${outputs.notWritten.length ? ` (${outputs.notWritten.length} not observed in run ${outputs.runId}; see index.json)` : ''}\n`,
    );
});

async function collectDiagnostics(world: KubeproofWorld): Promise<void> {
  for (const d of world.diagnostics) {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), world.config.timeouts.assert)));
      await Promise.race([d.collect(), timedOut]);
    } catch (e) {
      await world.evidence.text(`diagnostics "${d.name}" failed after ${formatDuration(performance.now() - started)}`, errorText(e));
    } finally {
      clearTimeout(timer); // a pending timer kept a failed run's process alive for the whole assert timeout
    }
  }
}

// An interrupted run still cleans up: abort the waits, run every open cleanup stack, then exit.
let interrupting = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (interrupting) return;
    interrupting = true;
    currentRun().interrupt.abort();
    process.stderr.write(`\nkubeproof: ${signal} received, cleaning up ${active.size} open scenario(s)...\n`);
    const all = [...active].map((w) =>
      w.cleanup
        .runAll(w.config.timeouts.cleanup)
        .then((rs) => rs.forEach((r) => process.stderr.write(`  ${r.ok ? 'cleaned' : 'FAILED '} ${r.name}: ${r.detail}\n`))),
    );
    void Promise.allSettled(all).finally(() => endRun().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  });
}
