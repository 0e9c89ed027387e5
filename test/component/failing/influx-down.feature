# Must-fail scenarios (test/must-fail.ts) against an address where nothing listens.
Feature: an InfluxDB that is down is failed, not skipped
  Environment: KUBEPROOF_INFLUX_URL=http://127.0.0.1:1

  Scenario: InfluxDB is down
    Fails with: /127\.0\.0\.1:1/
    Then InfluxDB answers its ping
