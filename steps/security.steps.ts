import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { namespaceEnforcesPodSecurity, noServiceAccountBoundTo, serviceAccountMay } from '../support/checks/security';

// Wording only: each step hands off to one check in support/checks/security.ts.

Then('the ServiceAccount {code} can {word} {code}', function (this: W, serviceAccount: string, verb: string, resource: string) {
  return serviceAccountMay(this, serviceAccount, verb, resource, true);
});
Then('the ServiceAccount {code} cannot {word} {code}', function (this: W, serviceAccount: string, verb: string, resource: string) {
  return serviceAccountMay(this, serviceAccount, verb, resource, false);
});
Then('no ServiceAccount in the namespace is bound to the ClusterRole {code}', function (this: W, clusterRole: string) {
  return noServiceAccountBoundTo(this, clusterRole);
});
Then('the namespace enforces the Pod Security level {code}', function (this: W, level: string) {
  return namespaceEnforcesPodSecurity(this, level);
});
