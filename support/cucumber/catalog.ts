/**
 * Generates STEPS.md, the step catalog other teams read, from the step
 * definitions themselves: every expression, where it is defined and the doc
 * line of the support function it delegates to. `--check` fails when the
 * committed catalog is stale (run by `npm test`).
 */
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber, type IRunConfiguration, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { parse as parseYaml } from 'yaml';

const OUT = 'STEPS.md';
/** Must-fail scenarios (test/must-fail.ts runs them): their last step is the check that must fail. */
const MUST_FAIL_DIRS = ['test/component/failing', 'test/lab/failing', 'test/lab/nodes/failing', 'test/lab/nightly/failing'];
const DRILLS = 'test/drills/faults';
const ELSEWHERE = 'test/must-fail-elsewhere.yaml';

/** The parts of cucumber's messages the coverage reads (a dry run's). */
interface Envelope {
  stepDefinition?: { id: string; sourceReference: { uri?: string; location?: { line: number } } };
  gherkinDocument?: { feature?: { children: { scenario?: { id: string; location: { line: number } } }[] } };
  pickle?: { id: string; uri: string; name: string; astNodeIds: string[]; tags: { name: string }[]; steps: { id: string }[] };
  testCase?: { pickleId: string; testSteps: { pickleStepId?: string; stepDefinitionIds?: string[] }[] };
}

interface PickleSteps {
  name: string;
  /** feature file:line of the scenario */
  location: string;
  tags: string[];
  /** per step: the matched step definition as "uri:line" */
  definitions: string[];
}

/** Every scenario of `paths` with the step definition each step matched (a dry run: cucumber's own matching). */
async function matchedSteps(config: IRunConfiguration, support: ISupportCodeLibrary, paths: string[]): Promise<PickleSteps[]> {
  const envelopes: Envelope[] = [];
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  await runCucumber(
    {
      ...config,
      sources: { ...config.sources, paths, tagExpression: '', names: [] },
      runtime: { ...config.runtime, dryRun: true },
      formats: { stdout: 'summary', files: {}, publish: false, options: {} },
      support,
    },
    { stdout: quiet, stderr: quiet },
    (m) => envelopes.push(m as Envelope),
  );
  const defs = new Map<string, string>();
  const lines = new Map<string, number>();
  const pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  const out: PickleSteps[] = [];
  for (const e of envelopes) {
    if (e.stepDefinition)
      defs.set(
        e.stepDefinition.id,
        `${relative(process.cwd(), e.stepDefinition.sourceReference.uri ?? '')}:${e.stepDefinition.sourceReference.location?.line}`,
      );
    for (const c of e.gherkinDocument?.feature?.children ?? []) if (c.scenario) lines.set(c.scenario.id, c.scenario.location.line);
    if (e.pickle) pickles.set(e.pickle.id, e.pickle);
    if (e.testCase) {
      const p = pickles.get(e.testCase.pickleId)!;
      const byStep = new Map(e.testCase.testSteps.filter((t) => t.pickleStepId).map((t) => [t.pickleStepId!, defs.get(t.stepDefinitionIds?.[0] ?? '') ?? '']));
      out.push({
        name: p.name,
        location: `${relative(process.cwd(), p.uri)}:${lines.get(p.astNodeIds[0]) ?? '?'}`,
        tags: p.tags.map((t) => t.name),
        definitions: p.steps.map((s) => byStep.get(s.id) ?? ''),
      });
    }
  }
  return out;
}

interface Coverage {
  /** step definition "uri:line" → must-fail scenarios whose last step it is */
  byDefinition: Map<string, string[]>;
  /** check function → where a test makes it fail (scenarios, drills, other tests) */
  byCheck: Map<string, string[]>;
  problems: string[];
}

/**
 * Where each check must fail: the must-fail scenarios (by their last step), the fault
 * drills (their `check:`, which must be a step of the scenario they target), and the
 * few tests listed in test/must-fail-elsewhere.yaml.
 */
