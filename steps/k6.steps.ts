import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { k6MeetsThresholds } from '../support/checks/k6';

// Wording only: each step hands off to one check in support/checks/k6.ts.

Then('running the k6 script {code} for {duration} meets its thresholds', function (this: W, script: string, ms: number) {
  return k6MeetsThresholds(this, script, { durationMs: ms });
});
Then('running the k6 script {code} for {duration} with {int} VUs meets its thresholds', function (this: W, script: string, ms: number, vus: number) {
  return k6MeetsThresholds(this, script, { durationMs: ms, vus });
});
Then('running the k6 script {code} against {code} for {duration} meets its thresholds', function (this: W, script: string, url: string, ms: number) {
  return k6MeetsThresholds(this, script, { durationMs: ms, env: { TARGET_URL: url } });
});
Then('running the k6 script {code} for {duration} fails its thresholds', function (this: W, script: string, ms: number) {
  return k6MeetsThresholds(this, script, { durationMs: ms }, 'fail');
});
Then('running the k6 script {code} meets its thresholds', function (this: W, script: string) {
  return k6MeetsThresholds(this, script, {});
});
Then('running the k6 script {code} fails its thresholds', function (this: W, script: string) {
  return k6MeetsThresholds(this, script, {}, 'fail');
});
