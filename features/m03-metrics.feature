@m3
Feature: M3 Application metrics instrumentation
  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: The producer pod exposes metrics at /metrics on port 8000
    Then a pod of deployment `producer` serves the metric `producer_messages_sent_total` on port 8000 at `/metrics`

  Scenario: The processor pod exposes metrics at /metrics on port 8000
    Then a pod of deployment `processor` serves the metric `processor_messages_consumed_total` on port 8000 at `/metrics`
    And a pod of deployment `processor` serves the metric `processor_influxdb_writes_total` on port 8000 at `/metrics`

  Scenario: Prometheus shows producer and processor as targets
    Then Prometheus has an up target labelled `app=producer` within 2m
    And Prometheus has an up target labelled `app=processor` within 2m

  Scenario: Prometheus can query the custom metrics with non-zero values
    Then the PromQL `sum(producer_messages_sent_total)` is greater than 0 within 2m
    And the PromQL `sum(processor_messages_consumed_total)` is greater than 0 within 2m
