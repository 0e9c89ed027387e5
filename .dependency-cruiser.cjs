// The import rules of kubeproof — this file IS the documented rule set (`npm run deps:check`).
//
// Data flows one way (see DESIGN.md, "Layers"):
//
//   steps/*.steps.ts      wording only: parse, then call one check
//        │
//   support/cucumber/     World, hooks, parameter types — the only support code that imports @cucumber
//   support/checks/       one file per area (+ checks/shared/ helpers): observe, decide, record evidence
//        │
//   support/clients/      Kubernetes, Prometheus, Loki, InfluxDB, Grafana, Kafka, k6, HTTP — no test-framework knowledge
//        │
//   support/engine/       config, waits, verdicts, errors, evidence, reports, names, durations, context
//
//   services/             the services under test — a separate world: they never import the tool
//   test/, bench/         the tool's own tests and benchmarks — may import anything in support/
//
// Every rule below names the layer it protects and says why. A violation prints
// the rule's name; read its `comment` here for the reason and the usual fix.
//
// Type-only imports (`import type ...`) are seen too (tsPreCompilationDeps) and carry the
// dependency type 'type-only', which is how steps/ may name the World and context types.
//
// Run: `npm run deps:check`. Exit status = number of errors; warnings are printed but do not fail.
// One module's graph: `npx depcruise steps/kafka.steps.ts --config .dependency-cruiser.cjs --output-type text`.

