@bench-peer
Feature: bench:peer check "configmap-field" with kubeproof's own steps
  The same check as bench/peer/chainsaw/configmap-field/chainsaw-test.yaml.
  kubeproof has no generic "ConfigMap field equals" step; the closest one that
  reads and asserts a ConfigMap field is the dashboard ConfigMap step (it parses
  the data key bench.json and asserts its title and panel count).

  Scenario: an applied ConfigMap holds the expected field
    Given a fresh namespace for this scenario
    When the manifest "bench/peer/fixtures/dashboard-configmap.yaml" is applied
    Then the dashboard ConfigMap "bench-dashboards" holds a dashboard titled "Bench" with 2 panels
