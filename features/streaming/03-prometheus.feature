@streaming
Feature: Streaming prototype — Prometheus (plan phase 4, checklist step 3, phase 6)
  A minimal Prometheus with a tuned scrape interval (>= 30s) and about 24h of
  retention, scraping the app's /metrics; its memory kept low by that tuning.

  Background:
    Given the platform namespace `streaming`

  Scenario: 000-13 Prometheus scrapes every 30s or more and keeps about 24h
    Then Prometheus is ready
    And Prometheus scrapes every at least 30s
    And Prometheus keeps data for exactly 24h

  Scenario: 000-21 Prometheus memory stays low after tuning
    Then the PromQL `process_resident_memory_bytes{job="prometheus"}` is less than 268435456
    And the PromQL `prometheus_tsdb_head_series` is less than 20000

  Scenario: 000-27 Prometheus scrapes the app within one interval
    Then the ServiceAccount `prometheus` can `watch` `pods`
    And Prometheus has an up target for job `streaming-index` within 30s
    And Prometheus has an up target for job `streaming-streamer` within 30s
    And Prometheus has an up target for job `streaming-frontend` within 30s

  Scenario: 000-28 App labels and metrics are stable for selection
    Then the Deployment `streaming-index` has the label `app.kubernetes.io/name=streaming-index`
    And the Deployment `streaming-streamer` has the label `app.kubernetes.io/name=streaming-streamer`
    And the Deployment `streaming-frontend` has the label `app.kubernetes.io/name=streaming-frontend`
    And Prometheus has an up target labelled `app=streaming-index` within 30s
    And Prometheus has an up target labelled `app=streaming-streamer` within 30s
    And Prometheus has an up target labelled `app=streaming-frontend` within 30s
    And the PromQL `http_requests_total{app="streaming-index"}` returns at least 1 series within 1m
