@bench-peer
Feature: bench:peer check "rollout" with kubeproof's own steps
  The same check as bench/peer/chainsaw/rollout/chainsaw-test.yaml.

  Scenario: the echo Deployment rolls out with 2 ready replicas
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
