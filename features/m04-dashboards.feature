@m4
Feature: M4 Enhanced Grafana dashboards
  What the platform provisions for Grafana is read from the cluster: the
  datasources ConfigMap (each datasource asked from a pod with Grafana's labels,
  so the NetworkPolicies that admit Grafana are on the path) and the dashboard
  ConfigMap, whose panel queries are evaluated against Prometheus. The criteria
  about a running Grafana server need one; a run that declares Grafana absent
  (KUBEPROOF_ABSENT) reports them not verified with its reason.

  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: Grafana's Prometheus datasource answers from Grafana's side of the network
    Then Grafana's `Prometheus` datasource in ConfigMap `grafana-datasources` answers from a pod labelled like Service `grafana`

  Scenario: Grafana shows the Prometheus datasource as connected
    Then Grafana shows the `Prometheus` datasource as connected

  Scenario: The platform provisions the "CA3 Pipeline Metrics" dashboard with its three panels
    Then the dashboard ConfigMap `grafana-dashboards` holds a dashboard titled `CA3 Pipeline Metrics` with 3 panels

  Scenario: The "CA3 Pipeline Metrics" dashboard appears in Grafana
    Then Grafana has a dashboard titled `CA3 Pipeline Metrics`

  Scenario: Producer, processor and InfluxDB write rates are all above zero
    Then every panel of the platform's dashboard `CA3 Pipeline Metrics` shows a value greater than 0

  Scenario: All panels update in real time (5s refresh)
    Then the platform's dashboard `CA3 Pipeline Metrics` refreshes every 5s
