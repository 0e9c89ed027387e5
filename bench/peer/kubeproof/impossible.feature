@bench-peer
Feature: bench:peer check "impossible" with kubeproof's own steps
  The same check as bench/peer/chainsaw/impossible/chainsaw-test.yaml: an
  assertion that cannot hold (3 ready replicas of a 2-replica Deployment),
  bounded at 10 s. It must fail; what matters is when, and what it says.

  Scenario: an assertion that cannot hold fails after its 10 s bound
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/echo.yaml" is applied
    Then deployment "echo" rolls out with 3 ready replicas within 10s
