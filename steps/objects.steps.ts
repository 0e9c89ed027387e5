import { When, Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import type { Comparison } from '../support/checks/shared/context';
import {
  applyManifest,
  clusterReadyNodes,
  clusterVersion,
  configMapHasKeys,
  configMapKeyIs,
  configMapKeyMentions,
  fieldCompares,
  fieldIs,
  fieldIsSet,
  noConfigMapKeyLike,
  objectExists,
  objectHasAnnotation,
  objectHasCondition,
  objectHasEvent,
  objectHasLabel,
  pvcBound,
  secretHasKeys,
} from '../support/checks/objects';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

// Wording only: each step hands off to one check in support/checks/objects.ts.
// {kind} is any kind the API server serves (CRDs included), resolved through API discovery.

Then('the {kind} {code} exists', function (this: W, kind: string, name: string) {
  return objectExists(this, kind, name);
});
Then('the {kind} {code} has recorded a {code} event', function (this: W, kind: string, name: string, reason: string) {
  return objectHasEvent(this, kind, name, reason);
});
Then('the {kind} {code} has the label {code}', function (this: W, kind: string, name: string, label: string) {
  return objectHasLabel(this, kind, name, label);
});
Then('the {kind} {code} has the annotation {code}', function (this: W, kind: string, name: string, annotation: string) {
  return objectHasAnnotation(this, kind, name, annotation);
});
Then(
  'the field {code} of the {kind} {code} is {code} within {duration}',
  function (this: W, path: string, kind: string, name: string, value: string, within: number) {
    return fieldIs(this, path, kind, name, value, within);
  },
);
Then(
  'the field {code} of the {kind} {code} is {comparison} {float} within {duration}',
  function (this: W, path: string, kind: string, name: string, c: Comparison, value: number, within: number) {
    return fieldCompares(this, path, kind, name, c, value, within);
  },
);
Then('the field {code} of the {kind} {code} is set', function (this: W, path: string, kind: string, name: string) {
  return fieldIsSet(this, path, kind, name);
});
Then('the {kind} {code} has the condition {code} within {duration}', function (this: W, kind: string, name: string, type: string, within: number) {
  return objectHasCondition(this, kind, name, type, within);
});
Then('the cluster has {comparison} {int} Ready node(s) within {duration}', function (this: W, c: Comparison, n: number, within: number) {
  return clusterReadyNodes(this, c, n, within);
});
Then('the cluster runs Kubernetes {comparison} {code}', function (this: W, c: Comparison, version: string) {
  return clusterVersion(this, c, version);
});
Then('the ConfigMap {code} holds the keys {code}', function (this: W, name: string, keys: string) {
  return configMapHasKeys(this, name, list(keys));
});
Then('the ConfigMap {code} key {code} is {code}', function (this: W, name: string, key: string, value: string) {
  return configMapKeyIs(this, name, key, value);
});
Then('the ConfigMap {code} key {code} mentions {code}', function (this: W, name: string, key: string, text: string) {
  return configMapKeyMentions(this, name, key, text);
});
Then('no ConfigMap in the namespace holds a key like {code}', function (this: W, pattern: string) {
  return noConfigMapKeyLike(this, pattern);
});
Then('the Secret {code} holds the keys {code}', function (this: W, name: string, keys: string) {
  return secretHasKeys(this, name, list(keys));
});
When('the manifest {code} is applied', function (this: W, file: string) {
  return applyManifest(this, file);
});
Then('PVC {code} is Bound within {duration}', function (this: W, name: string, within: number) {
  return pvcBound(this, name, within);
});
