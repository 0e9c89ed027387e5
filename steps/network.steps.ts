import { type DataTable, Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  type ConnectionRow,
  connectionMatrix,
  labelledPodBlocked,
  labelledPodConnects,
  networkPolicyAdmits,
  onlyLabelledPodsConnect,
  probeBlocked,
  probeConnects,
  probeGetsHttp,
  probeResolves,
} from '../support/checks/network';

// Wording only: each step hands off to one check in support/checks/network.ts.

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
Then(
  'the NetworkPolicies let a pod labelled {code} reach {code} port {int} and refuse a pod labelled {code} within {duration}',
  function (this: W, allowed: string, host: string, port: number, other: string, within: number) {
    return networkPolicyAdmits(this, allowed, host, port, other, within);
  },
);
Then(
  'a pod labelled {code} can connect to {code} port {int} within {duration}',
  function (this: W, labels: string, host: string, port: number, within: number) {
    return labelledPodConnects(this, labels, undefined, host, port, within);
  },
);
Then(
  'a pod labelled {code} in the namespace {code} can connect to {code} port {int} within {duration}',
  function (this: W, labels: string, namespace: string, host: string, port: number, within: number) {
    return labelledPodConnects(this, labels, namespace, host, port, within);
  },
);
Then(
  'a pod labelled {code} cannot connect to {code} port {int} within {duration}',
  function (this: W, labels: string, host: string, port: number, within: number) {
    return labelledPodBlocked(this, labels, undefined, host, port, within);
  },
);
Then(
  'a pod labelled {code} in the namespace {code} cannot connect to {code} port {int} within {duration}',
  function (this: W, labels: string, namespace: string, host: string, port: number, within: number) {
    return labelledPodBlocked(this, labels, namespace, host, port, within);
  },
);
Then('these connections are allowed and denied:', function (this: W, table: DataTable) {
  return connectionMatrix(this, table.hashes() as unknown as ConnectionRow[]);
});
Then('no pod in the namespace can connect to {code} port {int} except those labelled {code}', function (this: W, host: string, port: number, labels: string) {
  return onlyLabelledPodsConnect(this, host, port, labels);
});
