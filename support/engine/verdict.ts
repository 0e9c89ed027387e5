import { errorText, NotVerifiedError } from './errors';
import type { EvidenceRecorder } from './evidence/recorder';

/** A step's result: undefined (passed) or 'pending' (not verified); failures throw. */
export type StepResult = Promise<'pending' | undefined>;

/**
 * Runs one acceptance check and records how it ended. `run` returns a one-line
 * summary of what was observed. A NotVerifiedError becomes "not verified"
 * (cucumber's pending: never green, fails a --strict run) with the reason
 * attached; any other error fails the step with its message attached.
 */
export async function check(evidence: EvidenceRecorder, name: string, run: () => Promise<string>): StepResult {
  const started = performance.now();
  try {
    const observed = await run();
    evidence.record({ name, status: 'passed', observed, durationMs: performance.now() - started });
    await evidence.log(`✔ ${name}: ${observed}`);
    return undefined;
  } catch (e) {
    const durationMs = performance.now() - started;
    if (e instanceof NotVerifiedError) {
      evidence.record({ name, status: 'not verified', reason: e.message, durationMs });
      await evidence.text(`NOT VERIFIED: ${name}`, `This criterion was not verified.\nReason: ${e.message}`);
      return 'pending';
    }
    evidence.record({ name, status: 'failed', reason: errorText(e), durationMs });
    await evidence.text(`FAILED: ${name}`, errorText(e));
    throw e;
  }
}
