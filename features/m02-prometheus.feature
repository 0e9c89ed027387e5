@m2
Feature: M2 Prometheus deployment — metrics collection
  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: Prometheus runs in the conveyor-pipeline namespace with its RBAC
    Then deployment `prometheus` has at least 1 Ready pod within 2m
    And the ServiceAccount `prometheus` exists
    And the ClusterRole `conveyor-prometheus` exists
    And the ClusterRoleBinding `conveyor-prometheus` exists
    And the ConfigMap `prometheus-config` exists

  Scenario: The Prometheus service is created and accessible
    Then the Service `prometheus-service` exists
    And Prometheus is ready

  Scenario: Status > Targets shows at least Prometheus itself
    Then Prometheus has an up target for job `prometheus` within 1m
    And the Prometheus targets page is captured

  Scenario: Prometheus can query basic metrics
    Then the PromQL `up` returns at least 1 series within 1m