async function mustFailCoverage(config: IRunConfiguration, support: ISupportCodeLibrary, delegateOf: Map<string, string>): Promise<Coverage> {
  const byDefinition = new Map<string, string[]>();
  const byCheck = new Map<string, string[]>();
  const problems: string[] = [];
  const add = (check: string, where: string) => byCheck.set(check, [...(byCheck.get(check) ?? []), where]);
  for (const s of await matchedSteps(config, support, MUST_FAIL_DIRS.filter(existsSync))) {
    const last = s.definitions[s.definitions.length - 1];
    if (!last) {
      problems.push(`${s.location} "${s.name}": its last step matches no step definition`);
      continue;
    }
    byDefinition.set(last, [...(byDefinition.get(last) ?? []), s.location]);
    add(delegateOf.get(last) ?? '?', s.location);
  }
  const features = await matchedSteps(config, support, ['features']);
  for (const name of existsSync(DRILLS) ? readdirSync(DRILLS).sort() : []) {
    const file = join(DRILLS, name, 'drill.yaml');
    if (!existsSync(file)) continue;
    const d = parseYaml(readFileSync(file, 'utf8')) as { milestone?: string; scenario?: string; check?: string };
    if (!d.check) continue;
    const targets = features.filter((f) => f.tags.includes(`@${d.milestone}`) && (!d.scenario || f.name.includes(d.scenario)));
    if (!targets.some((t) => t.definitions.some((def) => delegateOf.get(def) === d.check)))
      problems.push(`${file}: check ${d.check} is not a step of ${d.milestone}${d.scenario ? ` scenario "${d.scenario}"` : ''}`);
    else add(d.check, `drill ${name}`);
  }
  const elsewhere = existsSync(ELSEWHERE)
    ? ((parseYaml(readFileSync(ELSEWHERE, 'utf8')) ?? []) as { check: string; test?: string; title?: string; why: string }[])
    : [];
  for (const e of elsewhere) {
    if (e.test && (!existsSync(e.test) || !readFileSync(e.test, 'utf8').includes(e.title ?? '\0')))
      problems.push(`${ELSEWHERE}: ${e.check}: no test "${e.title}" in ${e.test}`);
    else add(e.check, e.test ? `${e.test} ("${e.title}")` : `exempt: ${e.why}`);
  }
  return { byDefinition, byCheck, problems };
}

/** The JSDoc (joined to one line) directly above `export function name` in the given sources. */
export function docOf(name: string, sources: Map<string, string>): string {
  for (const text of sources.values()) {
    const at = new RegExp(`export (?:async )?function ${name}\\b`).exec(text)?.index;
    if (at === undefined) continue;
    const before = text.slice(0, at);
    const m = /^\/\*\*([\s\S]*?)\*\/\s*$/.exec(before.slice(before.lastIndexOf('/**')));
    return m
      ? m[1]
          .split('\n')
          .map((l) => l.replace(/^\s*\*\s?/, '').trim())
          .filter(Boolean)
          .join(' ')
      : '';
  }
  return '';
}

