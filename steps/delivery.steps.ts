import { When, Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { markedBatchInInflux, resumeDeployment, sendMarkedBatch, stopDeployment } from '../support/checks/delivery';

// Wording only: each step hands off to one check in support/checks/delivery.ts.

When('deployment {code} is stopped: scaled to 0 replicas', function (this: W, name: string) {
  return stopDeployment(this, name);
});
When('deployment {code} is started again', function (this: W, name: string) {
  return resumeDeployment(this, name);
});
When('a marked batch of {int} readings is sent to the Kafka topic {code}', function (this: W, count: number, topic: string) {
  return sendMarkedBatch(this, count, topic);
});
Then('every reading of the marked batch is in InfluxDB measurement {code} exactly once within {duration}', function (this: W, m: string, within: number) {
  return markedBatchInInflux(this, m, within);
});
