# Must-fail scenarios (test/must-fail.ts): a real single-broker Kafka on loopback.
Feature: Kafka checks fail when the broker does not hold what they state

  Scenario: fewer brokers than required
    Fails with: /at least 3/
    Then Kafka has at least 3 brokers

  Scenario: brokers advertise another port
    Fails with: /9999/
    Then Kafka brokers advertise port 9999

  Scenario: a topic that does not exist
    Fails with: /kubeproof-no-such-topic/
    Then the Kafka topic `kubeproof-no-such-topic` exists

  Scenario: a topic name Kafka refuses
    Fails with: /bad topic!/
    Given the Kafka topic `bad topic!` exists or is created

  Scenario: a topic nobody produces to receives nothing
    Fails with: /kubeproof-silent/
    Given the Kafka topic `kubeproof-silent` exists or is created
    Then Kafka topic `kubeproof-silent` receives at least 1 new message within 5s

  Scenario: a consumer group that consumes nothing has no lag to judge
    Fails with: /consumer group kubeproof-no-such-group has committed no offset/
    Given the Kafka topic `kubeproof-component` exists or is created
    Then Kafka consumer group `kubeproof-no-such-group` lags at most 10 messages on topic `kubeproof-component`

  Scenario: a marked batch nobody carries to InfluxDB is not there
    Fails with: /marked batch/
    Given the Kafka topic `kubeproof-marked` exists or is created
    When a marked batch of 20 readings is sent to the Kafka topic `kubeproof-marked`
    Then every reading of the marked batch is in InfluxDB measurement `conveyor_readings` exactly once within 5s
