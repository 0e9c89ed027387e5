/**
 * Runs must-fail scenarios: each states a platform fault with the step
 * library's own steps, and must end *failed* at its last step — every step
 * before it passed (the setup held), the last one failed (not pending, not
 * undefined) with a message matching every `Fails with: /regex/` line of the
 * scenario's description. A check that passes here, or fails for another
 * reason, is a defect of the check.
 *
 * A feature's description may carry `Environment: NAME=value` lines (e.g. a
 * dead endpoint); its scenarios then run in their own cucumber process with
 * that environment.
 *
 *   node --require ts-node/register test/must-fail.ts [--parallel N] [--report FILE] <feature files or dirs>
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const CUCUMBER = 'node_modules/@cucumber/cucumber/bin/cucumber.js';

export interface MustFailResult {
  scenario: string;
  location: string;
  ok: boolean;
  /** Why it is not ok, or the message it failed with. */
  detail: string;
  seconds: number;
}

/** The `Fails with:` regexes and `Environment:` pairs of a description. */
export function descriptionLines(description: string): { failsWith: RegExp[]; environment: Record<string, string> } {
  const failsWith: RegExp[] = [];
  const environment: Record<string, string> = {};
  for (const line of description.split('\n').map((l) => l.trim())) {
    const f = /^Fails with:\s*\/(.+)\/([a-z]*)$/.exec(line);
    if (f) failsWith.push(new RegExp(f[1], f[2]));
    const e = /^Environment:\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (e) environment[e[1]] = e[2];
  }
  return { failsWith, environment };
}

export function featureFiles(paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.feature'))
          .sort()
          .map((f) => join(p, f))
      : [p],
  );
}

/** The description of a Feature (the lines between `Feature:` and the first keyword), read as text. */
function featureDescription(file: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => /^\s*Feature:/.test(l));
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^\s*(Background:|Scenario|Rule:|@)/.test(l));
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

interface Envelope {
  gherkinDocument?: { uri: string; feature?: { children: { scenario?: { id: string; name: string; description: string; location: { line: number } } }[] } };
  pickle?: { id: string; uri: string; name: string; astNodeIds: string[]; steps: { id: string; text: string }[] };
  testCase?: { id: string; pickleId: string; testSteps: { id: string; pickleStepId?: string }[] };
  testCaseStarted?: { id: string; testCaseId: string };
  testStepFinished?: { testCaseStartedId: string; testStepId: string; testStepResult: { status: string; message?: string } };
  testCaseFinished?: { testCaseStartedId: string; timestamp: { seconds: number } };
}

/** Judges one cucumber message stream: every pickle must fail at its last step, as its description says. */
export function judge(envelopes: Envelope[], cwd = process.cwd()): MustFailResult[] {
  const scenarios = new Map<string, { name: string; description: string; line: number }>();
  const cases = new Map<string, { pickleId: string; steps: Map<string, string | undefined> }>();
  const started = new Map<string, string>();
  const results = new Map<string, Map<string, { status: string; message?: string }>>();
  const pickles: NonNullable<Envelope['pickle']>[] = [];
  for (const e of envelopes) {
    for (const c of e.gherkinDocument?.feature?.children ?? [])
      if (c.scenario) scenarios.set(c.scenario.id, { name: c.scenario.name, description: c.scenario.description, line: c.scenario.location.line });
    if (e.pickle) pickles.push(e.pickle);
    if (e.testCase) cases.set(e.testCase.id, { pickleId: e.testCase.pickleId, steps: new Map(e.testCase.testSteps.map((s) => [s.id, s.pickleStepId])) });
    if (e.testCaseStarted) started.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
    if (e.testStepFinished) {
      const tc = cases.get(started.get(e.testStepFinished.testCaseStartedId) ?? '');
      const pickleStep = tc?.steps.get(e.testStepFinished.testStepId);
      if (!tc || !pickleStep) continue; // a hook
      const byStep = results.get(tc.pickleId) ?? new Map();
      byStep.set(pickleStep, e.testStepFinished.testStepResult);
      results.set(tc.pickleId, byStep);
    }
  }
  return pickles.map((p) => {
    const scenario = scenarios.get(p.astNodeIds[0]);
    const location = `${relative(cwd, p.uri) || p.uri}:${scenario?.line ?? '?'}`;
    const { failsWith } = descriptionLines(scenario?.description ?? '');
    const byStep = results.get(p.id) ?? new Map();
    const verdict = (ok: boolean, detail: string): MustFailResult => ({ scenario: p.name, location, ok, detail, seconds: 0 });
    if (!failsWith.length) return verdict(false, 'the scenario states no `Fails with: /regex/` line');
    const statuses = p.steps.map((s) => ({ text: s.text, ...(byStep.get(s.id) ?? { status: 'NOT RUN' }) }));
    const last = statuses[statuses.length - 1];
    const setupBroken = statuses.slice(0, -1).find((s) => s.status !== 'PASSED');
    if (setupBroken) return verdict(false, `setup step "${setupBroken.text}" ended ${setupBroken.status}: ${firstLine(setupBroken.message)}`);
    if (last.status !== 'FAILED')
      return verdict(false, `the check "${last.text}" ended ${last.status}${last.message ? `: ${firstLine(last.message)}` : ''}, expected FAILED`);
    const message = withoutStack(last.message);
    const missing = failsWith.filter((r) => !r.test(message));
    if (missing.length) return verdict(false, `failed, but its message does not match ${missing.join(', ')}: ${firstLine(last.message)}`);
    return verdict(true, firstLine(last.message));
  });
}

