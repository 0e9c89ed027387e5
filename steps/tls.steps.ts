import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { serviceServesTls } from '../support/checks/tls';

// Wording only: each step hands off to one check in support/checks/tls.ts.

Then('the Service {code} serves TLS on port {int}', function (this: W, service: string, port: number) {
  return serviceServesTls(this, service, port);
});