async function main(): Promise<void> {
  const { runConfiguration } = await loadConfiguration({ profiles: ['default'] });
  // The public type is opaque; the library does carry its step definitions.
  const support = (await loadSupport(runConfiguration)) as unknown as { stepDefinitions: { uri: string; line: number; pattern: string | RegExp }[] };
  const sources = new Map<string, string>();
  const sourceOf = (file: string) => {
    if (!sources.has(file)) sources.set(file, readFileSync(file, 'utf8'));
    return sources.get(file)!;
  };
  // steps/<area>.steps.ts delegates to support/checks/<area>.ts, which uses the clients it imports.
  const checkFileOf = (stepFile: string) => `support/checks/${stepFile.replace(/^steps\//, '').replace(/\.steps\.ts$/, '')}.ts`;
  const clientsOf = (checkFile: string) => {
    const text = sourceOf(checkFile);
    const imported = [...text.matchAll(/from '\.\.\/clients\/([a-z0-9-]+)/g)].map((m) => m[1]);
    const used = [...text.matchAll(/ctx\.clients\.([a-z0-9]+)\(/g)].map((m) => m[1]);
    return [...new Set([...imported, ...used])].sort();
  };

  const byFile = new Map<string, { expression: string; line: number; delegate: string; doc: string }[]>();
  const delegateOf = new Map<string, string>();
  for (const d of support.stepDefinitions) {
    const file = relative(process.cwd(), d.uri);
    const body = sourceOf(d.uri)
      .split('\n')
      .slice(d.line - 1, d.line + 4)
      .join('\n');
    const delegate = /return\s+(?:this\.)?([A-Za-z0-9_]+)\(/.exec(body)?.[1] ?? '';
    const expression = typeof d.pattern === 'string' ? d.pattern : d.pattern.source;
    const checkFile = checkFileOf(file);
    delegateOf.set(`${file}:${d.line}`, delegate);
    const list = byFile.get(file) ?? [];
    list.push({
      expression,
      line: d.line,
      delegate,
      doc: delegate && existsSync(checkFile) ? docOf(delegate, new Map([[checkFile, sourceOf(checkFile)]])) : '',
    });
    byFile.set(file, list);
  }

  const coverage = await mustFailCoverage(runConfiguration, support as unknown as ISupportCodeLibrary, delegateOf);
  const uncovered = [...new Set([...delegateOf.values()].filter(Boolean))].filter((c) => !coverage.byCheck.has(c)).sort();
  const failsIn = (file: string, d: { line: number; delegate: string }) => {
    const own = coverage.byDefinition.get(`${file}:${d.line}`) ?? [];
    if (own.length) return own.map((l) => `\`${l}\``).join(', ');
    const other = coverage.byCheck.get(d.delegate) ?? [];
    return other.length ? `via \`${d.delegate}\`: ${other.map((l) => (l.startsWith('test/') ? `\`${l.split(' ')[0]}\`` : l)).join(', ')}` : '**none**';
  };

  const params = [
    '`{duration}` — 500ms, 30s, 2m, 1m30s',
    '`{comparison}` — greater than, more than, above, at least, less than, fewer than, below, at most, equal to, exactly, not equal to',
    '`{code}` — text in backticks or double quotes: a query, a name, a path',
    '`{int}`, `{float}`, `{word}`, `{string}` — cucumber built-ins',
  ];
  const out = [
    '# kubeproof step catalog',
    '',
    '<!-- generated by `npm run catalog` from the step definitions; do not edit by hand -->',
    '',
    'Every step a feature can use. Each delegates to one check function whose evidence — queries, observed values, charts, timelines — goes into the HTML report.',
    '',
    'Every check can fail, and a test shows it: the last column names the must-fail scenarios whose last step is this one (`test/component/failing/` against real components on loopback, `test/lab/failing/` on the lab, `test/lab/nodes/failing/` on the lab with its extra nodes, `test/lab/nightly/failing/` on the lab in the nightly job; run by `test/must-fail.ts`, each must end failed with the message its `Fails with:` lines state), the fault drills that break the platform so that this check fails (`test/drills/faults/*/drill.yaml`), or the tests listed in `test/must-fail-elsewhere.yaml`. `npm run catalog -- --check` fails when a check has none.',
    '',
    '## Parameter types',
    '',
    ...params.map((p) => `- ${p}`),
    '',
    '## Where each step lives',
    '',
    'Each section is one area: its steps in `steps/<area>.steps.ts`, the checks they call in `support/checks/<area>.ts`, and the clients those use in `support/clients/`.',
    '',
    ...[...byFile.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([file, defs]) => [
        `### ${file.replace(/^steps\//, '').replace(/\.steps\.ts$/, '')}`,
        '',
        `steps: \`${file}\` → checks: \`${checkFileOf(file)}\` → clients: ${
          existsSync(checkFileOf(file))
            ? clientsOf(checkFileOf(file))
                .map((c) => `\`support/clients/${c === 'kube' ? 'kube/' : `${c}.ts`}\``)
                .join(', ') || '(none)'
            : '(none)'
        }`,
        '',
        '| step | what it checks | check function | where it must fail |',
        '|---|---|---|---|',
        ...defs
          .sort((a, b) => a.line - b.line)
          .map(
            (d) =>
              `| \`${d.expression.replace(/\|/g, '\\|')}\` | ${d.doc.replace(/\|/g, '\\|')} | ${d.delegate ? `\`${d.delegate}\`` : ''} | ${failsIn(file, d).replace(/\|/g, '\\|')} |`,
          ),
        '',
      ]),
  ].join('\n');

  const gaps = [
    ...coverage.problems,
    ...uncovered.map((c) => `check ${c} has no test in which it must fail (a must-fail scenario, a drill's check:, or ${ELSEWHERE})`),
  ];
  if (gaps.length) {
    console.error(gaps.join('\n'));
    process.exit(1);
  }
  if (process.argv.includes('--check')) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (current !== out) {
      console.error(`${OUT} is out of date with the step definitions: run \`npm run catalog\` and commit the result`);
      process.exit(1);
    }
    console.log(`${OUT} is current (${support.stepDefinitions.length} steps)`);
  } else {
    writeFileSync(OUT, out);
    console.log(`wrote ${OUT} (${support.stepDefinitions.length} steps)`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
