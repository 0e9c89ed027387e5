# Must-fail scenarios (test/must-fail.ts, driven by test/component/failing.test.ts):
# real InfluxDB, Prometheus and k6 on loopback. These are the cases the old
# checks passed.
Feature: influx and k6 checks fail when they should

  Scenario: a flat series does not rise during a load
    Fails with: /mean [\d.]+ during the load against [\d.]+ before/
    Fails with: /at least \+50% required/
    When the k6 script `fixtures/k6/smoke.js` loads `http://127.0.0.1:19090/-/ready` in the background for 10s
    Then the background load runs to its end
    And the PromQL `sum(rate(producer_messages_sent_total[5s]))` rose by at least 50% during the load

  Scenario: a series with no value before the load has no baseline (the old check took it as 0 and passed)
    Fails with: /no value in the baseline window before the load/
    When the k6 script `fixtures/k6/smoke.js` loads `http://127.0.0.1:19090/-/healthy` in the background for 10s
    Then the background load runs to its end
    And the PromQL `sum(rate(prometheus_http_requests_total{handler="/-/healthy"}[5s])) > 0` rose by at least 50% during the load

  Scenario: a load whose requests fail ends with k6's verdict failed (exit 99), named
    Fails with: /failed thresholds: .*http_req_failed rate<0\.05 \(measured 1\.000\)/
    Fails with: /k6 exited 99 \(thresholds failed\)/
    When the k6 script `fixtures/k6/producer-load.js` loads `http://127.0.0.1:19090` in the background for 5s
    Then the background load runs to its end

  Scenario: a load that met its thresholds but sent too few requests
    Fails with: /sent \d+ requests, fewer than 1000/
    Fails with: /slower than 100\/s/
    When the k6 script `fixtures/k6/smoke.js` loads `http://127.0.0.1:19090/-/ready` in the background for 3s
    Then the background load sent at least 1000 requests at 100/s or more

  Scenario: a background load whose script does not exist
    Fails with: /k6 script fixtures\/k6\/no-such-script\.js not found/
    When the k6 script `fixtures/k6/no-such-script.js` loads `http://127.0.0.1:19090/-/ready` in the background for 3s

  Scenario: a script whose thresholds fail does not meet them
    Fails with: /failed thresholds/
    Then running the k6 script `fixtures/k6/failing-threshold.js` meets its thresholds

  Scenario: a script whose thresholds hold does not fail them
    Fails with: /smoke\.js/
    Then running the k6 script `fixtures/k6/smoke.js` for 2s fails its thresholds

  Scenario: a measurement nobody writes to receives no new points (a stale point was written before)
    Fails with: /got no point stamped after this step began/
    Fails with: /kubeproof_stale_readings/
    Then InfluxDB measurement `kubeproof_stale_readings` receives new points within 5s

  Scenario: a measurement with no points has none in the window
    Fails with: /kubeproof_no_such_measurement/
    Then InfluxDB measurement `kubeproof_no_such_measurement` has at least 1 point in the last 1m within 3s

  Scenario: fewer rows than required
    Fails with: /SHOW DATABASES/
    Then the InfluxQL `SHOW DATABASES` returns at least 1000 rows
