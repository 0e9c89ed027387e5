import { Given, Then, When } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/world';
import type { WorkloadKind } from '../support/checks/platform';
import {
  allPodsReady,
  daemonSetOnEveryNode,
  logsContain,
  logsLack,
  manifestsUseNamespace,
  noSecretsCommitted,
  objectExists,
  personVerifies,
  podServesMetrics,
  podsMountSecret,
  repoFileMentions,
  repoHasFile,
  repoScriptSucceeds,
  secretHasKeys,
  servicePortClosed,
  serviceServesTls,
  usePlatformNamespace,
  workloadReady,
} from '../support/checks/platform';
import { backgroundLoadFinished, objectHasEvent, promqlRoseDuringLoad, startBackgroundLoad } from '../support/checks/load';

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

Given('the platform namespace {code}', function (this: W, ns: string) {
  return usePlatformNamespace(this, ns);
});
Then('all pods in the namespace are Running and Ready within {duration}', function (this: W, within: number) {
  return allPodsReady(this, within);
});
Then('{workload} {code} has at least {int} Ready pod(s) within {duration}', function (this: W, kind: WorkloadKind, name: string, n: number, within: number) {
  return workloadReady(this, kind, name, n, within);
});
Then('the DaemonSet {code} runs one Ready pod per node within {duration}', function (this: W, name: string, within: number) {
  return daemonSetOnEveryNode(this, name, within);
});
Then('the {kind} {code} exists', function (this: W, kind: string, name: string) {
  return objectExists(this, kind, name);
});
Then('a pod of {workload} {code} serves Prometheus metrics on port {int} at {code}', function (this: W, kind: WorkloadKind, name: string, port: number, path: string) {
  return podServesMetrics(this, kind, name, port, path);
});
Then('a pod of {workload} {code} serves the metric {code} on port {int} at {code}', function (this: W, kind: WorkloadKind, name: string, metric: string, port: number, path: string) {
  return podServesMetrics(this, kind, name, port, path, metric);
});
Then('the logs of {workload} {code} contain {code} within {duration}', function (this: W, kind: WorkloadKind, name: string, text: string, within: number) {
  return logsContain(this, kind, name, text, within);
});
Then('the logs of {workload} {code} show no {code}', function (this: W, kind: WorkloadKind, name: string, pattern: string) {
  return logsLack(this, kind, name, pattern);
});
Then('the Secret {code} holds the keys {code}', function (this: W, name: string, keys: string) {
  return secretHasKeys(this, name, list(keys));
});
Then('the pods of {workload} {code} mount the Secret {code}', function (this: W, kind: WorkloadKind, name: string, secret: string) {
  return podsMountSecret(this, kind, name, secret);
});
Then('the Service {code} serves TLS on port {int}', function (this: W, service: string, port: number) {
  return serviceServesTls(this, service, port);
});
Then('the Service {code} accepts no plaintext connection on port {int}', function (this: W, service: string, port: number) {
  return servicePortClosed(this, service, port);
});
When('the k6 script {code} loads the Service {code} port {int} in the background for {duration}', function (this: W, script: string, service: string, port: number, ms: number) {
  return startBackgroundLoad(this, script, service, port, ms);
});
Then('the background load runs to its end', function (this: W) {
  return backgroundLoadFinished(this);
});
Then('the PromQL {code} rose during the load', function (this: W, query: string) {
  return promqlRoseDuringLoad(this, query);
});
Then('the {kind} {code} has recorded a {code} event', function (this: W, kind: string, name: string, reason: string) {
  return objectHasEvent(this, kind, name, reason);
});
Then('every manifest in {code} references the namespace {code}', function (this: W, dir: string, ns: string) {
  return manifestsUseNamespace(this, dir, ns);
});
Then('the platform repository has {code}', function (this: W, path: string) {
  return repoHasFile(this, path);
});
Then('the platform repository file {code} mentions {code}', function (this: W, path: string, words: string) {
  return repoFileMentions(this, path, list(words));
});
Then('no secrets are committed to the platform repository', function (this: W) {
  return noSecretsCommitted(this);
});
Then('running {code} in the platform repository succeeds within {duration}', function (this: W, command: string, within: number) {
  return repoScriptSucceeds(this, command, within);
});
Then('running {code} in the platform repository reports {code} within {duration}', function (this: W, command: string, expect: string, within: number) {
  return repoScriptSucceeds(this, command, within, expect);
});
Then('a person verifies that {string}', function (this: W, criterion: string) {
  return personVerifies(this, criterion);
});
