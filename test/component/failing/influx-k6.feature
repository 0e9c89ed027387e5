# Checks that must fail against the real components (driven by
# test/component/failing.test.ts, which asserts the failure and its message).
Feature: influx and k6 checks fail when they should

  @fail-flat-rise
  Scenario: a flat series does not rise during a load
    When the k6 script `fixtures/k6/smoke.js` loads `http://127.0.0.1:19090/-/ready` in the background for 10s
    Then the background load runs to its end
    And the PromQL `sum(rate(producer_messages_sent_total[5s]))` rose by at least 50% during the load

  @fail-no-baseline
  Scenario: a series with no value before the load has no baseline (the old check took it as 0 and passed)
    When the k6 script `fixtures/k6/smoke.js` loads `http://127.0.0.1:19090/-/healthy` in the background for 10s
    Then the background load runs to its end
    And the PromQL `sum(rate(prometheus_http_requests_total{handler="/-/healthy"}[5s])) > 0` rose by at least 50% during the load

  @fail-load-lands-nowhere
  Scenario: a load whose requests fail ends with k6's verdict failed (exit 99), named
    When the k6 script `fixtures/k6/producer-load.js` loads `http://127.0.0.1:19090` in the background for 5s
    Then the background load runs to its end

  @fail-load-too-small
  Scenario: a load that met its thresholds but sent too few requests
    When the k6 script `fixtures/k6/smoke.js` loads `http://127.0.0.1:19090/-/ready` in the background for 3s
    Then the background load sent at least 1000 requests at 100/s or more

  @fail-no-new-points
  Scenario: a measurement nobody writes to receives no new points
    Then InfluxDB measurement `kubeproof_stale_readings` receives new points within 5s
