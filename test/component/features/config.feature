@component
Feature: configuration checks against a real Prometheus and Loki
  The component Prometheus scrapes every 1s (the slow-scrape job every 5s)
  and keeps 2h of data; the component Loki keeps logs forever (no retention).

  Scenario: Prometheus's scrape interval and retention, read from its own API
    Then Prometheus scrapes every at most 5s
    And Prometheus keeps data for at least 1h
    And Prometheus keeps data for exactly 2h

  Scenario: Loki's settings, read from its /config endpoint
    Then the Loki setting `limits_config.retention_period` is `0s`
    And the Loki setting `compactor.retention_enabled` is `false`
    And the Loki setting `schema_config.configs.0.store` is `tsdb`
    And the Loki setting `auth_enabled` is `false`
