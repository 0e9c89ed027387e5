import { When, Then } from '@cucumber/cucumber';
import type { WorkloadKind } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  backgroundRequestsSucceededAtLeast,
  cutTraffic,
  deleteLabelled,
  deleteNamespace,
  everyBackgroundRequestSucceeded,
  evictionAllowed,
  evictionRefused,
  execFails,
  execPrints,
  execSucceeds,
  hasExactlyReadyPods,
  manifestAcceptedByDryRun,
  manifestRejected,
  namespaceGone,
  noObjectLabelled,
  restartDeployment,
  rollBackDeployment,
  scaleWorkload,
  startBackgroundRequests,
  updateImage,
} from '../support/checks/actions';

// Wording only: each step hands off to one check in support/checks/actions.ts.

// Scale, image, restart, roll back (follow them with "deployment … rolls out within …").
When('{workload} {code} is scaled to {int} replica(s)', function (this: W, kind: WorkloadKind, name: string, n: number) {
  return scaleWorkload(this, kind, name, n);
});
Then('{workload} {code} has exactly {int} Ready pod(s) within {duration}', function (this: W, kind: WorkloadKind, name: string, n: number, within: number) {
  return hasExactlyReadyPods(this, kind, name, n, within);
});
When('deployment {code} is updated to the image {code}', function (this: W, name: string, image: string) {
  return updateImage(this, name, image);
});
When('deployment {code} is updated to the image {code} in its container {code}', function (this: W, name: string, image: string, container: string) {
  return updateImage(this, name, image, container);
});
When('deployment {code} is restarted', function (this: W, name: string) {
  return restartDeployment(this, name);
});
When('deployment {code} is rolled back', function (this: W, name: string) {
  return rollBackDeployment(this, name);
});

// Availability while something happens.
When('the probe requests {code} every {duration} in the background', function (this: W, url: string, every: number) {
  return startBackgroundRequests(this, url, every);
});
Then('every background request succeeded', function (this: W) {
  return everyBackgroundRequestSucceeded(this);
});
Then('the background requests succeeded at least {float} percent of the time', function (this: W, percent: number) {
  return backgroundRequestsSucceededAtLeast(this, percent);
});

// Commands in a pod.
Then(
  'running {code} in a pod of {workload} {code} succeeds within {duration}',
  function (this: W, command: string, kind: WorkloadKind, name: string, within: number) {
    return execSucceeds(this, command, kind, name, within);
  },
);
Then('running {code} in a pod of {workload} {code} prints {code}', function (this: W, command: string, kind: WorkloadKind, name: string, text: string) {
  return execPrints(this, command, kind, name, text);
});
Then('running {code} in a pod of {workload} {code} fails', function (this: W, command: string, kind: WorkloadKind, name: string) {
  return execFails(this, command, kind, name);
});
Then(
  'running {code} in a pod of {workload} {code} fails within {duration}',
  function (this: W, command: string, kind: WorkloadKind, name: string, within: number) {
    return execFails(this, command, kind, name, within);
  },
);

// Disruption: evictions, network partitions.
Then('evicting a pod of {workload} {code} is refused', function (this: W, kind: WorkloadKind, name: string) {
  return evictionRefused(this, kind, name);
});
Then('evicting a pod of {workload} {code} is allowed', function (this: W, kind: WorkloadKind, name: string) {
  return evictionAllowed(this, kind, name);
});
When(
  'traffic from {workload} {code} to {workload} {code} is cut for {duration}',
  function (this: W, fromKind: WorkloadKind, from: string, toKind: WorkloadKind, to: string, duration: number) {
    return cutTraffic(this, fromKind, from, toKind, to, duration);
  },
);

// Teardown.
When('the namespace {code} is deleted', function (this: W, name: string) {
  return deleteNamespace(this, name);
});
Then('the namespace {code} is gone within {duration}', function (this: W, name: string, within: number) {
  return namespaceGone(this, name, within);
});
When('the objects labelled {code} are deleted', function (this: W, selector: string) {
  return deleteLabelled(this, selector);
});
Then('no object labelled {code} remains in the namespace', function (this: W, selector: string) {
  return noObjectLabelled(this, selector);
});
Then('no object labelled {code} remains in the namespace within {duration}', function (this: W, selector: string, within: number) {
  return noObjectLabelled(this, selector, within);
});

// Admission.
Then('applying the manifest {code} is rejected with {code}', function (this: W, file: string, text: string) {
  return manifestRejected(this, file, text);
});
Then('the manifest {code} is accepted by a server-side dry run', function (this: W, file: string) {
  return manifestAcceptedByDryRun(this, file);
});
