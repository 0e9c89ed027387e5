# Must-fail scenarios (test/must-fail.ts, run by lab/nightly.sh): Helm releases and charts on the lab.
# Each must end failed at its last step with the message its `Fails with:` lines state.
Feature: Helm checks fail when a release or a chart is not what is stated

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/charts/giia-shared.yaml" is applied

  Scenario: a release deployed at another chart version than stated
    Fails with: /Helm release kp-.*\/auth-service is deployed at chart version 0\.1\.0 \(chart auth-service-0\.1\.0, app version 1\.0\.0, revision 1\), not 0\.2\.0/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    Then the Helm release "auth-service" is deployed
    And the Helm release "auth-service" is deployed at chart version "0.2.0"

  Scenario: a release whose value is not the stated one
    Fails with: /Helm release kp-.*\/auth-service \(revision 1\) has replicaCount set to 2 \(chart default\), not 5/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    Then the Helm release "auth-service" has the value "replicaCount" set to "2"
    And the Helm release "auth-service" has the value "replicaCount" set to "5"

  Scenario: a secret-looking value that differs is named without showing either value
    Fails with: /has auth\.apiToken set to \[REDACTED\] \(given\), not \[REDACTED\]/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    And the Helm release "auth-service" is upgraded with the value "auth.apiToken" set to "lab-token-9d2e71"
    Then the Helm release "auth-service" has the value "auth.apiToken" set to "lab-token-0000aa"

  Scenario: a release that is not there, with the releases the namespace does hold
    Fails with: /no Helm release auth in namespace kp-.*: no Secret sh\.helm\.release\.v1\.auth\.v\* \(releases there: auth-service\)/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    Then the Helm release "auth-service" is deployed
    And the Helm release "auth" is deployed

  Scenario: a chart that fails lint, with helm's error
    Fails with: /helm lint fixtures\/lab\/charts\/broken-lint failed: \[ERROR\] templates\/: parse error at \(broken-lint\/templates\/configmap\.yaml:7\): function "upcase" not defined/
    Then the Helm chart "manifests/platforms/giia/charts/auth-service" passes lint
    And the Helm chart "fixtures/lab/charts/broken-lint" passes lint

  Scenario: a chart that renders an object the API server rejects, naming the object
    Fails with: /refused 1 of 2 object\(s\) of fixtures\/lab\/charts\/rejected-render rendered with .*values-bad-port\.yaml: Service kp-[^ ]*\/render-[^ ]*-web: .*70000/
    Then the Helm chart "fixtures/lab/charts/rejected-render" with the values "values.yaml" renders objects accepted by a server-side dry run
    And the Helm chart "fixtures/lab/charts/rejected-render" with the values "values-bad-port.yaml" renders objects accepted by a server-side dry run

  Scenario: a rollback to a revision the release does not have
    Fails with: /Helm release kp-.*\/auth-service has no revision 5 to roll back to \(revisions: 1 superseded, 2 deployed\)/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    And the Helm release "auth-service" is upgraded with the value "env.LOG_LEVEL" set to "debug"
    And the Helm release "auth-service" is rolled back to revision 5

  Scenario: a release left behind at teardown
    Fails with: /1 Helm release\(s\) remain in namespace kp-.*: auth-service \(revision 1, deployed, chart auth-service-0\.1\.0/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    Then no Helm release remains in the namespace

  Scenario: "no release remains" without a release seen first proves nothing
    Fails with: /no Helm release was seen in namespace kp-.* earlier in this scenario, so finding none now proves nothing/
    Then no Helm release remains in the namespace

  Scenario: an install the API server refuses, with helm's error naming the object
    Fails with: /helm install bad \(chart fixtures\/lab\/charts\/rejected-render, values .*values-bad-port\.yaml\) into kp-.* failed after .*: Error: INSTALLATION FAILED: .*Service "bad-web" is invalid: spec\.ports\[0\]\.port: Invalid value: 70000/
    When the Helm chart "fixtures/lab/charts/rejected-render" is installed as "bad" with the values "values-bad-port.yaml"

  Scenario: an upgrade the API server refuses, with helm's error naming the object
    Fails with: /helm upgrade auth-service \(set service\.httpPort\) in kp-.* failed after .*: Error: UPGRADE FAILED: .*Service "auth-service" is invalid: spec\.ports\[0\]\.port: Invalid value: 70000/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    And the Helm release "auth-service" is upgraded with the value "service.httpPort" set to "70000"

  Scenario: uninstalling a release that is not there
    Fails with: /no Helm release auth in namespace kp-.*: no Secret sh\.helm\.release\.v1\.auth\.v\* \(releases there: auth-service\)/
    When the Helm chart "manifests/platforms/giia/charts/auth-service" is installed as "auth-service" with the values "values-lab.yaml, fixtures/lab/charts/auth-service-small.yaml"
    And the Helm release "auth" is uninstalled
