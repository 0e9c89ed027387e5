import { Then } from '@cucumber/cucumber';
import type { Quantity } from '../support/checks/budget';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { namespaceResourcesAtMost, namespaceUsageAtMost } from '../support/checks/budget';

// Wording only: each step hands off to one check in support/checks/budget.ts.

Then('the pods in the namespace request at most {quantity} CPU and {quantity} memory in total', function (this: W, cpu: Quantity, memory: Quantity) {
  return namespaceResourcesAtMost(this, 'requests', cpu, memory);
});
Then('the pods in the namespace are limited to at most {quantity} CPU and {quantity} memory in total', function (this: W, cpu: Quantity, memory: Quantity) {
  return namespaceResourcesAtMost(this, 'limits', cpu, memory);
});
Then(
  'the pods in the namespace use at most {quantity} CPU and {quantity} memory over {duration}',
  function (this: W, cpu: Quantity, memory: Quantity, within: number) {
    return namespaceUsageAtMost(this, cpu, memory, within);
  },
);
