import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld } from 'kubeproof/support/cucumber/world';
import { runbookNamesRotation } from '../checks/runbook';

// The team's own wording; `{code}` is one of kubeproof's parameter types.
Then('the runbook {code} names an on-call rotation', function (this: KubeproofWorld, file: string) {
  return runbookNamesRotation(this, file);
});
