import { When, Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { backgroundLoadFinished, promqlRoseDuringLoad, startBackgroundLoad } from '../support/checks/load';

// Wording only: each step hands off to one check in support/checks/load.ts.

When(
  'the k6 script {code} loads the Service {code} port {int} in the background for {duration}',
  function (this: W, script: string, service: string, port: number, ms: number) {
    return startBackgroundLoad(this, script, service, port, ms);
  },
);
Then('the background load runs to its end', function (this: W) {
  return backgroundLoadFinished(this);
});
Then('the PromQL {code} rose during the load', function (this: W, query: string) {
  return promqlRoseDuringLoad(this, query);
});
