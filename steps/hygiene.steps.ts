import { Then } from '@cucumber/cucumber';
import type { Quantity, WorkloadKind } from '../support/checks/hygiene';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  containersHaveEnv,
  containersHaveProbes,
  containersRequestAndLimit,
  containersRunAsNonRoot,
  containersSetResources,
  containersTakeEnvFrom,
  noOomKills,
  noRestartsOver,
} from '../support/checks/hygiene';

// Wording only: each step hands off to one check in support/checks/hygiene.ts.

Then('every container of {workload} {code} sets CPU and memory requests and limits', function (this: W, kind: WorkloadKind, name: string) {
  return containersSetResources(this, { kind, name });
});
Then('every container in the namespace sets CPU and memory requests and limits', function (this: W) {
  return containersSetResources(this, 'namespace');
});
Then(
  'the containers of {workload} {code} request {quantity} CPU and {quantity} memory and are limited to {quantity} CPU and {quantity} memory',
  function (this: W, kind: WorkloadKind, name: string, cpuRequest: Quantity, memoryRequest: Quantity, cpuLimit: Quantity, memoryLimit: Quantity) {
    return containersRequestAndLimit(this, kind, name, { cpuRequest, memoryRequest, cpuLimit, memoryLimit });
  },
);
Then('the containers of {workload} {code} run as a non-root user', function (this: W, kind: WorkloadKind, name: string) {
  return containersRunAsNonRoot(this, { kind, name });
});
Then('every container in the namespace runs as a non-root user', function (this: W) {
  return containersRunAsNonRoot(this, 'namespace');
});
Then('the containers of {workload} {code} have readiness and liveness probes', function (this: W, kind: WorkloadKind, name: string) {
  return containersHaveProbes(this, { kind, name });
});
Then('every container in the namespace has readiness and liveness probes', function (this: W) {
  return containersHaveProbes(this, 'namespace');
});
Then(
  'the containers of {workload} {code} take their environment from the {word} {code}',
  function (this: W, kind: WorkloadKind, name: string, word: string, source: string) {
    return containersTakeEnvFrom(this, kind, name, word, source);
  },
);
Then(
  'the containers of {workload} {code} have the environment variable {code} set to {code}',
  function (this: W, kind: WorkloadKind, name: string, variable: string, value: string) {
    return containersHaveEnv(this, kind, name, variable, value);
  },
);
Then('no container of {workload} {code} has restarted more than {int} time(s)', function (this: W, kind: WorkloadKind, name: string, max: number) {
  return noRestartsOver(this, { kind, name }, max);
});
Then('no container in the namespace has restarted more than {int} time(s)', function (this: W, max: number) {
  return noRestartsOver(this, 'namespace', max);
});
Then('no container of {workload} {code} has been OOMKilled', function (this: W, kind: WorkloadKind, name: string) {
  return noOomKills(this, { kind, name });
});
Then('no container in the namespace has been OOMKilled', function (this: W) {
  return noOomKills(this, 'namespace');
});
