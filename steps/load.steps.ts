import { When, Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { backgroundLoadFinished, backgroundLoadVolume, promqlRoseDuringLoad, startBackgroundLoad, startBackgroundLoadAt } from '../support/checks/load';

// Wording only: each step hands off to one check in support/checks/load.ts.

When(
  'the k6 script {code} loads the Service {code} port {int} in the background for {duration}',
  function (this: W, script: string, service: string, port: number, ms: number) {
    return startBackgroundLoad(this, script, service, port, ms);
  },
);
When('the k6 script {code} loads {code} in the background for {duration}', function (this: W, script: string, url: string, ms: number) {
  return startBackgroundLoadAt(this, script, url, ms);
});
Then('the background load runs to its end', function (this: W) {
  return backgroundLoadFinished(this);
});
Then('the background load sent at least {int} requests at {float}\\/s or more', function (this: W, requests: number, rate: number) {
  return backgroundLoadVolume(this, requests, rate);
});
Then('the PromQL {code} rose by at least {int}% during the load', function (this: W, query: string, pct: number) {
  return promqlRoseDuringLoad(this, query, pct);
});
