import { Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { WorkloadKind } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  podServesMetrics,
  prometheusReady,
  prometheusTargetsCaptured,
  promqlIncreases,
  promqlSatisfies,
  promqlSeriesCount,
  ruleLoaded,
  targetHealthy,
  targetWithLabelHealthy,
} from '../support/checks/prometheus';

// Wording only: each step hands off to one check in support/checks/prometheus.ts.

Then(
  'a pod of {workload} {code} serves Prometheus metrics on port {int} at {code}',
  function (this: W, kind: WorkloadKind, name: string, port: number, path: string) {
    return podServesMetrics(this, kind, name, port, path);
  },
);
Then(
  'a pod of {workload} {code} serves the metric {code} on port {int} at {code}',
  function (this: W, kind: WorkloadKind, name: string, metric: string, port: number, path: string) {
    return podServesMetrics(this, kind, name, port, path, metric);
  },
);
Then('the PromQL {code} is {comparison} {float} within {duration}', function (this: W, q: string, c: Comparison, v: number, within: number) {
  return promqlSatisfies(this, q, c, v, within);
});
Then('the PromQL {code} is {comparison} {float}', function (this: W, q: string, c: Comparison, v: number) {
  return promqlSatisfies(this, q, c, v, this.config.timeouts.assert);
});
Then('some series of the PromQL {code} is {comparison} {float} within {duration}', function (this: W, q: string, c: Comparison, v: number, within: number) {
  return promqlSatisfies(this, q, c, v, within, 'any');
});
Then('the PromQL {code} increases within {duration}', function (this: W, q: string, within: number) {
  return promqlIncreases(this, q, within);
});
Then('the PromQL {code} returns {comparison} {int} series within {duration}', function (this: W, q: string, c: Comparison, n: number, within: number) {
  return promqlSeriesCount(this, q, c, n, within);
});
Then('Prometheus has an up target for job {code}', function (this: W, job: string) {
  return targetHealthy(this, job, this.config.timeouts.assert);
});
Then('Prometheus has an up target for job {code} within {duration}', function (this: W, job: string, within: number) {
  return targetHealthy(this, job, within);
});
Then('Prometheus has a rule {code}', function (this: W, name: string) {
  return ruleLoaded(this, name);
});
Then('Prometheus is ready', function (this: W) {
  return prometheusReady(this);
});
Then('the Prometheus targets page is captured', function (this: W) {
  return prometheusTargetsCaptured(this);
});
Then('Prometheus has an up target labelled {code} within {duration}', function (this: W, selector: string, within: number) {
  return targetWithLabelHealthy(this, selector, within);
});
