# Must-fail scenarios (test/must-fail.ts): real Prometheus (test/component/env/prometheus.yml,
# retention 2h) and Loki (test/component/env/loki.yaml) on loopback.
Feature: configuration checks fail when a component is not configured as stated

  Scenario: a job with its own slower interval breaks the scrape bound
    Fails with: /job slow-scrape scrapes every 5s/
    Fails with: /scrape intervals are not all at most 2s/
    Then Prometheus scrapes every at most 2s

  Scenario: a global scrape interval below the bound
    Fails with: /the global scrape_interval is 1s/
    Fails with: /scrape intervals are not all at least 10s/
    Then Prometheus scrapes every at least 10s

  Scenario: a retention shorter than required
    Fails with: /Prometheus keeps data for 2h, not at least 15d/
    Then Prometheus keeps data for at least 15d

  Scenario: a Loki setting with another value
    Fails with: /Loki setting limits_config.retention_period is "0s", not "744h"/
    Then the Loki setting `limits_config.retention_period` is `744h`

  Scenario: a Loki setting that does not exist names the nearest keys
    Fails with: /limits_config has no key "retention_perod"/
    Fails with: /nearest keys there: retention_period/
    Then the Loki setting `limits_config.retention_perod` is `744h`
