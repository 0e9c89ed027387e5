// The team's cucumber config: kubeproof's library (steps, World, hooks, reports) plus its own steps.
const { kubeproofProfile } = require('kubeproof/support/cucumber/profile.cjs');

module.exports = {
  // No cluster needed for these criteria; a platform run would leave `cluster` at its default (required).
  default: kubeproofProfile('team', { require: ['steps/**/*.ts'], worldParameters: { cluster: 'optional', outputsDir: 'none' } }),
};
