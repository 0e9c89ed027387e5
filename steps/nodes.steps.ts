import { When, Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import type { Comparison, WorkloadKind } from '../support/checks/shared/context';
import { drainNode, nodeGoesDown, nodeNotReady, nodesCarryLabel, podsOnLabelledNodes, podsSpreadOver, readyAwayFromNode } from '../support/checks/nodes';

// Wording only: each step hands off to one check in support/checks/nodes.ts.

Then('{comparison} {int} node(s) carry/carries the label {code}', function (this: W, cmp: Comparison, count: number, spec: string) {
  return nodesCarryLabel(this, cmp, count, spec);
});
Then('the pods of {workload} {code} run on nodes labelled {code}', function (this: W, kind: WorkloadKind, name: string, spec: string) {
  return podsOnLabelledNodes(this, kind, name, spec);
});
Then('the pods of {workload} {code} are spread over at least {int} nodes', function (this: W, kind: WorkloadKind, name: string, count: number) {
  return podsSpreadOver(this, kind, name, count);
});
When('the node {code} is drained within {duration}', function (this: W, node: string, within: number) {
  return drainNode(this, node, within);
});
Then(
  '{workload} {code} has all its replicas Ready on nodes other than {code} within {duration}',
  function (this: W, kind: WorkloadKind, name: string, node: string, within: number) {
    return readyAwayFromNode(this, kind, name, node, within);
  },
);
When('the node {code} goes down', function (this: W, node: string) {
  return nodeGoesDown(this, node);
});
Then('the node {code} is not Ready within {duration}', function (this: W, node: string, within: number) {
  return nodeNotReady(this, node, within);
});
