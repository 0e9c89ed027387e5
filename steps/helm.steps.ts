import { Then, When } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  chartPassesLint,
  chartRenderAcceptedByDryRun,
  installChart,
  noReleaseRemains,
  releaseDeployed,
  releaseHasValue,
  rollbackRelease,
  uninstallRelease,
  upgradeRelease,
} from '../support/checks/helm';

// Wording only: each step hands off to one check in support/checks/helm.ts.

// Releases, read from their records in the cluster (no helm binary needed).
Then('the Helm release {code} is deployed', function (this: W, release: string) {
  return releaseDeployed(this, release);
});
Then('the Helm release {code} is deployed at chart version {code}', function (this: W, release: string, version: string) {
  return releaseDeployed(this, release, version);
});
Then('the Helm release {code} has the value {code} set to {code}', function (this: W, release: string, path: string, value: string) {
  return releaseHasValue(this, release, path, value);
});
Then('no Helm release remains in the namespace', function (this: W) {
  return noReleaseRemains(this);
});

// The Helm CLI: install (uninstalled at cleanup), upgrade, roll back, uninstall.
When('the Helm chart {code} is installed as {code} with the values {code}', function (this: W, chart: string, release: string, values: string) {
  return installChart(this, chart, release, values);
});
When(
  'the Helm chart {code} is installed as {code} in the namespace {code} with the values {code}',
  function (this: W, chart: string, release: string, namespace: string, values: string) {
    return installChart(this, chart, release, values, namespace);
  },
);
When('the Helm release {code} is upgraded with the value {code} set to {code}', function (this: W, release: string, path: string, value: string) {
  return upgradeRelease(this, release, path, value);
});
When('the Helm release {code} is rolled back to revision {int}', function (this: W, release: string, revision: number) {
  return rollbackRelease(this, release, revision);
});
When('the Helm release {code} is uninstalled', function (this: W, release: string) {
  return uninstallRelease(this, release);
});

// Charts: lint, and what they render through the API server's admission.
Then('the Helm chart {code} passes lint', function (this: W, chart: string) {
  return chartPassesLint(this, chart);
});
Then('the Helm chart {code} with the values {code} renders objects accepted by a server-side dry run', function (this: W, chart: string, values: string) {
  return chartRenderAcceptedByDryRun(this, chart, values);
});
