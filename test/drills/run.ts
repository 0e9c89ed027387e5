/**
 * Fault drills (`npm run drill [-- FAULT…] [--healthy N]`, root, on the lab with
 * the conveyor platform deployed by `npm run verify:deploy`): each fault in
 * test/drills/faults/<name>/ breaks the platform on purpose; the milestone
 * named in its drill.yaml must then end *failed* — not passed, not not
 * verified — with a message matching `expect`, which names the broken thing.
 * The platform is restored (lab/verify-conveyor.sh --no-run re-applies the lab
 * overlay and waits until every workload is rolled out and data flows again)
 * before the next fault. Writes reports/drill.html and bench/drill.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

const REPO = join(__dirname, '..', '..');
const FAULTS = join(REPO, 'test', 'drills', 'faults');
const OUT = join(REPO, 'reports', 'drills');
const ENV_FILE = '/run/kubeproof-lab/conveyor.env.txt';
const DRILL_MANAGER = 'kubeproof-drill';
const NS = 'conveyor-pipeline';

interface Drill {
  name: string;
  dir: string;
  description: string;
  milestone: string;
  expect: RegExp;
  scenario?: string;
}

interface StepFailure {
  scenario: string;
  step: string;
  message: string;
  atMs: number;
}

interface RunOutcome {
  verdict: 'passed' | 'failed' | 'not verified' | 'no scenario';
  failures: StepFailure[];
  notVerified: string[];
  scenarios: number;
  wallMs: number;
}

interface DrillResult {
  fault: string;
  description: string;
  milestone: string;
  caught: boolean;
  verdict: RunOutcome['verdict'];
  /** From the moment the fault was applied to the failing step's end. */
  detectMs?: number;
  failingStep?: string;
  message?: string;
  restored: boolean;
  restoreMs: number;
  why?: string;
}

type Env = Record<string, string>;

async function sh(cmd: string, args: string[], opts: { env?: Env; input?: string; timeoutMs?: number; cwd?: string } = {}) {
  const { execa } = await import('execa');
  return execa(cmd, args, { cwd: opts.cwd ?? REPO, env: opts.env, input: opts.input, reject: false, all: true, timeout: opts.timeoutMs ?? 600_000 });
}

function loadDrill(name: string): Drill {
  const dir = join(FAULTS, name);
  const file = join(dir, 'drill.yaml');
  if (!existsSync(file)) throw new Error(`${relative(REPO, file)} does not exist (faults: ${listFaults().join(', ')})`);
  const d = parseYaml(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const key of ['description', 'milestone', 'expect']) if (!d?.[key]) throw new Error(`${relative(REPO, file)}: ${key} is missing`);
  return { name, dir, description: d.description, milestone: d.milestone, expect: new RegExp(d.expect, 'i'), scenario: d.scenario };
}

function listFaults(): string[] {
  return existsSync(FAULTS)
    ? readdirSync(FAULTS)
        .filter((f) => existsSync(join(FAULTS, f, 'drill.yaml')))
        .sort()
    : [];
}

/** The environment `npm run verify:deploy` wrote for running features against the lab platform. */
async function platformEnv(): Promise<Env> {
  if (!existsSync(ENV_FILE)) throw new Error(`${ENV_FILE} is missing: deploy the platform first (npm run verify:deploy, as root)`);
  const r = await sh('bash', ['-c', `${readFileSync(ENV_FILE, 'utf8')}\nenv -0`]);
  if (r.exitCode !== 0) throw new Error(`reading ${ENV_FILE} failed: ${r.all}`);
  const env: Env = {};
  for (const kv of String(r.stdout).split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0 && /^(KUBECONFIG|KUBEPROOF_)/.test(kv.slice(0, i))) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

/** kind/namespace/name of every object a kustomization renders. */
async function rendered(dir: string, env: Env): Promise<{ text: string; ids: Set<string> }> {
  const r = await sh('kubectl', ['kustomize', dir], { env: { ...process.env, ...env } as Env });
  if (r.exitCode !== 0) throw new Error(`kubectl kustomize ${relative(REPO, dir)} failed: ${r.all}`);
  const ids = new Set<string>();
  for (const doc of parseAllDocuments(String(r.stdout))) {
    const o = doc.toJS() as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } | null;
    if (o?.kind) ids.add(JSON.stringify({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace } }));
  }
  return { text: String(r.stdout), ids };
}

