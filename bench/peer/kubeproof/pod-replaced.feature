@bench-peer
Feature: bench:peer check "pod-replaced" with kubeproof's own steps
  The same check as bench/peer/chainsaw/pod-replaced/chainsaw-test.yaml.

  Scenario: a deleted pod of the echo Deployment is replaced by a Ready one
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 2 ready replicas within 2m
    When one pod of deployment "echo" is deleted
    Then deployment "echo" has all replicas Ready again within 1m
