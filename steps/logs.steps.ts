import { Then } from '@cucumber/cucumber';
import type { WorkloadKind } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { logsContain, logsLack } from '../support/checks/logs';

// Wording only: each step hands off to one check in support/checks/logs.ts.

Then('the logs of {workload} {code} contain {code} within {duration}', function (this: W, kind: WorkloadKind, name: string, text: string, within: number) {
  return logsContain(this, kind, name, text, within);
});
Then('the logs of {workload} {code} show no {code}', function (this: W, kind: WorkloadKind, name: string, pattern: string) {
  return logsLack(this, kind, name, pattern);
});
Then(
  'the logs of {workload} {code} show no {code} from the pods of {workload} {code}',
  function (this: W, kind: WorkloadKind, name: string, pattern: string, clientKind: WorkloadKind, clientName: string) {
    return logsLack(this, kind, name, pattern, { kind: clientKind, name: clientName });
  },
);