/** Workloads whose pod template the fault changes (kind/name for kubectl rollout). */
async function changedWorkloads(d: Drill, env: Env): Promise<string[]> {
  const templates = async (dir: string) => {
    const out = new Map<string, string>();
    for (const doc of parseAllDocuments((await rendered(dir, env)).text)) {
      const o = doc.toJS() as { kind: string; metadata: { name: string }; spec?: { template?: unknown } } | null;
      if (o && /^(Deployment|StatefulSet|DaemonSet)$/.test(o.kind)) out.set(`${o.kind.toLowerCase()}/${o.metadata.name}`, JSON.stringify(o.spec?.template));
    }
    return out;
  };
  const [fault, lab] = await Promise.all([templates(d.dir), templates(join(REPO, 'manifests', 'overlays', 'lab'))]);
  return [...fault].filter(([w, tpl]) => lab.get(w) !== tpl).map(([w]) => w);
}

async function applyFault(d: Drill, env: Env): Promise<Env> {
  const penv = { ...process.env, ...env } as Env;
  if (existsSync(join(d.dir, 'kustomization.yaml'))) {
    const { text } = await rendered(d.dir, env);
    // Its own field manager: restoring releases exactly the fields the fault owns.
    const r = await sh('kubectl', ['apply', '--server-side', '--force-conflicts', `--field-manager=${DRILL_MANAGER}`, '-f', '-'], { env: penv, input: text });
    if (r.exitCode !== 0) throw new Error(`applying ${d.name} failed: ${r.all}`);
    // Until a changed workload has rolled out, its old pods still do the work the fault should stop.
    for (const w of await changedWorkloads(d, env)) {
      const s = await sh('kubectl', ['rollout', 'status', '-n', NS, w, '--timeout=120s'], { env: penv });
      process.stdout.write(
        `   ${w}: ${s.exitCode === 0 ? 'rolled out with the fault' : `not rolled out in 120s (the fault may prevent it): ${String(s.all).split('\n').pop()}`}\n`,
      );
    }
    return {};
  }
  if (existsSync(join(d.dir, 'apply.sh'))) {
    const r = await sh('bash', [join(d.dir, 'apply.sh')], { env: penv });
    if (r.exitCode !== 0) throw new Error(`${d.name}/apply.sh failed: ${r.all}`);
    return {};
  }
  if (existsSync(join(d.dir, 'setup.sh'))) {
    const r = await sh('bash', [join(d.dir, 'setup.sh')], { env: penv });
    if (r.exitCode !== 0) throw new Error(`${d.name}/setup.sh failed: ${r.all}`);
    return Object.fromEntries(
      String(r.stdout)
        .split('\n')
        .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
        .filter((m): m is RegExpExecArray => !!m)
        .map((m) => [m[1], m[2]]),
    );
  }
  throw new Error(`${d.name}: no kustomization.yaml, apply.sh or setup.sh`);
}

/** Re-applies the lab overlay (its own field manager) and waits until every workload is rolled out and data flows. */
async function redeploy(rolloutTimeoutS = 300): Promise<{ ok: boolean; why?: string }> {
  const r = await sh('bash', ['lab/verify-conveyor.sh', '--no-run', '--rollout-timeout', String(rolloutTimeoutS)], {
    env: process.env as Env,
    timeoutMs: 900_000,
  });
  return r.exitCode === 0 ? { ok: true } : { ok: false, why: `the platform did not come back: ${String(r.all).split('\n').slice(-8).join(' | ')}` };
}

