# Must-fail scenarios (test/must-fail.ts): a Grafana URL where nothing listens
# (no Grafana server can be built here; down is failed, only declared absence
# is not verified — test/unit/grafana.test.ts).
Feature: a Grafana that is down is failed, not skipped
  Environment: KUBEPROOF_GRAFANA_URL=http://127.0.0.1:1

  Scenario: Grafana is down
    Fails with: /127\.0\.0\.1:1/
    Then Grafana is healthy

  Scenario: no datasource shows as connected when Grafana is down
    Fails with: /127\.0\.0\.1:1/
    Then Grafana shows the "Prometheus" datasource as connected

  Scenario: no dashboard is found when Grafana is down
    Fails with: /127\.0\.0\.1:1/
    Then Grafana has a dashboard titled "CA3 Pipeline Metrics"
