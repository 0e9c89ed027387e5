@m8 @optional
Feature: M8 TLS for Kafka (optional in the plan)
  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: Kafka listens with TLS on port 9093 and not in plaintext on 9092
    Then the Service `kafka` serves TLS on port 9093 for the name `kafka.conveyor-pipeline.svc` with a certificate from the CA in the ConfigMap `kafka-ca`
    And every address of the Service `kafka` refuses plaintext on port 9092 and answers TLS on port 9093 for the name `kafka.conveyor-pipeline.svc` with the CA in the ConfigMap `kafka-ca`

  Scenario: Producer and processor use TLS and data flows
    # The broker has no plaintext listener (scenario above), so new messages prove the producer sends over TLS.
    Then Kafka topic `conveyor` receives at least 5 new messages within 30s
    And Kafka consumer group `conveyor-processor` lags at most 100 messages on topic `conveyor`
    And the logs of deployment `producer` show no `handshake|SSL|certificate`
    And the logs of deployment `processor` show no `handshake|SSL|certificate`
    And the PromQL `sum(rate(processor_messages_consumed_total[1m]))` is greater than 0 within 2m

  # The CA2 NetworkPolicies the plan carries forward: each allowed flow connects, a pod with another identity is refused on the same port.
  # (Promtail's flow is not among them: its DaemonSet would adopt and delete a probe pod carrying its selector's labels.)
  Scenario Outline: Only <client> may reach <service> on port <port>
    Then the NetworkPolicies let a pod labelled `app=<client>` reach `<service>` port <port> and refuse a pod labelled `app=kubeproof-stranger` within 1m

    Examples:
      | client     | service            | port |
      | producer   | kafka              | 9093 |
      | processor  | kafka              | 9093 |
      | processor  | influxdb           | 8086 |
      | prometheus | producer           | 8000 |
      | grafana    | prometheus-service | 9090 |
      | grafana    | loki               | 3100 |
