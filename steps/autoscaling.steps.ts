import { When, Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { cpuLoad, hpaScaledUpDuringLoad, hpaScales, podMetricsReported } from '../support/checks/autoscaling';

// Wording only: each step hands off to one check in support/checks/autoscaling.ts.

Then('pod metrics for deployment {code} report CPU and memory within {duration}', function (this: W, deployment: string, within: number) {
  return podMetricsReported(this, deployment, within);
});
When('CPU load is switched on in deployment {code}', function (this: W, deployment: string) {
  return cpuLoad(this, deployment, true);
});
When('CPU load is switched off in deployment {code}', function (this: W, deployment: string) {
  return cpuLoad(this, deployment, false);
});
Then('the HPA {code} scales to {comparison} {int} replica(s) within {duration}', function (this: W, name: string, c: Comparison, n: number, within: number) {
  return hpaScales(this, name, c, n, within);
});
Then("the HPA {code} scaled up to at least {int} replicas within {duration} of the load's start", function (this: W, name: string, n: number, within: number) {
  return hpaScaledUpDuringLoad(this, name, n, within);
});
