import { formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';
import { type LoadOptions, runK6 } from './shared/k6';

/** Runs a bounded k6 load test and checks its thresholds; shows the thresholds, headline figures and checks. */
export function k6MeetsThresholds(ctx: Ctx, script: string, opts: LoadOptions, expect: 'pass' | 'fail' = 'pass'): StepResult {
  const wording = expect === 'pass' ? 'meets its thresholds' : 'fails its thresholds';
  return ctx.check(`k6 script ${script} ${wording}`, async () => {
    const r = await runK6(ctx, script, opts);
    if (r.timedOut) throw new Error(`k6 ${script} did not stop within its time limit and was killed after ${formatDuration(r.durationMs)}`);
    if (!r.summary) throw new Error(`k6 ${script} wrote no summary (exit ${r.exitCode}: ${r.exitMeaning}); its output ends:\n${r.stderrTail || r.stdoutTail}`);
    const failed = r.summary.thresholds.filter((t) => !t.ok);
    if (r.summary.thresholds.length === 0) throw new Error(`k6 script ${script} defines no thresholds, so there is nothing to meet`);
    if (expect === 'pass' && !r.ok)
      throw new Error(
        `k6 ${script}: exit ${r.exitCode} (${r.exitMeaning}); failed thresholds: ${failed.map((t) => `${t.metric} ${t.expression}`).join(', ') || 'none'}`,
      );
    if (expect === 'fail' && failed.length === 0) throw new Error(`k6 ${script}: every threshold passed, expected at least one to fail`);
    const h = r.summary.headline;
    return `${r.summary.thresholds.length - failed.length}/${r.summary.thresholds.length} thresholds passed; ${h.httpReqs ?? 0} requests (${(h.httpReqsPerSec ?? 0).toFixed(1)}/s), p95 ${h.httpReqDurationP95Ms?.toFixed(1) ?? '-'} ms`;
  });
}
