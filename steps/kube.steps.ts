import { Given, Then, When } from '@cucumber/cucumber';
import type { Comparison } from '../support/compare';
import type { WorkloadKind } from '../support/kube/client';
import type { KubeproofWorld as W } from '../support/world';
import { scenarioNamespace } from '../support/kube';
import {
  applyManifest,
  cpuLoad,
  deletePods,
  deploymentRollsOut,
  execPrintsPodName,
  fileSurvivesInNewPod,
  hpaScales,
  podMetricsReported,
  probeBlocked,
  probeConnects,
  probeGetsHttp,
  probeResolves,
  pvcBound,
  recoversWithin,
  writeFileInPod,
} from '../support/kube/checks';

// Wording only: every step hands off to support/kube (see STEPS.md for the catalogue).

Given('a fresh namespace for this scenario', async function (this: W) {
  await scenarioNamespace(this);
});
When('the manifest {code} is applied', function (this: W, file: string) {
  return applyManifest(this, file);
});
Then('deployment {code} rolls out with {int} ready replica(s) within {duration}', function (this: W, name: string, n: number, within: number) {
  return deploymentRollsOut(this, name, n, within);
});
Then('deployment {code} rolls out within {duration}', function (this: W, name: string, within: number) {
  return deploymentRollsOut(this, name, undefined, within);
});
Then('the probe gets HTTP {int} from {code} within {duration}', function (this: W, status: number, url: string, within: number) {
  return probeGetsHttp(this, status, url, within);
});
Then('the probe resolves {code} within {duration}', function (this: W, name: string, within: number) {
  return probeResolves(this, name, within);
});
Then('the probe can connect to {code} port {int} within {duration}', function (this: W, host: string, port: number, within: number) {
  return probeConnects(this, host, port, within);
});
Then('the probe cannot connect to {code} port {int} within {duration}', function (this: W, host: string, port: number, within: number) {
  return probeBlocked(this, host, port, within);
});
Then('running {code} in a pod of deployment {code} prints that pod\'s name', function (this: W, command: string, deployment: string) {
  return execPrintsPodName(this, command, deployment);
});
Then('pod metrics for deployment {code} report CPU and memory within {duration}', function (this: W, deployment: string, within: number) {
  return podMetricsReported(this, deployment, within);
});
When('CPU load is switched on in deployment {code}', function (this: W, deployment: string) {
  return cpuLoad(this, deployment, true);
});
When('CPU load is switched off in deployment {code}', function (this: W, deployment: string) {
  return cpuLoad(this, deployment, false);
});
Then('the HPA {code} scales to {comparison} {int} replica(s) within {duration}', function (this: W, name: string, c: Comparison, n: number, within: number) {
  return hpaScales(this, name, c, n, within);
});
Then('PVC {code} is Bound within {duration}', function (this: W, name: string, within: number) {
  return pvcBound(this, name, within);
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
