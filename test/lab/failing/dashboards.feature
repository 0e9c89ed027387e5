# Must-fail scenarios (test/must-fail.ts, run by lab/ci.sh after the platform
# is deployed: its Prometheus evaluates the panels): a dashboard ConfigMap that
# falls short of the plan's.
Feature: dashboard checks fail when the dashboard is not what the plan asks

  Background:
    Given a fresh namespace for this scenario
    When the manifest "fixtures/lab/faults/dashboard.yaml" is applied

  Scenario: two panels are not three
    Fails with: /Short Dashboard/
    Fails with: /has 2 panels/
    Then the dashboard ConfigMap "grafana-dashboards" holds a dashboard titled "Short Dashboard" with 3 panels

  Scenario: a 30s refresh is not 5s
    Fails with: /every 30s, expected every 5s/
    Then the platform's dashboard "Short Dashboard" refreshes every 5s

  Scenario: a panel that shows 0 does not show a value above 0
    Fails with: /Always zero/
    Then every panel of the platform's dashboard "Short Dashboard" shows a value greater than 0
