import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { plaintextRefused, serviceServesTls } from '../support/checks/tls';

// Wording only: each step hands off to one check in support/checks/tls.ts.

Then(
  'the Service {code} serves TLS on port {int} for the name {code} with a certificate from the CA in the {word} {code}',
  function (this: W, service: string, port: number, name: string, caKind: string, caName: string) {
    return serviceServesTls(this, service, port, name, caKind, caName);
  },
);
Then(
  'every address of the Service {code} refuses plaintext on port {int} and answers TLS on port {int} for the name {code} with the CA in the {word} {code}',
  function (this: W, service: string, plainPort: number, tlsPort: number, name: string, caKind: string, caName: string) {
    return plaintextRefused(this, service, plainPort, tlsPort, name, caKind, caName);
  },
);
