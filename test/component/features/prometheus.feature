@component
Feature: Prometheus checks against a real Prometheus scraping a real prom-client endpoint
  The component environment runs Debian's Prometheus on 127.0.0.1:19090,
  scraping an emitter that exposes the conveyor metrics with prom-client.

  Scenario: the producer target is scraped and its counter rises
    Given Prometheus is ready
    Then Prometheus has an up target for job `producer` within 30s
    And the PromQL `sum(rate(producer_messages_sent_total[15s]))` is greater than 0 within 1m
    And the PromQL `sum(producer_messages_sent_total)` increases within 1m
    And the PromQL `up` returns at least 2 series within 30s
    And some series of the PromQL `up` is equal to 1 within 10s

  Scenario: rules are loaded
    Then Prometheus has a rule `ProducerStalled`
