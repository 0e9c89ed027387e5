@m1
Feature: M1 Foundation setup — the baseline deployment works
  Plan: copy CA2 to CA3, keep the `conveyor-pipeline` namespace, run the
  deployment scripts, and confirm every resource is healthy.

  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: All CA3 manifests reference the conveyor-pipeline namespace
    Then every manifest under `k8s` in the platform repository references the namespace `conveyor-pipeline`

  Scenario: The deployment and validation scripts succeed
    Then running `./scripts/deploy.sh` in the platform repository succeeds within 10m
    And running `./scripts/validate.sh` in the platform repository reports `26/26 tests passed` within 5m

  Scenario: kubectl get all shows all pods running
    Then all pods in the namespace are Running and Ready within 3m

  Scenario: Grafana is accessible
    Then Grafana is healthy

  Scenario: The producer generates data and the processor writes it to InfluxDB
    Then the PromQL `sum(producer_messages_sent_total)` increases within 1m
    And deployment `processor` writes new points to InfluxDB measurement `conveyor_readings` within 2m