/**
 * Undo the fault and wait until the platform is healthy again. A kustomize
 * fault is undone in this order: the lab overlay takes its values back first,
 * then the drill's field manager lets go of what only it set (an added init
 * container, a nodeSelector), and objects only the fault has are deleted —
 * never a moment where a ConfigMap key the lab needs is missing (a subPath
 * mount of a vanished key breaks the running pod).
 */
async function restore(d: Drill, env: Env): Promise<{ ok: boolean; why?: string }> {
  const penv = { ...process.env, ...env } as Env;
  if (existsSync(join(d.dir, 'setup.sh'))) return { ok: true }; // a repository fixture changes nothing in the cluster
  if (existsSync(join(d.dir, 'kustomization.yaml'))) {
    // Only to give the values back: what the fault alone added still blocks the rollout until released below.
    await redeploy(20);
    const fault = await rendered(d.dir, env);
    const lab = await rendered(join(REPO, 'manifests', 'overlays', 'lab'), env);
    const added = [...fault.ids].filter((id) => !lab.ids.has(id)).map((id) => JSON.parse(id));
    const kept = [...fault.ids].filter((id) => lab.ids.has(id));
    // Applying only each object's identity releases every field the drill manager still owns alone.
    if (kept.length) await sh('kubectl', ['apply', '--server-side', `--field-manager=${DRILL_MANAGER}`, '-f', '-'], { env: penv, input: kept.join('\n---\n') });
    for (const o of added) await sh('kubectl', ['delete', '--ignore-not-found', '-n', o.metadata.namespace ?? NS, o.kind, o.metadata.name], { env: penv });
  } else if (existsSync(join(d.dir, 'restore.sh'))) {
    const r = await sh('bash', [join(d.dir, 'restore.sh')], { env: penv });
    if (r.exitCode !== 0) return { ok: false, why: `restore.sh failed: ${String(r.all).slice(-500)}` };
  }
  return redeploy();
}

/** Runs one milestone and reads its cucumber messages: which steps failed, with what message, when. */
async function runMilestone(label: string, milestone: string, env: Env, scenario?: string): Promise<RunOutcome> {
  mkdirSync(OUT, { recursive: true });
  const ndjson = join(OUT, `${label}.ndjson`);
  const started = Date.now();
  const args = ['cucumber-js', '-p', 'drill', '--tags', `@${milestone}`, '--format', `message:${ndjson}`, '--format', `html:${join(OUT, `${label}.html`)}`];
  if (scenario) args.push('--name', scenario);
  await sh('npx', args, { env: { ...process.env, ...env } as Env, timeoutMs: 1_200_000 });
  const wallMs = Date.now() - started;
  if (!existsSync(ndjson)) return { verdict: 'no scenario', failures: [], notVerified: [], scenarios: 0, wallMs };
  const pickles = new Map<string, { name: string; steps: Map<string, string> }>();
  const caseToPickle = new Map<string, string>();
  const startedCase = new Map<string, string>();
  const stepText = new Map<string, string>();
  const failures: StepFailure[] = [];
  const notVerified: string[] = [];
  for (const line of readFileSync(ndjson, 'utf8').split('\n').filter(Boolean)) {
    const m = JSON.parse(line);
    if (m.pickle) pickles.set(m.pickle.id, { name: m.pickle.name, steps: new Map(m.pickle.steps.map((s: { id: string; text: string }) => [s.id, s.text])) });
    if (m.testCase) {
      caseToPickle.set(m.testCase.id, m.testCase.pickleId);
      for (const s of m.testCase.testSteps) if (s.pickleStepId) stepText.set(s.id, pickles.get(m.testCase.pickleId)?.steps.get(s.pickleStepId) ?? '');
    }
    if (m.testCaseStarted) startedCase.set(m.testCaseStarted.id, m.testCaseStarted.testCaseId);
    if (m.testStepFinished) {
      const { testStepResult: res, testStepId, testCaseStartedId, timestamp } = m.testStepFinished;
      const scenario = pickles.get(caseToPickle.get(startedCase.get(testCaseStartedId) ?? '') ?? '')?.name ?? '?';
      const atMs = timestamp.seconds * 1000 + Math.round(timestamp.nanos / 1e6);
      if (res.status === 'FAILED')
        failures.push({ scenario, step: stepText.get(testStepId) || '(hook)', message: res.message ?? res.exception?.message ?? '', atMs });
      if (res.status === 'PENDING') notVerified.push(`${scenario}: ${stepText.get(testStepId)}`);
    }
  }
  const verdict = failures.length ? 'failed' : notVerified.length ? 'not verified' : pickles.size ? 'passed' : 'no scenario';
  return { verdict, failures, notVerified, scenarios: pickles.size, wallMs };
}

