// Cucumber formatter plugin (loaded with import(), hence plain CommonJS): collects
// the run's messages and records the run in reports/index.html + history.json.
// Its output file is the run's summary JSON (a formatter without a file would
// take over stdout from the progress formatter).
// Usage in a profile: format: ['./support/reports/index-formatter.cjs:reports/m3.summary.json'],
// formatOptions: { kubeproof: { run: 'm3', html: 'm3.html', dir: 'reports' } }
if (!require.extensions['.ts']) require('ts-node').register({ transpileOnly: true });
const { RunCollector } = require('./summary.ts');
const { recordRun } = require('./index.ts');

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
    };
  },
};
