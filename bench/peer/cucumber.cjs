// cucumber-js configuration of bench:peer's kubeproof runs: the project's own support code and
// steps (what `npx cucumber-js` loads), and no report files: bench/peer.ts adds `--format message:<file>`.
module.exports = {
  default: {
    requireModule: ['ts-node/register'],
    require: ['support/cucumber/world.ts', 'support/cucumber/hooks.ts', 'support/cucumber/params.ts', 'steps/**/*.steps.ts'],
    strict: true,
    format: ['summary'],
  },
};
