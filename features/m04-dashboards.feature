@m4
Feature: M4 Enhanced Grafana dashboards
  The dashboard's panel queries are evaluated against Prometheus directly, so
  the panels' data is verified even where no Grafana server runs; the criteria
  about Grafana itself need a Grafana.

  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: Grafana shows the Prometheus datasource as connected
    Then Grafana shows the `Prometheus` datasource as connected

  Scenario: The "CA3 Pipeline Metrics" dashboard appears in Grafana
    Then Grafana has a dashboard titled `CA3 Pipeline Metrics`

  Scenario: Producer, processor and InfluxDB write rates are all above zero
    Then every panel of the dashboard `fixtures/dashboards/ca3-pipeline-metrics.json` shows a value greater than 0

  Scenario: All panels update in real time (5s refresh)
    Then the dashboard `fixtures/dashboards/ca3-pipeline-metrics.json` refreshes every 5s
