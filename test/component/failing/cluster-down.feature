# Must-fail scenarios (test/must-fail.ts): a cluster whose API server does not
# answer. (A real run stops before its first scenario with one message; the
# must-fail profile declares the cluster optional so the steps meet it.)
Feature: a cluster that does not answer fails the first step that needs it
  Environment: KUBECONFIG=test/fixtures/unreachable-kubeconfig.yaml

  Scenario: no fresh namespace on a cluster that does not answer
    Fails with: /127\.0\.0\.1:1/
    Given a fresh namespace for this scenario
