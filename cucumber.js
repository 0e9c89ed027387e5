// Cucumber profiles. `npx cucumber-js --tags @m3` uses the default profile;
// `npx cucumber-js -p m3` writes reports/m3.html; `-p nightly` runs every milestone.
const { kubeproofProfile: profile } = require('./support/cucumber/profile.cjs');

const milestones = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i + 1}`, profile(`m${i + 1}`, { tags: `@m${i + 1}` })]));

module.exports = {
  default: profile('latest'),
  ...milestones,
  nightly: profile('nightly', { tags: '@m1 or @m2 or @m3 or @m4 or @m5 or @m6 or @m7 or @m8 or @m9 or @m10 or @m11' }),
  // The other platforms the library verifies on the lab (lab/verify-platform.sh <name>): their own features and report.
  streaming: profile('streaming', { paths: ['features/streaming/**/*.feature'] }),
  loco: profile('loco', { paths: ['features/loco/**/*.feature'] }),
  giia: profile('giia', { paths: ['features/giia/**/*.feature'] }),
  homelab: profile('homelab', { paths: ['features/homelab/**/*.feature'] }),
  // The runs below test the lab or kubeproof itself: they write no plan outputs (outputsDir none), so they never replace a verify's.
  lab: profile('lab', { tags: '@lab and not @nightly', worldParameters: { outputsDir: 'none' } }),
  // What is too slow to build for a cold CI (Traefik ≈ 20 min on 2 cores; Helm, Sealed Secrets ≈ 10 min) runs in the nightly job (lab/nightly.sh).
  'lab-nightly': profile('lab-nightly', { tags: '@lab and @nightly', worldParameters: { outputsDir: 'none' } }),
  // test/drills/run.ts: one milestone under a fault; the runner adds its own message and html outputs.
  drill: profile('drill', { format: ['progress'], worldParameters: { outputsDir: 'none' } }),
  // The tool's own component tests: kubeproof's steps against real Prometheus, Loki, Kafka, InfluxDB and k6 on loopback.
  component: profile('component', { paths: ['test/component/features/**/*.feature'], worldParameters: { cluster: 'optional', outputsDir: 'none' } }),
};
