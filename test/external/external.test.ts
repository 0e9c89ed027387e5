/**
 * Another team reuses kubeproof: its own cucumber project (test/external/team-project) with
 * kubeproof installed as node_modules/kubeproof — a copy, as npm installs it, its dependencies
 * beside it — runs the library's steps and its own, and reports as kubeproof does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function installTeamProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-team-'));
  cpSync(join(ROOT, 'test/external/team-project'), dir, { recursive: true });
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  // kubeproof's dependencies, hoisted beside it as npm installs them
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) if (!entry.startsWith('.')) symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  const lib = join(modules, 'kubeproof');
  for (const part of ['package.json', 'tsconfig.json', 'support', 'steps']) cpSync(join(ROOT, part), join(lib, part), { recursive: true });
  return dir;
}

function cucumber(dir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBEPROOF_PLATFORM_DIR: join(dir, 'repo') };
  // as a team's shell would have them: no kubeproof test settings inherited from this process
  for (const name of ['KUBECONFIG', 'TS_NODE_PROJECT', 'TS_NODE_IGNORE', 'KUBEPROOF_OUTPUTS_DIR']) delete env[name];
  const r = spawnSync(process.execPath, [join(dir, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '--format', 'message:reports/team.ndjson', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  const messages = existsSync(join(dir, 'reports/team.ndjson'))
    ? readFileSync(join(dir, 'reports/team.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { testStepFinished?: { testStepResult: { status: string; message?: string } } })
    : [];
  const results = messages.flatMap((m) => (m.testStepFinished ? [m.testStepFinished.testStepResult] : []));
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`, results };
}

test('a team project runs kubeproof’s steps and its own, and gets kubeproof’s reports', () => {
  const dir = installTeamProject();
  try {
    const r = cucumber(dir, '--tags', 'not @must-fail');
    assert.equal(r.status, 0, r.output);
    const steps = r.results.filter((s) => s.status === 'PASSED');
    assert.ok(steps.length >= 2, `${steps.length} passed steps\n${r.output}`);
    assert.ok(!r.results.some((s) => s.status !== 'PASSED'), r.output);
    const html = readFileSync(join(dir, 'reports/team.html'), 'utf8');
    assert.match(html, /2 person\(s\) on call: Ada/);
    assert.ok(existsSync(join(dir, 'reports/team.xml')), 'JUnit report');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a team’s own check fails like kubeproof’s, naming what it read', () => {
  const dir = installTeamProject();
  try {
    const r = cucumber(dir, '--tags', '@must-fail');
    assert.equal(r.status, 1, r.output);
    const failed = r.results.filter((s) => s.status === 'FAILED');
    assert.equal(failed.length, 1, r.output);
    assert.match(failed[0].message ?? '', /docs\/draft-runbook\.md names no on-call rotation/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
