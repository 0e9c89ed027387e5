import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { ingressAnswersHttp, ingressServesTls } from '../support/checks/ingress';

// Wording only: each step hands off to one check in support/checks/ingress.ts.

Then(
  'the ingress answers HTTP {int} for the host {code} at {code} within {duration}',
  function (this: W, status: number, host: string, path: string, within: number) {
    return ingressAnswersHttp(this, status, host, path, within);
  },
);
Then('the ingress serves TLS for the host {code} with a certificate for {code}', function (this: W, host: string, name: string) {
  return ingressServesTls(this, host, name);
});
Then(
  'the ingress serves TLS for the host {code} with a certificate for {code} issued by {code}',
  function (this: W, host: string, name: string, issuer: string) {
    return ingressServesTls(this, host, name, issuer);
  },
);
