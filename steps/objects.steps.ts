import { When, Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { applyManifest, objectExists, objectHasEvent, pvcBound, secretHasKeys } from '../support/checks/objects';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

// Wording only: each step hands off to one check in support/checks/objects.ts.

Then('the {kind} {code} exists', function (this: W, kind: string, name: string) {
  return objectExists(this, kind, name);
});
Then('the Secret {code} holds the keys {code}', function (this: W, name: string, keys: string) {
  return secretHasKeys(this, name, list(keys));
});
Then('the {kind} {code} has recorded a {code} event', function (this: W, kind: string, name: string, reason: string) {
  return objectHasEvent(this, kind, name, reason);
});
When('the manifest {code} is applied', function (this: W, file: string) {
  return applyManifest(this, file);
});
Then('PVC {code} is Bound within {duration}', function (this: W, name: string, within: number) {
  return pvcBound(this, name, within);
});
