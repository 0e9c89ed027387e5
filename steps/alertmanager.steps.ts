import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { alertmanagerHolds, alertmanagerReady, receiverNotified } from '../support/checks/alertmanager';

// Wording only: each step hands off to one check in support/checks/alertmanager.ts.

Then('Alertmanager is ready', function (this: W) {
  return alertmanagerReady(this);
});
Then('Alertmanager holds the alert {code} within {duration}', function (this: W, name: string, within: number) {
  return alertmanagerHolds(this, name, within);
});
Then('the receiver {code} is notified of the alert {code} within {duration}', function (this: W, receiver: string, name: string, within: number) {
  return receiverNotified(this, receiver, name, 'firing', within);
});
Then('the receiver {code} is notified that the alert {code} resolved within {duration}', function (this: W, receiver: string, name: string, within: number) {
  return receiverNotified(this, receiver, name, 'resolved', within);
});
