@component
Feature: k6 load tests with the real k6 binary
  Scenario: a bounded load test meets its thresholds
    Then running the k6 script `fixtures/k6/smoke.js` for 5s meets its thresholds

  Scenario: a failing threshold is caught
    Then running the k6 script `fixtures/k6/failing-threshold.js` fails its thresholds
