import { formatDuration } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';
import { k6Problems, type LoadOptions, runK6 } from './shared/k6';

/** Runs a bounded k6 load test and checks its thresholds; shows the thresholds, headline figures and checks. */
export function k6MeetsThresholds(ctx: Ctx, script: string, opts: LoadOptions, expect: 'pass' | 'fail' = 'pass'): StepResult {
  const wording = expect === 'pass' ? 'meets its thresholds' : 'fails its thresholds';
  return ctx.check(`k6 script ${script} ${wording}`, async () => {
    const r = await runK6(ctx, script, opts);
    if (!r.summary || r.timedOut) throw new Error(`${k6Problems(r).join('; ')}; its output ends:\n${r.stderrTail || r.stdoutTail}`);
    const failed = r.summary.thresholds.filter((t) => !t.ok);
    if (r.summary.thresholds.length === 0) throw new Error(`k6 script ${script} defines no thresholds, so there is nothing to meet`);
    const problems = k6Problems(r);
    if (expect === 'pass' && problems.length) throw new Error(`k6 ${script}: ${problems.join('; ')}`);
    if (expect === 'fail' && failed.length === 0) throw new Error(`k6 ${script}: every threshold passed, expected at least one to fail`);
    const h = r.summary.headline;
    return `${r.summary.thresholds.length - failed.length}/${r.summary.thresholds.length} thresholds passed; ${h.httpReqs ?? 0} requests (${(h.httpReqsPerSec ?? 0).toFixed(1)}/s), p95 ${h.httpReqDurationP95Ms?.toFixed(1) ?? '-'} ms in ${formatDuration(r.durationMs)}`;
  });
}
