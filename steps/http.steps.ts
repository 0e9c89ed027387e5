import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import type { Comparison } from '../support/checks/shared/context';
import {
  probeGetsHttpForHost,
  probeGetsHttpSending,
  probeGetsHttpWithHeader,
  probeGetsJsonCount,
  probeGetsJsonNumber,
  probeGetsJsonValue,
} from '../support/checks/http';

// Wording only: each step hands off to one check in support/checks/http.ts.

Then(
  'the probe gets HTTP {int} from {code} with the header {code} within {duration}',
  function (this: W, status: number, url: string, header: string, within: number) {
    return probeGetsHttpWithHeader(this, status, url, header, within);
  },
);
Then(
  'the probe gets HTTP {int} when sending {word} {code} to {code} within {duration}',
  function (this: W, status: number, method: string, body: string, url: string, within: number) {
    return probeGetsHttpSending(this, status, method, body, url, within);
  },
);
Then(
  'the probe gets HTTP {int} when sending {word} to {code} within {duration}',
  function (this: W, status: number, method: string, url: string, within: number) {
    return probeGetsHttpSending(this, status, method, undefined, url, within);
  },
);
Then(
  'the probe gets HTTP {int} from {code} for the host {code} within {duration}',
  function (this: W, status: number, url: string, host: string, within: number) {
    return probeGetsHttpForHost(this, status, url, host, within);
  },
);
Then(
  'the probe gets JSON from {code} where {code} is {code} within {duration}',
  function (this: W, url: string, path: string, expected: string, within: number) {
    return probeGetsJsonValue(this, url, path, expected, within);
  },
);
Then(
  'the probe gets JSON from {code} where {code} is {comparison} {float} within {duration}',
  function (this: W, url: string, path: string, cmp: Comparison, value: number, within: number) {
    return probeGetsJsonNumber(this, url, path, cmp, value, within);
  },
);
Then(
  'the probe gets JSON from {code} where {code} has {comparison} {int} item(s) within {duration}',
  function (this: W, url: string, path: string, cmp: Comparison, count: number, within: number) {
    return probeGetsJsonCount(this, url, path, cmp, count, within);
  },
);
