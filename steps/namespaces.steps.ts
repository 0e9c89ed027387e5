import { Given } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { useFreshNamespace, useNewNamespace, usePlatformNamespace } from '../support/checks/namespaces';

// Wording only: each step hands off to one check in support/checks/namespaces.ts.

Given('the platform namespace {code}', function (this: W, ns: string) {
  return usePlatformNamespace(this, ns);
});
Given('a fresh namespace for this scenario', function (this: W) {
  return useFreshNamespace(this);
});
Given('the new namespace {code}', function (this: W, ns: string) {
  return useNewNamespace(this, ns);
});