/** The error's text without the stack frames (a regex must match what the user reads, not a file path). */
function withoutStack(message = ''): string {
  return message
    .split('\n')
    .filter((l) => !/^\s*at /.test(l))
    .join('\n');
}

function firstLine(message = ''): string {
  return (message.split('\n').find((l) => l.trim() && !/^\s*at /.test(l)) ?? '').trim().slice(0, 300);
}

function runCucumber(files: string[], env: Record<string, string>, parallel: number): Promise<{ code: number | null; envelopes: Envelope[]; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-must-fail-'));
  const messages = join(dir, 'messages.ndjson');
  const args = [
    CUCUMBER,
    '--config',
    'test/fixtures/cucumber.fixture.js',
    '-p',
    'mustFail',
    '--format',
    `message:${messages}`,
    '--parallel',
    String(parallel),
    ...files,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      let envelopes: Envelope[] = [];
      try {
        envelopes = readFileSync(messages, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Envelope);
      } catch {
        // no messages: reported below with cucumber's own output
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, envelopes, out });
    });
  });
}

/** Runs the given must-fail features (grouped by their Environment lines) and judges every scenario. */
export async function runMustFail(paths: string[], parallel = 1): Promise<MustFailResult[]> {
  const groups = new Map<string, { env: Record<string, string>; files: string[] }>();
  for (const file of featureFiles(paths)) {
    const env = descriptionLines(featureDescription(file)).environment;
    const key = JSON.stringify(env);
    const g = groups.get(key) ?? { env, files: [] };
    g.files.push(file);
    groups.set(key, g);
  }
  const all: MustFailResult[] = [];
  for (const { env, files } of groups.values()) {
    const t0 = Date.now();
    const run = await runCucumber(files, env, parallel);
    const judged = judge(run.envelopes);
    if (!judged.length)
      all.push({
        scenario: files.join(' '),
        location: files[0],
        ok: false,
        detail: `cucumber ran no scenario (exit ${run.code}): ${run.out.slice(-2000)}`,
        seconds: 0,
      });
    const seconds = Math.round((Date.now() - t0) / 100) / 10;
    all.push(...judged.map((r) => ({ ...r, seconds })));
  }
  return all;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let parallel = 1;
  let report = '';
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--parallel') parallel = Number(args[++i]);
    else if (args[i] === '--report') report = args[++i];
    else paths.push(args[i]);
  }
  if (!paths.length) throw new Error('usage: test/must-fail.ts [--parallel N] [--report FILE] <feature files or dirs>');
  const results = await runMustFail(paths, parallel);
  for (const r of results) console.log(`${r.ok ? 'FAILS AS IT MUST' : 'DEFECT          '}  ${r.location}  ${r.scenario}\n    ${r.detail}`);
  const defects = results.filter((r) => !r.ok);
  console.log(`\n${results.length - defects.length}/${results.length} must-fail scenarios failed as they must`);
  if (report) writeFileSync(report, JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
  if (defects.length) process.exit(1);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
}
