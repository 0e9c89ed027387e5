@m6
Feature: M6 Load testing and HPA validation
  A bounded k6 load against the producer drives its HPA from 1 to 2+
  replicas and, once the load stops by itself, back to 1. The report keeps
  the replica timeline, the HPA's events and the throughput chart.

  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: A complete scaling cycle, 1 → N → 1, with timestamps
    Then the HPA `producer` scales to exactly 1 replica within 5m
    When the k6 script `fixtures/k6/producer-load.js` loads the Service `producer` port 8000 in the background for 3m
    Then the HPA `producer` scales to at least 2 replicas within 4m
    And the HorizontalPodAutoscaler `producer` has recorded a `SuccessfulRescale` event
    And the PromQL `sum(rate(producer_messages_sent_total[1m]))` rose during the load
    And the background load runs to its end
    And the HPA `producer` scales to exactly 1 replica within 6m
