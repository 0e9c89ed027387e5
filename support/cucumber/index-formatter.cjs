// Cucumber formatter plugin (loaded with import(), hence plain CommonJS): kubeproof's
// run outputs. Its output file is the run's JUnit XML — cucumber's JUnit printer fed
// with the run's messages, not-verified scenarios rewritten to <skipped message=
// "not verified: REASON"> (support/engine/reports/junit.ts). At the end it writes
// reports/<run>.summary.json atomically and updates reports/index.html + history.json.
// Usage in a profile: format: ['./support/cucumber/index-formatter.cjs:reports/m3.xml'],
// formatOptions: { kubeproof: { run: 'm3', html: 'm3.html', dir: 'reports', suiteName: 'kubeproof m3' } }
if (!require.extensions['.ts']) require('ts-node').register({ transpileOnly: true });
const { JUnitXmlPrinter } = require('@cucumber/junit-xml-formatter');
const { RunCollector, suggestSteps } = require('../engine/reports/summary.ts');
const { recordRun } = require('../engine/reports/index.ts');
const { NotVerifiedMarker, rewriteJUnit } = require('../engine/reports/junit.ts');

module.exports = {
  type: 'formatter',
  optionsKey: 'kubeproof',
  formatter({ on, options, logger, write }) {
    const { run = 'run', html = `${run}.html`, dir = 'reports', suiteName = `kubeproof ${run}` } = options || {};
    const collector = new RunCollector();
    const junit = junitReport(suiteName, write);
    let junitError;
    on('message', (envelope) => {
      collector.add(envelope);
      try {
        junit.update(envelope);
      } catch (e) {
        junitError ??= e;
      }
    });
    return () => {
      if (junitError) logger.warn(`kubeproof: could not write the JUnit report: ${junitError.message}`);
      try {
        const skipped = recordRun(dir, collector.summary(run, html));
        for (const u of skipped) logger.warn(`kubeproof: skipped ${dir}/${u.file} in ${dir}/index.html: ${u.reason}`);
      } catch (e) {
        logger.warn(`kubeproof: could not update ${dir}/index.html: ${e.message}`);
      }
      reportBadSteps(collector, logger);
    };
  },
};

/** Cucumber's JUnit printer, fed messages with not-verified reasons; writes the rewritten XML at the run's end. */
function junitReport(suiteName, write) {
  const marker = new NotVerifiedMarker();
  const printer = new JUnitXmlPrinter({ suiteName }, (xml) => write(rewriteJUnit(xml)));
  return { update: (envelope) => printer.update(marker.mark(envelope)) };
}
module.exports.junitReport = junitReport;

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