async function drill(d: Drill, env: Env): Promise<DrillResult> {
  process.stdout.write(`\n== drill ${d.name} (${d.milestone}): ${d.description}\n`);
  const appliedAt = Date.now();
  const extra = await applyFault(d, env);
  const outcome = await runMilestone(d.name, d.milestone, { ...env, ...extra }, d.scenario);
  const hit = outcome.failures.find((f) => d.expect.test(f.message));
  const restoreStarted = Date.now();
  const restored = await restore(d, env);
  const result: DrillResult = {
    fault: d.name,
    description: d.description,
    milestone: d.milestone,
    caught: outcome.verdict === 'failed' && !!hit,
    verdict: outcome.verdict,
    detectMs: hit ? hit.atMs - appliedAt : undefined,
    failingStep: (hit ?? outcome.failures[0])?.step,
    message: (hit ?? outcome.failures[0])?.message.split('\n')[0].slice(0, 400),
    restored: restored.ok,
    restoreMs: Date.now() - restoreStarted,
    why: hit ? undefined : outcome.verdict === 'failed' ? `no failure message matches /${d.expect.source}/i` : `the milestone ended ${outcome.verdict}`,
  };
  if (!restored.ok) result.why = [result.why, restored.why].filter(Boolean).join('; ');
  process.stdout.write(
    `   ${result.caught ? 'CAUGHT' : 'MISSED'} ${result.verdict}${result.detectMs !== undefined ? ` in ${(result.detectMs / 1000).toFixed(1)}s` : ''}: ${result.message ?? result.why ?? ''}\n   restored: ${result.restored} (${(result.restoreMs / 1000).toFixed(0)}s)\n`,
  );
  return result;
}

/** The healthy platform: the given milestones, run by themselves, must all pass (no false failure). */
async function healthy(
  round: number,
  milestones: string[],
  env: Env,
): Promise<{ round: number; milestone: string; verdict: string; failures: string[]; wallMs: number }[]> {
  const rows = [];
  for (const m of milestones) {
    const o = await runMilestone(`healthy-${round}-${m}`, m, env);
    rows.push({
      round,
      milestone: m,
      verdict: o.verdict,
      failures: o.failures.map((f) => `${f.scenario} / ${f.step}: ${f.message.split('\n')[0]}`),
      wallMs: o.wallMs,
    });
    process.stdout.write(`   healthy round ${round} ${m}: ${o.verdict}${o.failures.length ? ` (${o.failures[0].message.split('\n')[0]})` : ''}\n`);
  }
  return rows;
}

