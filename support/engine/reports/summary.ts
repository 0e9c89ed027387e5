import { notVerifiedReason } from './junit';

/**
 * Turns a run's cucumber messages into a summary: one line per scenario with
 * its outcome. "not verified" is cucumber's pending (a check that could not
 * run), counted apart from passed and failed so it is never read as green.
 */
export type Outcome = 'passed' | 'failed' | 'not verified' | 'skipped';

export interface ScenarioSummary {
  name: string;
  feature: string;
  tags: string[];
  outcome: Outcome;
  durationMs: number;
  /** First failure or not-verified reason, one line. */
  message?: string;
}

export interface RunSummary {
  run: string;
  html: string;
  startedAt: string;
  durationMs: number;
  success: boolean;
  counts: Record<Outcome, number>;
  scenarios: ScenarioSummary[];
}

type Envelope = Record<string, any>;

const RANK: Record<string, number> = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 3, FAILED: 4, UNKNOWN: 4 };

function toMs(ts: { seconds: number | string; nanos: number } | undefined): number {
  return ts ? Number(ts.seconds) * 1000 + Math.round(ts.nanos / 1e6) : 0;
}

export class RunCollector {
  private readonly pickles = new Map<string, { name: string; uri: string; tags: string[] }>();
  private readonly testCases = new Map<string, string>();
  private readonly pickleSteps = new Map<string, { text: string; uri: string; scenario: string }>();
  private readonly testSteps = new Map<string, string>();
  /** Steps no definition matched (typos) or several did: always an error, also in a dry run. */
  readonly badSteps: { text: string; uri: string; scenario: string; status: string }[] = [];
  readonly stepExpressions: string[] = [];
  /** Not-verified reasons by `testCaseStartedId/testStepId`, from the attachment the check wrote before its step ended. */
  private readonly notVerified = new Map<string, string>();
  private readonly attempts = new Map<string, { testCaseId: string; started: number; worst: string; message?: string; finished?: number; retried?: boolean }>();
  private startedAt = 0;
  private finishedAt = 0;
  private success = false;

  add(e: Envelope): void {
    if (e.testRunStarted) this.startedAt = toMs(e.testRunStarted.timestamp);
    else if (e.pickle) {
      this.pickles.set(e.pickle.id, { name: e.pickle.name, uri: e.pickle.uri, tags: e.pickle.tags.map((t: { name: string }) => t.name) });
      for (const st of e.pickle.steps ?? []) this.pickleSteps.set(st.id, { text: st.text, uri: e.pickle.uri, scenario: e.pickle.name });
    } else if (e.stepDefinition) this.stepExpressions.push(e.stepDefinition.pattern.source);
    else if (e.testCase) {
      this.testCases.set(e.testCase.id, e.testCase.pickleId);
      for (const ts of e.testCase.testSteps ?? []) if (ts.pickleStepId) this.testSteps.set(ts.id, ts.pickleStepId);
    }
    else if (e.testCaseStarted) this.attempts.set(e.testCaseStarted.id, { testCaseId: e.testCaseStarted.testCaseId, started: toMs(e.testCaseStarted.timestamp), worst: 'PASSED' });
    else if (e.attachment) {
      const reason = notVerifiedReason(e.attachment);
      if (reason) this.notVerified.set(`${e.attachment.testCaseStartedId}/${e.attachment.testStepId}`, reason);
    } else if (e.testStepFinished) {
      const a = this.attempts.get(e.testStepFinished.testCaseStartedId);
      const r = e.testStepFinished.testStepResult;
      if (r.status === 'UNDEFINED' || r.status === 'AMBIGUOUS') {
        const step = this.pickleSteps.get(this.testSteps.get(e.testStepFinished.testStepId) ?? '');
        if (step) this.badSteps.push({ ...step, status: r.status });
      }
      if (a && (RANK[r.status] ?? 4) > (RANK[a.worst] ?? 0)) {
        a.worst = r.status;
        a.message =
          r.status === 'PENDING'
            ? (this.notVerified.get(`${e.testStepFinished.testCaseStartedId}/${e.testStepFinished.testStepId}`) ?? 'the step returned pending without a reason')
            : r.message?.split('\n')[0];
      }
    } else if (e.testCaseFinished) {
      const a = this.attempts.get(e.testCaseFinished.testCaseStartedId);
      if (a) {
        a.finished = toMs(e.testCaseFinished.timestamp);
        a.retried = e.testCaseFinished.willBeRetried;
      }
    } else if (e.testRunFinished) {
      this.finishedAt = toMs(e.testRunFinished.timestamp);
      this.success = e.testRunFinished.success;
    }
  }

  summary(run: string, html: string): RunSummary {
    const scenarios: ScenarioSummary[] = [];
    for (const a of this.attempts.values()) {
      if (a.retried) continue;
      const pickle = this.pickles.get(this.testCases.get(a.testCaseId) ?? '');
      if (!pickle) continue;
      scenarios.push({
        name: pickle.name,
        feature: pickle.uri,
        tags: pickle.tags,
        outcome: outcomeOf(a.worst),
        durationMs: (a.finished ?? a.started) - a.started,
        message: a.worst === 'PASSED' ? undefined : a.message ?? a.worst.toLowerCase(),
      });
    }
    const counts: Record<Outcome, number> = { passed: 0, failed: 0, 'not verified': 0, skipped: 0 };
    for (const s of scenarios) counts[s.outcome]++;
    return {
      run,
      html,
      startedAt: new Date(this.startedAt || Date.now()).toISOString(),
      durationMs: Math.max(0, this.finishedAt - this.startedAt),
      success: this.success,
      counts,
      scenarios,
    };
  }
}

export function outcomeOf(status: string): Outcome {
  switch (status) {
    case 'PASSED':
      return 'passed';
    case 'PENDING':
      return 'not verified';
    case 'SKIPPED':
      return 'skipped';
    default:
      return 'failed';
  }
}

/** Text with its arguments masked, so "is grater than 5" can be compared to "is {comparison} {float}". */
function skeleton(text: string): string {
  return text
    .replace(/\{[a-z]+\}|\([^)]*\)/g, '_')
    .replace(/`[^`]*`|"[^"]*"|'[^']*'|\b\d+(?:\.\d+)?(?:ms|s|m|h)?\b/g, '_')
    .toLowerCase();
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]++;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The step expressions closest to a step no definition matched: the "did you mean" of a typo. */
export function suggestSteps(text: string, expressions: string[], max = 2): string[] {
  const target = skeleton(text);
  return expressions
    .map((e) => ({ e, d: editDistance(target, skeleton(e)) / Math.max(target.length, 1) }))
    .filter((x) => x.d < 0.5)
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((x) => x.e);
}
