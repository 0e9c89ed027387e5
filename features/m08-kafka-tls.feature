@m8 @optional
Feature: M8 TLS for Kafka (optional in the plan)
  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: Kafka listens with TLS on port 9093 and not in plaintext on 9092
    Then the Service `kafka` serves TLS on port 9093
    And the Service `kafka` accepts no plaintext connection on port 9092

  Scenario: Producer and processor use TLS and data flows
    Then the logs of deployment `producer` show no `handshake|SSL|certificate`
    And the logs of deployment `processor` show no `handshake|SSL|certificate`
    And the PromQL `sum(rate(processor_messages_consumed_total[1m]))` is greater than 0 within 2m
