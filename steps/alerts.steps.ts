import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { alertFiring, alertNotFiring, alertResolves } from '../support/checks/alerts';

// Wording only: each step hands off to one check in support/checks/alerts.ts.

Then('the Prometheus alert {code} is firing within {duration}', function (this: W, name: string, within: number) {
  return alertFiring(this, name, within);
});
Then('the Prometheus alert {code} resolves within {duration}', function (this: W, name: string, within: number) {
  return alertResolves(this, name, within);
});
Then('the Prometheus alert {code} is not firing', function (this: W, name: string) {
  return alertNotFiring(this, name);
});
