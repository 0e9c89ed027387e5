import { Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { lokiSetting, prometheusRetention, prometheusScrapeInterval } from '../support/checks/config';

// Wording only: each step hands off to one check in support/checks/config.ts.

Then('Prometheus scrapes every {comparison} {duration}', function (this: W, c: Comparison, bound: number) {
  return prometheusScrapeInterval(this, c, bound);
});
Then('Prometheus keeps data for {comparison} {duration}', function (this: W, c: Comparison, bound: number) {
  return prometheusRetention(this, c, bound);
});
Then('the Loki setting {code} is {code}', function (this: W, path: string, expected: string) {
  return lokiSetting(this, path, expected);
});
