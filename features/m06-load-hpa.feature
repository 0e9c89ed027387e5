@m6
Feature: M6 Load testing and HPA validation
  A bounded k6 load against the producer drives its HPA from 1 to 2+
  replicas and, once the load stops by itself, back to 1. The load must land
  (k6's own thresholds: few failed requests, checks answered 200), the HPA
  must scale up because of it (events after the load began), and the
  producer's throughput must rise with the replicas: the mean over the second
  half of the load against the mean over an equal window just before it.
  The report keeps the replica timeline, the HPA's events, k6's figures and
  the throughput chart.

  Background:
    Given the platform namespace `conveyor-pipeline`

  Scenario: A complete scaling cycle, 1 → N → 1, with timestamps
    Then the HPA `producer` scales to exactly 1 replica within 5m
    When the k6 script `fixtures/k6/producer-load.js` loads the Service `producer` port 8000 in the background for 3m
    Then the background load runs to its end
    And the background load sent at least 1000 requests at 5/s or more
    And the HPA `producer` scaled up to at least 2 replicas within 3m of the load's start
    And the PromQL `sum(rate(producer_messages_sent_total[1m]))` rose by at least 50% during the load
    And the HPA `producer` scales to exactly 1 replica within 6m
