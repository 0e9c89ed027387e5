// Cucumber formatter plugin (loaded with import(), hence plain CommonJS): collects
// the run's messages and records the run in reports/index.html + history.json.
// Its output file is the run's summary JSON (a formatter without a file would
// take over stdout from the progress formatter).
// Usage in a profile: format: ['./support/cucumber/index-formatter.cjs:reports/m3.summary.json'],
// formatOptions: { kubeproof: { run: 'm3', html: 'm3.html', dir: 'reports' } }
if (!require.extensions['.ts']) require('ts-node').register({ transpileOnly: true });
const { RunCollector, suggestSteps } = require('../engine/reports/summary.ts');
const { recordRun } = require('../engine/reports/index.ts');

module.exports = {
  type: 'formatter',
  optionsKey: 'kubeproof',
  formatter({ on, options, logger, write }) {
    const { run = 'run', html = `${run}.html`, dir = 'reports' } = options || {};
    const collector = new RunCollector();
    on('message', (envelope) => collector.add(envelope));
    return () => {
      try {
        const summary = collector.summary(run, html);
        write(JSON.stringify(summary, null, 2));
        recordRun(dir, summary);
      } catch (e) {
        logger.warn(`kubeproof: could not update ${dir}/index.html: ${e.message}`);
      }
      reportBadSteps(collector, logger);
    };
  },
};

// Cucumber's dry run exits 0 even with undefined steps; a typo in a step must
// fail every run (dry or not), naming the step and the closest definitions.
function reportBadSteps(collector, logger) {
  if (!collector.badSteps.length) return;
  const lines = collector.badSteps.map((s) => {
    const hints = s.status === 'UNDEFINED' ? suggestSteps(s.text, collector.stepExpressions) : [];
    return `  ${s.uri} (${s.scenario}): "${s.text}" is ${s.status.toLowerCase()}` + hints.map((h) => `\n      did you mean: ${h}`).join('');
  });
  logger.error(`kubeproof: ${collector.badSteps.length} step(s) match no step definition or several; see STEPS.md for the catalog:\n${lines.join('\n')}`);
  process.on('exit', () => {
    process.exitCode = 1;
  });
}
