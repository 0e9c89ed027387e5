# Must-fail scenarios (test/must-fail.ts) against a broker address where nothing listens.
Feature: a Kafka that is down is failed, not skipped
  Environment: KUBEPROOF_KAFKA_BROKERS=127.0.0.1:1

  Scenario: no round trip without a broker
    Fails with: /127\.0\.0\.1:1/
    Then a message sent to Kafka topic `kubeproof-component` is consumed within 5s

  Scenario: a marked batch cannot be sent without a broker
    Fails with: /127\.0\.0\.1:1/
    When a marked batch of 5 readings is sent to the Kafka topic `kubeproof-component`
