import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

/**
 * The runner's own guarantees, exercised through real cucumber-js runs of
 * test/fixtures/features/guards.feature: a typo fails the dry run, a check
 * that cannot run is "not verified" (not green), a scenario without evidence
 * fails, and cleanup runs after a failure and after an interrupt.
 */
// Run cucumber on this same Node (the project's Node 24), whatever PATH says.
const CUCUMBER = 'node_modules/@cucumber/cucumber/bin/cucumber.js';

function run(
  tags: string,
  extra: string[] = [],
  env: Record<string, string> = {},
  onOutput?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        CUCUMBER,
        '--config',
        'test/fixtures/cucumber.fixture.js',
        '--tags',
        tags,
        '--format',
        `./support/cucumber/index-formatter.cjs:/tmp/kubeproof-runner-${tags.slice(1)}.xml`,
        '--format-options',
        JSON.stringify({ kubeproof: { run: `runner-${tags.slice(1)}`, dir: '/tmp/kubeproof-runner-reports' } }),
        ...extra,
      ],
      { env: { ...process.env, KUBEPROOF_GRAFANA_URL: '', KUBEPROOF_GRAFANA_SERVICE: '', KUBECONFIG: '/nonexistent', ...env } },
    );
    let out = '';
    const collect = (d: Buffer) => {
      out += d.toString();
      onOutput?.(out, child);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('a typo in a step fails the strict dry run and names the step', async () => {
  const r = await run('@undefined', ['--dry-run', '--strict']);
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /"the PromQL `up` is grater than 0" is undefined/);
  assert.match(r.out, /did you mean: the PromQL \{code\} is \{comparison\} \{float\}/);
});

test('a check that cannot run is reported as not verified, and a strict run fails', async () => {
  const r = await run('@not-verified', ['--strict'], { KUBEPROOF_GRAFANA_URL: '' });
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /1 pending/);
  const summary = JSON.parse(readFileSync('/tmp/kubeproof-runner-reports/runner-not-verified.summary.json', 'utf8'));
  assert.equal(summary.counts['not verified'], 1);
  assert.equal(summary.counts.passed, 0);
});

test('a flat value does not pass "increases": the wait times out and says what it last saw', async () => {
  const r = await run('@no-increase');
  assert.notEqual(r.code, 0, r.out);
  assert.match(r.out, /`vector\(1\)` to increase/);
  assert.match(r.out, /1 \(lowest since start 1\)/);
});

test('a scenario that records no evidence fails', async () => {
  const r = await run('@no-evidence-guard');
  assert.notEqual(r.code, 0);
  assert.match(r.out, /without recording any check evidence/);
});

test('cleanup runs after a failed scenario, and keep-on-failure leaves it', async () => {
  const marker = '/tmp/kubeproof-test-cleanup-failure';
  rmSync(marker, { force: true });
  const kept = await run('@cleanup-on-failure', [], { KUBEPROOF_KEEP_ON_FAILURE: 'true' });
  assert.notEqual(kept.code, 0);
  assert.equal(existsSync(marker), false, 'KUBEPROOF_KEEP_ON_FAILURE keeps resources');
  const r = await run('@cleanup-on-failure');
  assert.notEqual(r.code, 0);
  assert.match(r.out, /deliberate failure/);
  assert.equal(readFileSync(marker, 'utf8'), 'cleaned');
});

test('cleanup runs when the run is interrupted', async () => {
  const marker = '/tmp/kubeproof-test-cleanup-interrupt';
  rmSync(marker, { force: true });
  let sent = false;
  const r = await run('@interrupt', [], {}, (out, child) => {
    if (!sent && out.includes('WAITING')) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.ok(sent, r.out);
  assert.equal(r.code, 130, r.out);
  assert.equal(readFileSync(marker, 'utf8'), 'cleaned');
  assert.match(r.out, /cleaning up 1 open scenario/);
});
