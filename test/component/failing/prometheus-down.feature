# Must-fail scenarios (test/must-fail.ts) against an address where nothing listens.
Feature: a Prometheus that is down is failed, not skipped
  Environment: KUBEPROOF_PROMETHEUS_URL=http://127.0.0.1:1

  Scenario: Prometheus is down
    Fails with: /127\.0\.0\.1:1/
    Then Prometheus is ready

  Scenario: no screenshot of the targets page of a Prometheus that is down
    Fails with: /127\.0\.0\.1:1\/targets/
    Then the Prometheus targets page is captured
