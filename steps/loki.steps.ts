import { Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { logqlReturnsLines, lokiLabelHasValue } from '../support/checks/loki';

// Wording only: each step hands off to one check in support/checks/loki.ts.

Then('the LogQL {code} returns {comparison} {int} line(s) within {duration}', function (this: W, q: string, c: Comparison, n: number, within: number) {
  return logqlReturnsLines(this, q, c, n, within);
});
Then('Loki has label {code} with value {code} within {duration}', function (this: W, label: string, value: string, within: number) {
  return lokiLabelHasValue(this, label, value, within);
});
