@component
Feature: Kafka checks against a real Kafka broker (KRaft, jars from Maven Central)
  Scenario: a topic round trip
    Given the Kafka topic `kubeproof-component` exists or is created
    Then Kafka has at least 1 broker
    And Kafka brokers advertise port 19092
    And the Kafka topic `kubeproof-component` exists
    And a message sent to Kafka topic `kubeproof-component` is consumed within 30s