/** Paths, as regular expressions on the path relative to the project root. */
const STEPS = '^steps/';
const CUCUMBER = '^support/cucumber/';
const CHECKS = '^support/checks/';
const CHECKS_SHARED = '^support/checks/shared/';
const CLIENTS = '^support/clients/';
const ENGINE = '^support/engine/';
const SERVICES = '^services/';
const CUCUMBER_PACKAGES = '(^|/)node_modules/@cucumber/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    /* ---------------------------------------------------------------- layers */
    {
      name: 'cucumber-only-in-cucumber-layer',
      severity: 'error',
      comment:
        'Only support/cucumber/ (World, hooks, parameter types), steps/ (to define steps with Given/When/Then) ' +
        ', test/fixtures/ and the steps of test/external/team-project may import @cucumber/*. Everything else in support/ stays runner-agnostic so it is ' +
        'unit-testable and reusable from other runners (DESIGN rule 6); cucumber also keeps global state, so a ' +
        'second import path can load a second copy. Fix: take what you need as a parameter (the World passes ' +
        'clients and context down), or move the code into support/cucumber/.',
      from: { pathNot: [CUCUMBER, STEPS, '^test/fixtures/', '^test/external/team-project/steps/'] },
      to: { path: CUCUMBER_PACKAGES },
    },
    {
      name: 'steps-only-call-checks',
      severity: 'error',
      comment:
        'Steps are one-liners that delegate (DESIGN rule 1): a step file may import support/checks/** only. ' +
        'No clients, waits, config or evidence code in steps/. Fix: add or extend a check in support/checks/<area>.ts ' +
        'and call it from the step. (Type-only imports of the World and the scenario context are allowed, see ' +
        'steps-types-only-from-world-and-context.)',
      from: { path: STEPS },
      to: {
        path: '^support/',
        pathNot: CHECKS,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'steps-types-only-from-world-and-context',
      severity: 'error',
      comment:
        'The only things a step may name from outside support/checks/ are types: the World ' +
        '(support/cucumber/world) and the scenario context (support/engine/context), with `import type`. ' +
        'Any other type a step needs (e.g. a Comparison parsed by a parameter type) should be re-exported by the ' +
        'check that consumes it.',
      from: { path: STEPS },
      to: {
        path: '^support/',
        pathNot: [CHECKS, '^support/cucumber/world(\\.ts)?$', '^support/engine/context(\\.ts|/index\\.ts)?$'],
        dependencyTypes: ['type-only'], // runtime imports are steps-only-call-checks' business
      },
    },
    {
      name: 'steps-no-client-libraries',
      severity: 'error',
      comment:
        'Steps never talk to a system themselves: no Kubernetes client, HTTP client, Kafka client or child ' +
        'processes in steps/ (DESIGN rule 1). Those belong in support/clients/, used by a check.',
      from: { path: STEPS },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown', 'core'],
        pathNot: [CUCUMBER_PACKAGES, '^(node:)?(assert|path|util)$'],
      },
    },
    {
      name: 'checks-not-to-cucumber-or-steps',
      severity: 'error',
      comment:
        'A check (support/checks/**) observes the platform, decides passed / failed / not verified and records ' +
        'evidence; it may use support/engine/ and support/clients/, but never the cucumber layer (World, hooks) or ' +
        'steps/. Whatever it needs from the scenario arrives as a parameter (the context object).',
      from: { path: CHECKS },
      to: { path: [CUCUMBER, STEPS] },
    },
    {
      name: 'checks-shared-not-to-area-checks',
      severity: 'error',
      comment:
        'support/checks/shared/ holds helpers for several areas; it must not import an area check ' +
        '(support/checks/<area>.ts), or areas end up depending on each other through it (and cycles follow). ' +
        'Fix: move the needed piece down into checks/shared/ (or into clients/ / engine/).',
      from: { path: CHECKS_SHARED },
      to: { path: `${CHECKS}[^/]+$` },
    },
    {
      name: 'checks-area-not-to-other-area',
      severity: 'error',
      comment:
        'An area check file (support/checks/<area>.ts) does not import another area check file: what two areas ' + 'share belongs in support/checks/shared/.',
      from: { path: `${CHECKS}([^/]+)$` },
      to: { path: `${CHECKS}[^/]+$`, pathNot: `${CHECKS}$1$` },
    },
    {
      name: 'clients-not-to-checks-cucumber-or-steps',
      severity: 'error',
      comment:
        'A client (support/clients/**) speaks to one system (Kubernetes, Prometheus, Loki, InfluxDB, Grafana, Kafka, ' +
        'k6, HTTP) and has no test-framework knowledge: it may use support/engine/ (errors, config types, waits) ' +
        'but never checks, the cucumber layer or steps. Deciding pass/fail is a check’s job.',
      from: { path: CLIENTS },
      to: { path: [CHECKS, CUCUMBER, STEPS] },
    },
    {
      name: 'engine-is-the-bottom-layer',
      severity: 'error',
      comment:
        'support/engine/ (config, waits, verdicts, errors, evidence, reports, names, durations, context) is the ' +
        'bottom layer everything else builds on: it must not import clients, checks, the cucumber layer or steps. ' +
        'Fix: pass the value in as a parameter or an interface that the higher layer implements.',
      from: { path: ENGINE },
      to: { path: [CLIENTS, CHECKS, CUCUMBER, STEPS] },
    },
    {
      name: 'support-not-to-steps-tests-bench',
      severity: 'error',
      comment:
        'Nothing in support/ imports steps/, test/ or bench/ (the library must be usable without them); ' +
        'services/ is a separate program and is not imported either.',
      from: { path: '^support/' },
      to: { path: [STEPS, '^test/', '^bench/', SERVICES] },
    },
    {
      name: 'services-are-separate',
      severity: 'error',
      comment:
        'services/ are the services under test, built into their own images: they must not import the tool ' +
        '(support/, steps/, test/, bench/). Code they share lives in services/common/.',
      from: { path: SERVICES },
      to: { path: '^(support|steps|test|bench)/' },
    },
    {
      name: 'nothing-imports-services',
      severity: 'error',
      comment:
        'The tool observes the services only from outside (metrics, logs, the sink). Importing their code would ' +
        'make a check agree with the implementation instead of observing the platform.',
      from: { pathNot: SERVICES },
      to: { path: SERVICES },
    },

    /* ---------------------------------------------------------------- cycles */
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This module is part of an import cycle. Cycles blur the layers and make load order matter (CommonJS ' +
        'hands out half-initialised modules). Fix: move the shared piece one layer down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      scope: 'folder',
      comment:
        'Folders import each other in a cycle (e.g. support/checks/shared -> support/checks -> support/checks/shared). ' +
        'Folders are layers here; a cycle between them means one layer reaches up. Fix: move the piece down.',
      from: {},
      to: { circular: true },
    },

    /* ---------------------------------------------------------------- hygiene */
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import cannot be resolved to a file or an installed package: a typo, a moved file, or a package ' + 'missing from package.json / node_modules.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment:
        'This module uses an npm package that is not listed in the nearest package.json; it only works by ' +
        'accident (hoisting). Add it to dependencies (or devDependencies for test/ and bench/).',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-non-package-json-types',
      severity: 'warn',
      comment:
        'A type-only import of an npm package that is not listed in the nearest package.json. Erased at run time, ' +
        'but the type check only passes because a parent node_modules happens to have it (e.g. services/common ' +
        'naming kafkajs types). List it (devDependencies / peerDependencies) where it is used.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], preCompilationOnly: true },
    },
    {
      name: 'library-not-to-dev-dep',
      severity: 'warn',
      comment:
        'support/ and steps/ are the reusable library; at run time they may only use dependencies (or the ' +
        '@cucumber/cucumber peer dependency). A devDependency is not installed for users of the library. ' +
        'Type-only imports (erased at compile time) are fine. A warning for now: the cucumber formatter loads ' +
        'ts-node on purpose (consumers run cucumber with ts-node too); make ts-node a peer dependency or keep it warned.',
      from: { path: '^(support|steps)/' },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['type-only', 'npm-peer'],
        pathNot: '(^|/)node_modules/@types/',
      },
    },
    {
      name: 'no-deprecated-core',
      severity: 'warn',
      comment: 'A Node.js core module that is deprecated; use its replacement.',
      from: {},
      to: {
        dependencyTypes: ['core'],
        path: [
          '^v8/tools/',
          '^(node:)?(punycode|domain|constants|sys|_linklist|_stream_wrap)$',
          '^(node:)?(_stream_duplex|_stream_passthrough|_stream_readable|_stream_transform|_stream_writable)$',
        ],
      },
    },
    // no-orphans is deliberately absent: test files, fixtures and cucumber entry points are
    // loaded by path (cucumber.js `require`, node --test) and would all count as orphans.
  ],

  options: {
    // Look at what the project imports from node_modules, but do not walk into it.
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^reports/', '^\\.kubeproof/', '^services/[^/]+/dist/'] },

    moduleSystems: ['cjs', 'es6'],
    // See `import type` as well (steps/ may only type-import the World and the context), and mark
    // imports that vanish at compile time ('pre-compilation-only'), used by no-non-package-json-types.
    tsPreCompilationDeps: 'specify',
    // CommonJS TypeScript (module node20): imports are written without extension ('../engine/wait')
    // and resolve to .ts; services/ (ES modules) write '.ts' explicitly; both resolve here.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'import', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
      mainFields: ['main', 'types', 'typings'],
    },
    // Each module's npm imports are checked against its nearest package.json (services/* have their own).
    combinedDependencies: false,
  },
};