function html(results: DrillResult[], healthyRows: Awaited<ReturnType<typeof healthy>>): string {
  const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const row = (r: DrillResult) =>
    `<tr class="${r.caught && r.restored ? 'ok' : 'bad'}"><td>${esc(r.fault)}</td><td>${esc(r.description)}</td><td>${esc(r.milestone)}</td><td>${r.caught ? 'caught' : 'MISSED'}</td><td>${esc(r.verdict)}</td><td>${r.detectMs !== undefined ? `${(r.detectMs / 1000).toFixed(1)}s` : '-'}</td><td>${esc(r.failingStep)}</td><td>${esc(r.message ?? r.why)}</td><td>${r.restored ? 'yes' : `NO: ${esc(r.why)}`}</td></tr>`;
  return `<!doctype html><meta charset="utf-8"><title>kubeproof fault drills</title>
<style>body{font:14px system-ui;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}tr.ok td:nth-child(4){color:#070}tr.bad td{background:#fee}</style>
<h1>Fault drills</h1><p>Each fault breaks the lab platform on purpose; the milestone must end <b>failed</b> with a message naming the broken thing. ${new Date().toISOString()}</p>
<table><tr><th>fault</th><th>what breaks</th><th>milestone</th><th>result</th><th>verdict</th><th>time to detect</th><th>failing step</th><th>message</th><th>restored</th></tr>
${results.map(row).join('\n')}</table>
${healthyRows.length ? `<h2>Healthy platform</h2><table><tr><th>round</th><th>milestone</th><th>verdict</th><th>false failures</th><th>wall time</th></tr>${healthyRows.map((h) => `<tr class="${h.verdict === 'failed' ? 'bad' : 'ok'}"><td>${h.round}</td><td>${h.milestone}</td><td>${esc(h.verdict)}</td><td>${esc(h.failures.join('; ') || 'none')}</td><td>${(h.wallMs / 1000).toFixed(0)}s</td></tr>`).join('')}</table>` : ''}
<p>Per-run reports: reports/drills/&lt;fault&gt;.html</p>`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const hi = argv.indexOf('--healthy');
  const healthyRounds = hi >= 0 ? Number(argv[hi + 1]) : 0;
  const hm = argv.indexOf('--healthy-milestones');
  const healthyMilestones = hm >= 0 ? argv[hm + 1].split(',') : Array.from({ length: 11 }, (_, i) => `m${i + 1}`);
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--healthy' && argv[i - 1] !== '--healthy-milestones');
  const drills = (names.length ? names : listFaults()).map(loadDrill);
  const env = await platformEnv();
  const results: DrillResult[] = [];
  for (const d of drills) {
    try {
      results.push(await drill(d, env));
    } catch (e) {
      process.stdout.write(`   NOT RUN: ${(e as Error).message.split('\n').slice(-3).join(' | ')}\n`);
      const restored = await restore(d, env).catch((x: Error) => ({ ok: false, why: x.message }));
      results.push({
        fault: d.name,
        description: d.description,
        milestone: d.milestone,
        caught: false,
        verdict: 'no scenario',
        restored: restored.ok,
        restoreMs: 0,
        why: (e as Error).message,
      });
    }
  }
  const healthyRows = [];
  for (let round = 1; round <= healthyRounds; round++) healthyRows.push(...(await healthy(round, healthyMilestones, env)));
  mkdirSync(join(REPO, 'reports'), { recursive: true });
  writeFileSync(join(REPO, 'reports', 'drill.html'), html(results, healthyRows));
  const summary = {
    recordedAt: new Date().toISOString(),
    faults: results,
    healthy: healthyRows,
    caught: results.filter((r) => r.caught).length,
    missed: results.filter((r) => !r.caught).map((r) => r.fault),
    falseFailures: healthyRows.filter((h) => h.verdict === 'failed').length,
  };
  writeFileSync(join(REPO, 'bench', 'drill.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    `\n${summary.caught}/${results.length} faults caught; ${summary.falseFailures} false failure(s) in ${healthyRows.length} healthy run(s); reports/drill.html, bench/drill.json\n`,
  );
  process.exit(summary.caught === results.length && results.every((r) => r.restored) && summary.falseFailures === 0 ? 0 : 1);
}

main().catch((e) => {
  process.stderr.write(`drill: ${e instanceof Error ? e.message : e}\n`);
  process.exit(2);
});
