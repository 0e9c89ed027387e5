@component
Feature: k6 load tests with the real k6 binary
  Scenario: a bounded load test meets its thresholds
    Then running the k6 script `fixtures/k6/smoke.js` for 5s meets its thresholds

  Scenario: a failing threshold is caught
    Then running the k6 script `fixtures/k6/failing-threshold.js` fails its thresholds

  Scenario: a background load lands, meets its thresholds, and raises the request rate it causes
    # /-/healthy: nothing else asks it, so the baseline is this Prometheus at rest (0 once the series exists).
    When the k6 script `fixtures/k6/smoke.js` loads `http://127.0.0.1:19090/-/healthy` in the background for 20s
    Then the background load runs to its end
    And the background load sent at least 40 requests at 2/s or more
    And the PromQL `sum(rate(prometheus_http_requests_total{handler="/-/healthy"}[5s])) or vector(0)` rose by at least 50% during the load
