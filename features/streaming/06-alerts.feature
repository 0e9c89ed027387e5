@streaming
Feature: Streaming prototype — alerts (plan phase 5, checklist step 6)
  A minimal alert rule set (error rate, memory) that fires on test conditions and is
  sent to a webhook or simple notifier.

  Background:
    Given the platform namespace `streaming`

  Scenario: 000-18 A minimal alert rule set: error rate and memory
    Then Prometheus has a rule `StreamingHighErrorRate`
    And Prometheus has a rule `StreamingHighMemory`
    And the Prometheus alert `StreamingHighMemory` is not firing

  Scenario: 000-19 The error-rate alert fires on a test condition, and resolves after it
    Given the Prometheus alert `StreamingHighErrorRate` is not firing
    When the k6 script `fixtures/streaming/failing-requests.js` loads the Service `streaming-index` port 8080 in the background for 2m
    Then the Prometheus alert `StreamingHighErrorRate` is firing within 3m
    And the background load runs to its end
    And the Prometheus alert `StreamingHighErrorRate` resolves within 4m

  Scenario: 000-20 A webhook or simple notifier receives the alerts, firing and resolved
    Given Alertmanager is ready
    And the Prometheus alert `StreamingHighErrorRate` is not firing
    When the k6 script `fixtures/streaming/failing-requests.js` loads the Service `streaming-index` port 8080 in the background for 2m
    Then the receiver `webhook` is notified of the alert `StreamingHighErrorRate` within 3m
    And Alertmanager holds the alert `StreamingHighErrorRate` within 30s
    And the background load runs to its end
    And the receiver `webhook` is notified that the alert `StreamingHighErrorRate` resolved within 5m
