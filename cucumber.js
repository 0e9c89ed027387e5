// Cucumber profiles. `npx cucumber-js --tags @m3` uses the default profile;
// `npx cucumber-js -p m3` writes reports/m3.html; `-p nightly` runs every milestone.
process.env.TS_NODE_TRANSPILE_ONLY ??= 'true'; // type checking is `npm run typecheck`

const support = ['support/cucumber/world.ts', 'support/cucumber/hooks.ts', 'support/cucumber/params.ts', 'steps/**/*.steps.ts'];

/**
 * A profile that writes reports/<name>.{html,ndjson}, reports/<name>.xml (JUnit: not verified as
 * <skipped message="not verified: …">), reports/<name>.summary.json, and updates reports/index.html.
 */
function profile(name, overrides = {}) {
  return {
    requireModule: ['ts-node/register'],
    require: support,
    paths: ['features/**/*.feature'],
    strict: true,
    format: ['progress', `html:reports/${name}.html`, `message:reports/${name}.ndjson`, `./support/cucumber/index-formatter.cjs:reports/${name}.xml`],
    formatOptions: {
      snippetInterface: 'async-await',
      kubeproof: { run: name, html: `${name}.html`, dir: 'reports', suiteName: `kubeproof ${name}` },
    },
    ...overrides,
  };
}

const milestones = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i + 1}`, profile(`m${i + 1}`, { tags: `@m${i + 1}` })]));

module.exports = {
  default: profile('latest'),
  ...milestones,
  nightly: profile('nightly', { tags: '@m1 or @m2 or @m3 or @m4 or @m5 or @m6 or @m7 or @m8 or @m9 or @m10 or @m11' }),
  // The runs below test the lab or kubeproof itself: they write no plan outputs (outputsDir none), so they never replace a verify's.
  lab: profile('lab', { tags: '@lab', worldParameters: { outputsDir: 'none' } }),
  // test/drills/run.ts: one milestone under a fault; the runner adds its own message and html outputs.
  drill: profile('drill', { format: ['progress'], worldParameters: { outputsDir: 'none' } }),
  // The tool's own component tests: kubeproof's steps against real Prometheus, Loki, Kafka, InfluxDB and k6 on loopback.
  component: profile('component', { paths: ['test/component/features/**/*.feature'], worldParameters: { cluster: 'optional', outputsDir: 'none' } }),
};
