/**
 * `npm run bench`: records speed figures to bench/results.json (figures, not
 * pass/fail: targets are compared in the closing notes, not asserted here).
 *  - dry-run start-up of the whole feature set
 *  - mean per-step overhead of a trivial step (which still records evidence)
 *  - delay between a condition becoming true and the waiting step resolving,
 *    with a push source (watch) and with 1 s and 5 s polling
 *  - the lab's figures, when `lab/bench.sh` has recorded them (bench/lab.json)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { waitUntil } from '../support/engine/wait';

const CUCUMBER = 'node_modules/@cucumber/cucumber/bin/cucumber.js';
const quick = process.argv.includes('--quick');

function timeRun(args: string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CUCUMBER, ...args], { env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', ...env }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`cucumber ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return ms;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return {
    n: s.length,
    mean: +mean.toFixed(2),
    median: +s[Math.floor(s.length / 2)].toFixed(2),
    p95: +s[Math.min(s.length - 1, Math.floor(s.length * 0.95))].toFixed(2),
    min: +s[0].toFixed(2),
    max: +s.at(-1)!.toFixed(2),
  };
};

function dryRunStartup() {
  const features = execFileSync('bash', ['-c', 'ls features/*.feature 2>/dev/null | wc -l'], { encoding: 'utf8' }).trim();
  const runs = Array.from({ length: quick ? 2 : 5 }, () => timeRun(['--dry-run', '--format', 'summary:/dev/null', '--format-options', '{}']));
  return { what: 'wall time of `cucumber-js --dry-run` over the whole feature set (process start to exit)', featureFiles: Number(features), ms: stats(runs) };
}

/** Per-step cost measured inside one run from cucumber's own messages, so process start-up noise drops out. */
function perStepOverhead() {
  const dir = '/tmp/kubeproof-bench';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const steps = quick ? 200 : 1000;
  writeFileSync(
    `${dir}/many.feature`,
    `Feature: bench\n  Scenario: trivial steps\n${Array.from({ length: steps }, () => '    Then a check that passes\n').join('')}`,
  );
  const perStep: number[] = [];
  const stepBody: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    timeRun(['--config', 'test/fixtures/cucumber.fixture.js', '--profile', 'bench', `${dir}/many.feature`, '--format', `message:${dir}/messages.ndjson`]);
    const messages = readFileSync(`${dir}/messages.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ms = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
    const started = messages.find((m) => m.testCaseStarted)!.testCaseStarted.timestamp;
    const finished = messages.find((m) => m.testCaseFinished)!.testCaseFinished.timestamp;
    perStep.push((ms(finished) - ms(started)) / steps);
    const durations = messages.filter((m) => m.testStepFinished).map((m) => ms(m.testStepFinished.testStepResult.duration));
    stepBody.push(durations.reduce((a, b) => a + b, 0) / durations.length);
  }
  return {
    what: `a scenario of ${steps} trivial steps (each runs a check that records evidence): scenario wall time / steps, and the mean step duration cucumber reports`,
    steps,
    perStepMs: stats(perStep),
    stepDurationMs: stats(stepBody),
  };
}

/** Flips a condition after a random delay and measures how long the wait takes to notice. */
async function conditionDelay(mode: 'watch' | 'poll', intervalMs: number, samples: number) {
  const delays: number[] = [];
  for (let i = 0; i < samples; i++) {
    let trueAt = 0;
    const flipAfter = 50 + Math.random() * (mode === 'poll' ? intervalMs : 100);
    const listeners = new Set<() => void>();
    const timer = setTimeout(() => {
      trueAt = performance.now();
      listeners.forEach((l) => l());
    }, flipAfter);
    await waitUntil({
      what: 'bench condition',
      timeoutMs: intervalMs * 3 + 5000,
      intervalMs: mode === 'watch' ? 60_000 : intervalMs,
      check: async () => ({ ok: trueAt > 0, summary: trueAt ? 'true' : 'false' }),
      watch:
        mode === 'watch'
          ? (notify) => {
              listeners.add(notify);
              return () => listeners.delete(notify);
            }
          : undefined,
    });
    delays.push(performance.now() - trueAt);
    clearTimeout(timer);
  }
  return stats(delays);
}

async function main() {
  const results: Record<string, unknown> = {
    recordedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
  };
  console.log('dry-run start-up...');
  results.dryRunStartup = dryRunStartup();
  console.log('per-step overhead...');
  results.perStepOverhead = perStepOverhead();
  console.log('condition → resolution delay...');
  results.conditionToResolution = {
    what: 'ms between a condition becoming true and waitUntil resolving; target < 100 ms with a push source',
    watch: await conditionDelay('watch', 0, quick ? 10 : 50),
    poll1s: await conditionDelay('poll', 1000, quick ? 3 : 10),
    poll5s: await conditionDelay('poll', 5000, quick ? 2 : 6),
  };
  if (existsSync('bench/lab.json')) results.lab = JSON.parse(readFileSync('bench/lab.json', 'utf8'));
  else results.lab = 'not measured: run `npm run lab:bench` (root) on a machine where the lab can start';
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
