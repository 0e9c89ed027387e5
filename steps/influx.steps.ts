import { Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { influxPing, influxPointsRecent, influxqlRows, influxReceivesNewPoints } from '../support/checks/influx';

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
Then('InfluxDB measurement {code} receives new points within {duration}', function (this: W, m: string, within: number) {
  return influxReceivesNewPoints(this, m, within);
});
Then('deployment {code} writes new points to InfluxDB measurement {code} within {duration}', function (this: W, d: string, m: string, within: number) {
  return influxReceivesNewPoints(this, m, within, { writer: d });
});
Then(
  'deployment {code} writes new points to InfluxDB measurement {code} over HTTPS within {duration}',
  function (this: W, d: string, m: string, within: number) {
    return influxReceivesNewPoints(this, m, within, { writer: d, https: true });
  },
);
