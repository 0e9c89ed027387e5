import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import type { WorkloadKind } from '../support/checks/shared/context';
import { discoveryLatency, instanceListFollows } from '../support/checks/discovery';

// Wording only: each step hands off to one check in support/checks/discovery.ts.

Then(
  'the instance list at {code} follows the Ready pods of {workload} {code} within {duration}',
  function (this: W, url: string, kind: WorkloadKind, name: string, within: number) {
    return instanceListFollows(this, url, kind, name, within);
  },
);
Then(
  'over scaling {workload} {code} from {int} to {int} and back {int} time(s), the instance list at {code} reflects each pod within {duration} at p95',
  function (this: W, kind: WorkloadKind, name: string, from: number, to: number, times: number, url: string, bound: number) {
    return discoveryLatency(this, kind, name, from, to, times, url, bound);
  },
);
