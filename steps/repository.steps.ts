import { Then } from '@cucumber/cucumber';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { manifestsUseNamespace, noSecretsCommitted, repoFileMentions, repoHasFile, repoScriptSucceeds } from '../support/checks/repository';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

// Wording only: each step hands off to one check in support/checks/repository.ts.

Then('every manifest under {code} in the platform repository references the namespace {code}', function (this: W, dir: string, ns: string) {
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
