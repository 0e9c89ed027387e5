// Cucumber profiles with kubeproof's step library: kubeproof's own cucumber.js and any other
// team's cucumber config build their profiles here, so both load the library the same way.
//
//   const { kubeproofProfile } = require('kubeproof/support/cucumber/profile.cjs');
//   module.exports = { default: kubeproofProfile('platform', { require: ['steps/**/*.ts'] }) };
const { relative, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../..');
// Paths cucumber resolves from the working directory: the library's, wherever it is installed.
const fromCwd = (p) => relative(process.cwd(), resolve(ROOT, p)) || '.';

// ts-node: transpile only (type checking is `npm run typecheck`) with the library's tsconfig (swc,
// CommonJS). ts-node skips node_modules below its project's directory: with a team's own
// TS_NODE_PROJECT that would include node_modules/kubeproof, hence the narrower ignore.
process.env.TS_NODE_TRANSPILE_ONLY ||= 'true';
process.env.TS_NODE_PROJECT ||= resolve(ROOT, 'tsconfig.json');
process.env.TS_NODE_IGNORE ||= '(?:^|/)node_modules/(?!kubeproof/)';

/** The library's support code and every step definition, as cucumber `require` paths. */
const LIBRARY = ['support/cucumber/world.ts', 'support/cucumber/hooks.ts', 'support/cucumber/params.ts', 'steps/**/*.steps.ts'].map(fromCwd);

/**
 * A profile that writes reports/<name>.{html,ndjson}, reports/<name>.xml (JUnit: not verified as
 * <skipped message="not verified: …">), reports/<name>.summary.json, and updates reports/index.html.
 * `overrides.require` adds the team's own step files to the library's; other keys replace the defaults.
 */
function kubeproofProfile(name, overrides = {}) {
  const { require: own = [], ...rest } = overrides;
  return {
    requireModule: ['ts-node/register'],
    require: [...LIBRARY, ...own],
    paths: ['features/**/*.feature'],
    strict: true,
    format: [
      'progress',
      `html:reports/${name}.html`,
      `message:reports/${name}.ndjson`,
      `./${fromCwd('support/cucumber/index-formatter.cjs')}:reports/${name}.xml`,
    ],
    formatOptions: {
      snippetInterface: 'async-await',
      kubeproof: { run: name, html: `${name}.html`, dir: 'reports', suiteName: `kubeproof ${name}` },
    },
    ...rest,
  };
}

module.exports = { kubeproofProfile, LIBRARY };
