import { Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { influxPing, influxPointsRecent, influxqlRows } from '../support/checks/influx';

// Wording only: each step hands off to one check in support/checks/influx.ts.

Then('InfluxDB answers its ping', function (this: W) {
  return influxPing(this);
});
Then(
  'InfluxDB measurement {code} has {comparison} {int} point(s) in the last {duration} within {duration}',
  function (this: W, m: string, c: Comparison, n: number, window: number, within: number) {
    return influxPointsRecent(this, m, c, n, window, within);
  },
);
Then('the InfluxQL {code} returns {comparison} {int} row(s)', function (this: W, q: string, c: Comparison, n: number) {
  return influxqlRows(this, q, c, n);
});
