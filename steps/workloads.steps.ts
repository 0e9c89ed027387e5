import { When, Then } from '@cucumber/cucumber';
import type { WorkloadKind } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  allPodsReady,
  daemonSetOnEveryNode,
  deletePods,
  deploymentRollsOut,
  execPrintsPodName,
  fileSurvivesInNewPod,
  podsMountSecret,
  recoversWithin,
  workloadReady,
  writeFileInPod,
} from '../support/checks/workloads';

// Wording only: each step hands off to one check in support/checks/workloads.ts.

Then('all pods in the namespace are Running and Ready within {duration}', function (this: W, within: number) {
  return allPodsReady(this, within);
});
Then('{workload} {code} has at least {int} Ready pod(s) within {duration}', function (this: W, kind: WorkloadKind, name: string, n: number, within: number) {
  return workloadReady(this, kind, name, n, within);
});
Then('the DaemonSet {code} runs one Ready pod per node within {duration}', function (this: W, name: string, within: number) {
  return daemonSetOnEveryNode(this, name, within);
});
Then('the pods of {workload} {code} mount the Secret {code}', function (this: W, kind: WorkloadKind, name: string, secret: string) {
  return podsMountSecret(this, kind, name, secret);
});
Then('deployment {code} rolls out with {int} ready replica(s) within {duration}', function (this: W, name: string, n: number, within: number) {
  return deploymentRollsOut(this, name, n, within);
});
Then('deployment {code} rolls out within {duration}', function (this: W, name: string, within: number) {
  return deploymentRollsOut(this, name, undefined, within);
});
Then("running {code} in a pod of deployment {code} prints that pod's name", function (this: W, command: string, deployment: string) {
  return execPrintsPodName(this, command, deployment);
});
When('a pod of {workload} {code} writes a unique text to {code}', function (this: W, kind: WorkloadKind, name: string, path: string) {
  return writeFileInPod(this, name, path, kind);
});
When('one pod of {workload} {code} is deleted', function (this: W, kind: WorkloadKind, name: string) {
  return deletePods(this, kind, name, 'one');
});
When('all pods of {workload} {code} are deleted', function (this: W, kind: WorkloadKind, name: string) {
  return deletePods(this, kind, name, 'all');
});
Then('{workload} {code} has all replicas Ready again within {duration}', function (this: W, kind: WorkloadKind, name: string, within: number) {
  return recoversWithin(this, kind, name, within);
});
Then('a new pod of {workload} {code} reads the same text from {code}', function (this: W, kind: WorkloadKind, name: string, path: string) {
  return fileSurvivesInNewPod(this, name, path, kind);
});
