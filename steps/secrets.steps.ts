import { Given, Then, When } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  copySecret,
  installSealedSecrets,
  sealedOfflineDecrypts,
  sealedSecretsControllerRunning,
  sealedSecretUnsealed,
  sealFileOffline,
  secretChangedWithin,
  secretKeyHasSha256,
  useSealedSecretsController,
} from '../support/checks/secrets';

// Wording only: each step hands off to one check in support/checks/secrets.ts.

Given('the Sealed Secrets controller from {code} runs in the cluster', function (this: W, file: string) {
  return installSealedSecrets(this, file);
});
Given('the Sealed Secrets controller is {code} in the namespace {code}', function (this: W, name: string, namespace: string) {
  useSealedSecretsController(this, name, namespace);
});
Then('the Sealed Secrets controller is running', function (this: W) {
  return sealedSecretsControllerRunning(this);
});
When("the Secret in {code} is sealed offline with the controller's certificate and applied", function (this: W, file: string) {
  return sealFileOffline(this, file);
});
Then('the SealedSecret {code} is unsealed into the Secret {code} within {duration}', function (this: W, sealed: string, secret: string, within: number) {
  return sealedSecretUnsealed(this, sealed, secret, within);
});
Then("a Secret sealed offline with the controller's certificate decrypts to the same data within {duration}", function (this: W, within: number) {
  return sealedOfflineDecrypts(this, within);
});
Then('the Secret {code} key {code} has the SHA-256 {code}', function (this: W, name: string, key: string, sha: string) {
  return secretKeyHasSha256(this, name, key, sha);
});
Then('the Secret {code} changed within the last {duration}', function (this: W, name: string, within: number) {
  return secretChangedWithin(this, name, within);
});
When('the Secret {code} is copied into the namespace {code}', function (this: W, name: string, namespace: string) {
  return copySecret(this, name, namespace);
});
