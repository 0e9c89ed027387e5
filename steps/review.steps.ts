import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { cannotRunHere, personVerifies } from '../support/checks/review';

// Wording only: each step hands off to one check in support/checks/review.ts.

Then('a person verifies that {string}', function (this: W, criterion: string) {
  return personVerifies(this, criterion);
});
Then('this cannot be verified here: {string}', function (this: W, reason: string) {
  return cannotRunHere(this, reason);
});
